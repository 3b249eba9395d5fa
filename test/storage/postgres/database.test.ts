import { describe, expect, it } from 'vitest';
import type { IncomingMessage } from '../../../bots/core/types.ts';
import { migrate, openPostgresPool, query } from '../../../storage/postgres/database.ts';
import { PostgresKnowledgeStore } from '../../../storage/postgres/knowledge-store.ts';
import { createTempSchema, usePostgres } from '../../support/services.ts';
import { postgresTestDatabase } from './backend.ts';

const available = await usePostgres();

describe.runIf(available)('PostgreSQL migrations and values', () => {
  it('migrates once when several instances start at the same time', async () => {
    const temp = await createTempSchema();
    const pools = [...Array(4)].map(() => openPostgresPool(temp.url, { max: 2 }));
    try {
      const steps = ['CREATE TABLE things (id integer PRIMARY KEY)', 'ALTER TABLE things ADD COLUMN name text'];
      await Promise.all(pools.map((p) => migrate(p, 'things', steps)));
      await Promise.all(pools.map((p) => PostgresKnowledgeStore.open(p)));
      const { rows } = await query<{ scope: string; n: number }>(
        pools[0],
        'SELECT scope, count(*)::int AS n FROM schema_migrations GROUP BY scope ORDER BY scope',
      );
      expect(rows).toEqual([
        { scope: 'knowledge', n: 1 },
        { scope: 'things', n: 2 },
      ]);
      // A later step added to a scope is applied on the next start, the earlier ones are not re-run.
      await migrate(pools[1], 'things', [...steps, "INSERT INTO things (id, name) VALUES (1, 'một')"]);
      expect((await query(pools[2], 'SELECT id, name FROM things')).rows).toEqual([{ id: 1, name: 'một' }]);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
      await temp.drop();
    }
  });

  it('keeps each test schema apart (search_path from the URL)', async () => {
    const a = await postgresTestDatabase();
    const b = await postgresTestDatabase();
    try {
      const inboxA = await (await a.connect()).stores.inbox();
      const inboxB = await (await b.connect()).stores.inbox();
      const msg: IncomingMessage = { channel: 'zalo', channelMessageId: 'm1', from: { channel: 'zalo', userId: 'u', address: {} }, kind: 'text', text: 'x', sentAt: '2025-03-01T08:00:00.000Z' };
      expect((await inboxA.add(msg, new Date())).duplicate).toBe(false);
      expect((await inboxB.add(msg, new Date())).duplicate).toBe(false);
      const c = await a.connect();
      expect((await query<{ s: string }>(c.pool, 'SELECT current_schema() AS s')).rows[0].s).toBe(a.schema);
    } finally {
      await a.cleanup();
      await b.cleanup();
    }
  });

  it('accepts citizen text PostgreSQL cannot store as is (NUL, lone surrogates) instead of failing the webhook', async () => {
    const db = await postgresTestDatabase();
    try {
      const { stores } = await db.connect();
      const inbox = await stores.inbox();
      const text = 'Xin\u0000 chào \uD83D bạn';
      const msg: IncomingMessage = { channel: 'telegram', channelMessageId: 'nul\u0000', from: { channel: 'telegram', userId: 'u\u0000', address: { chatId: 1 } }, kind: 'text', text, sentAt: '2025-03-01T08:00:00.000Z' };
      const added = await inbox.add(msg, new Date());
      expect(added.duplicate).toBe(false);
      const item = added.duplicate ? undefined : await inbox.get(added.item.id);
      expect(item?.message.text).toBe('Xin chào \uFFFD bạn');
      expect(item?.userId).toBe('u');
      // The same delivery again is still recognised.
      expect(await inbox.add(msg, new Date())).toEqual({ duplicate: true });

      const webchat = await stores.webchat();
      await webchat.createSession({ id: 's', tokenHash: 'h', createdAt: new Date().toISOString() });
      await webchat.appendMessage('s', { kind: 'user', text: 'a\u0000b' });
      expect((await webchat.listMessages('s', 0, 10))[0].text).toBe('ab');
    } finally {
      await db.cleanup();
    }
  });
});
