import { describe, expect, it } from 'vitest';
import { openPostgresPool, type PgPool } from '../../storage/postgres/database.ts';
import { LEGACY_POSTGRES_STEPS } from '../../storage/sql/migrations/legacy-postgres.ts';
import { LEGACY_SQLITE_STEPS } from '../../storage/sql/migrations/legacy-sqlite.ts';
import { openSqlDatabase, sqlStores } from '../../storage/sql/index.ts';
import type { SqlDatabase } from '../../storage/sql/connect.ts';
import { createTempSchema, usePostgres } from '../support/services.ts';
import { tempDatabase } from '../support/temp-sqlite.ts';

/**
 * A database made by the pre-Kysely stores (their migration SQL, recorded in
 * `schema_migrations` as they recorded it) opens with the stores of `storage/sql/`: its rows
 * are still there, and the later migrations apply on top.
 */
const pgAvailable = await usePostgres();

const recipient = '{"channel":"zalo","userId":"u1","address":{}}';
const citations = '[{"id":"luat-cu-tru::d20","title":"Luật Cư trú","section":"Điều 20","status":"in_force","quote":"Công dân có quyền…","score":0.9}]';
const message = `{"kind":"answer","text":"Bạn cần mang CCCD.","citations":${citations},"answerId":"a1"}`;
const T = '2025-03-01T08:00:00.000Z';

/** Rows the old version wrote: a turn, its reply in the outbox (a full copy), an escalation, an inbox event. */
const ROWS = [
  `INSERT INTO conversation_turns (id, inbox_id, channel, user_id, intent, user_text, reply_kind, reply_text, citations, citation_count, answer_id, created_at)
   VALUES ('t1', 1, 'zalo', 'u1', 'question', 'Đăng ký thường trú cần gì?', 'answer', 'Bạn cần mang CCCD.', '${citations}', 1, 'a1', '${T}')`,
  `INSERT INTO outbox (key, channel, user_id, recipient, kind, message, status, next_attempt_at, turn_id, created_at, updated_at)
   VALUES ('inbox:1', 'zalo', 'u1', '${recipient}', 'answer', '${message}', 'pending', '${T}', 't1', '${T}', '${T}')`,
  `INSERT INTO inbox (channel, channel_message_id, user_id, kind, message, status, received_at)
   VALUES ('zalo', 'm1', 'u1', 'text', '{"channel":"zalo","channelMessageId":"m1","from":{"channel":"zalo","userId":"u1","address":{}},"kind":"text","text":"Đăng ký thường trú cần gì?","sentAt":"${T}"}', 'done', '${T}')`,
];
const ESCALATION = (pg: boolean) =>
  `INSERT INTO escalations (id, status, reason, channel, user_id, recipient, question, ${pg ? 'question_folded, ' : ''}created_at, updated_at)
   VALUES ('e1', 'open', 'abstained', 'zalo', 'u1', '${recipient}', 'Đăng ký tạm trú ở đâu?', ${pg ? "'dang ky tam tru o dau?', " : ''}'${T}', '${T}')`;

async function expectDataKept(database: SqlDatabase): Promise<void> {
  const stores = sqlStores(database);
  const [item] = await stores.outbox.pending();
  expect(item).toMatchObject({ key: 'inbox:1', turnId: 't1', message: { kind: 'answer', text: 'Bạn cần mang CCCD.', answerId: 'a1' } });
  expect(item.message.citations?.[0]).toMatchObject({ id: 'luat-cu-tru::d20', quote: 'Công dân có quyền…' });
  // The copy became a reference to the turn (issue 9 retention).
  const row = await database.db.selectFrom('outbox').select(['message', 'text_from_turn']).where('id', '=', item.id).executeTakeFirstOrThrow();
  expect(row.text_from_turn).toBe(1);
  expect(row.message).not.toContain('CCCD');
  expect((await stores.conversations.turnForInbox(1))?.replyText).toBe('Bạn cần mang CCCD.');
  expect((await stores.escalations.list({ query: 'tam tru' })).map((e) => e.id)).toEqual(['e1']);
  expect((await stores.inbox.get(1))?.status).toBe('done');
  const applied = await database.db.selectFrom('kysely_migration' as never).select('name' as never).execute();
  expect(applied).toHaveLength(3);
}

describe('a database made by the pre-Kysely stores', () => {
  it('SQLite: opens with its rows, and the later migrations apply', async () => {
    const temp = tempDatabase('loa-legacy-');
    try {
      const old = temp.open();
      old.exec('CREATE TABLE schema_migrations (scope TEXT NOT NULL, step INTEGER NOT NULL, PRIMARY KEY (scope, step))');
      for (const [scope, steps] of LEGACY_SQLITE_STEPS)
        steps.forEach((step, i) => {
          old.exec(step);
          old.prepare('INSERT INTO schema_migrations (scope, step) VALUES (?, ?)').run(scope, i);
        });
      for (const sql of [...ROWS, ESCALATION(false)]) old.exec(sql);
      old.close();

      const database = await openSqlDatabase({ sqliteFile: temp.file });
      await expectDataKept(database);
      await database.close();
      // Opening again applies nothing twice.
      const again = await openSqlDatabase({ sqliteFile: temp.file });
      expect(await sqlStores(again).outbox.pending()).toHaveLength(1);
      await again.close();
    } finally {
      temp.cleanup();
    }
  });

  it.runIf(pgAvailable)('PostgreSQL: opens with its rows, and the later migrations apply', async () => {
    const schema = await createTempSchema();
    const pool: PgPool = openPostgresPool(schema.url, { max: 2 });
    try {
      await pool.query('CREATE TABLE schema_migrations (scope text NOT NULL, step integer NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (scope, step))');
      for (const [scope, steps] of LEGACY_POSTGRES_STEPS)
        for (const [i, step] of steps.entries()) {
          await pool.query(step);
          await pool.query('INSERT INTO schema_migrations (scope, step) VALUES ($1, $2)', [scope, i]);
        }
      for (const sql of [...ROWS, ESCALATION(true)]) await pool.query(sql);

      const database = await openSqlDatabase({ postgresUrl: schema.url, poolSize: 2 });
      try {
        await expectDataKept(database);
      } finally {
        await database.close();
      }
    } finally {
      await pool.end();
      await schema.drop();
    }
  });
});
