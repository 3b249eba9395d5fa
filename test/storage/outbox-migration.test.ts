import { describe, expect, it } from 'vitest';
import { openPostgresPool } from '../../storage/postgres/database.ts';
import { openSqlDatabase, sqlStores } from '../../storage/sql/index.ts';
import { createTempSchema, usePostgres } from '../support/services.ts';
import { tempDatabase } from '../support/temp-sqlite.ts';

const pgAvailable = await usePostgres();
const lease = { owner: 'new-instance', until: new Date('2030-01-01T00:00:00Z') };

// The tables as the previous release created them (migration step 0 of each scope).
const SQLITE_BEFORE = `
  CREATE TABLE schema_migrations (scope TEXT NOT NULL, step INTEGER NOT NULL, PRIMARY KEY (scope, step));
  CREATE TABLE outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL UNIQUE, channel TEXT NOT NULL, user_id TEXT NOT NULL,
    recipient TEXT NOT NULL, kind TEXT NOT NULL, message TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at TEXT NOT NULL, last_error TEXT, channel_message_ids TEXT, turn_id TEXT,
    escalation_id TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, sent_at TEXT);
  CREATE TABLE inbox (id INTEGER PRIMARY KEY AUTOINCREMENT, channel TEXT NOT NULL, channel_message_id TEXT NOT NULL, user_id TEXT NOT NULL,
    kind TEXT NOT NULL, message TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'pending', outcome TEXT, error TEXT, received_at TEXT NOT NULL,
    processed_at TEXT, UNIQUE (channel, channel_message_id));
  INSERT INTO schema_migrations VALUES ('outbox', 0), ('inbox', 0);
  INSERT INTO outbox (key, channel, user_id, recipient, kind, message, status, attempts, next_attempt_at, created_at, updated_at) VALUES
    ('inbox:1', 'zalo', 'u1', '{"channel":"zalo","userId":"u1","address":{}}', 'answer', '{"kind":"answer","text":"một"}', 'sending', 1, '2025-03-01T08:00:00.000Z', '2025-03-01T08:00:00.000Z', '2025-03-01T08:00:00.000Z'),
    ('inbox:2', 'zalo', 'u2', '{"channel":"zalo","userId":"u2","address":{}}', 'answer', '{"kind":"answer","text":"hai"}', 'sent', 1, '2025-03-01T08:00:00.000Z', '2025-03-01T08:00:00.000Z', '2025-03-01T08:00:00.000Z');
  INSERT INTO inbox (channel, channel_message_id, user_id, kind, message, received_at) VALUES
    ('zalo', 'm1', 'u1', 'text', '{"channel":"zalo","channelMessageId":"m1","from":{"channel":"zalo","userId":"u1","address":{}},"kind":"text","text":"hỏi","sentAt":"2025-03-01T08:00:00.000Z"}', '2025-03-01T08:00:00.000Z');`;

describe('outbox and inbox migrations keep existing rows', () => {
  it('SQLite: rebuilds the outbox, and a send left in flight by the old version is taken over as an unknown outcome', async () => {
    const temp = tempDatabase('loa-migrate-');
    try {
      temp.open().exec(SQLITE_BEFORE);
      const database = await openSqlDatabase({ sqliteFile: temp.file });
      const { outbox, inbox } = sqlStores(database);
      expect(await outbox.get(2)).toMatchObject({ status: 'sent', unknownOutcomes: 0, message: { text: 'hai' } });
      const [taken] = await outbox.claimDue(lease, new Date('2025-03-01T09:00:00Z'), 10);
      expect(taken).toMatchObject({ id: 1, interrupted: true, attempts: 2, unknownOutcomes: 1, claimedBy: 'new-instance' });
      expect((await inbox.claimNext(lease, new Date(), 10)).map((i) => i.channelMessageId)).toEqual(['m1']);
      // The new status is accepted by the rebuilt CHECK constraint.
      await outbox.markUnknown(1, 'timeout', new Date());
      expect((await outbox.get(1))?.status).toBe('unknown');
      await database.close();
    } finally {
      temp.cleanup();
    }
  });

  it.runIf(pgAvailable)('PostgreSQL: alters the tables in place', async () => {
    const schema = await createTempSchema();
    const pool = openPostgresPool(schema.url, { max: 2 });
    try {
      await pool.query(`
        CREATE TABLE schema_migrations (scope text NOT NULL, step integer NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (scope, step));
        CREATE TABLE outbox (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, key text NOT NULL UNIQUE, channel text NOT NULL, user_id text NOT NULL,
          recipient jsonb NOT NULL, kind text NOT NULL, message jsonb NOT NULL,
          status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
          attempts integer NOT NULL DEFAULT 0, next_attempt_at timestamptz NOT NULL, last_error text, channel_message_ids jsonb, turn_id text,
          escalation_id text, claimed_by integer, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL, sent_at timestamptz);
        CREATE TABLE inbox (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, channel text NOT NULL, channel_message_id text NOT NULL,
          user_id text NOT NULL, kind text NOT NULL, message jsonb NOT NULL, status text NOT NULL DEFAULT 'pending', outcome text, error text,
          received_at timestamptz NOT NULL, processed_at timestamptz, UNIQUE (channel, channel_message_id));
        INSERT INTO schema_migrations (scope, step) VALUES ('outbox', 0), ('inbox', 0);
        INSERT INTO outbox (key, channel, user_id, recipient, kind, message, status, attempts, next_attempt_at, claimed_by, created_at, updated_at)
          VALUES ('inbox:1', 'zalo', 'u1', '{"channel":"zalo","userId":"u1","address":{}}', 'answer', '{"kind":"answer","text":"một"}', 'sending', 1, now(), 42, now(), now());`);
      const database = await openSqlDatabase({ postgresUrl: schema.url, poolSize: 2 });
      const { outbox } = sqlStores(database);
      const [taken] = await outbox.claimDue(lease, new Date(Date.now() + 1000), 10);
      expect(taken).toMatchObject({ id: 1, interrupted: true, unknownOutcomes: 1, claimedBy: 'new-instance', message: { text: 'một' } });
      await outbox.markUnknown(1, 'timeout', new Date());
      expect((await outbox.get(1))?.status).toBe('unknown');
      await database.close();
    } finally {
      await pool.end();
      await schema.drop();
    }
  });
});
