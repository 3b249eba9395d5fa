import { describe, expect, it } from 'vitest';
import type { Recipient } from '../../../bots/core/types.ts';
import { query } from '../../../storage/postgres/database.ts';
import { usePostgres } from '../../support/services.ts';
import { postgresTestDatabase } from './backend.ts';

const available = await usePostgres();
const recipient: Recipient = { channel: 'zalo', userId: 'u1', address: { userId: 'u1' } };
const t0 = new Date('2025-03-01T08:00:00Z');

describe.runIf(available)('PostgreSQL outbox across instances', () => {
  it("does not take back what another live instance is sending, but does once that instance is gone", async () => {
    const db = await postgresTestDatabase();
    try {
      const a = await db.connect();
      const b = await db.connect();
      const outboxA = await a.stores.outbox();
      const outboxB = await b.stores.outbox();
      const item = await outboxA.enqueue({ key: 'inbox:1', recipient, message: { kind: 'answer', text: 'Trả lời', answerId: 'a1' } }, t0);
      expect(await outboxA.claim(item.id, t0)).toMatchObject({ status: 'sending' });

      // B starts up while A is sending: A's item is left alone, so it is not sent twice.
      expect(await outboxB.requeueInterrupted(t0)).toBe(0);
      expect((await outboxB.get(item.id))?.status).toBe('sending');
      expect(await outboxB.claim(item.id, t0)).toBeUndefined();

      // A dies (its connection, and with it its instance lock, goes away): B takes the item back.
      await a.instance.release();
      expect(await outboxB.requeueInterrupted(t0)).toBe(1);
      expect(await outboxB.claim(item.id, t0)).toMatchObject({ status: 'sending', attempts: 2 });
      const { rows } = await query<{ claimed_by: number }>(b.pool, 'SELECT claimed_by FROM outbox WHERE id = $1', [item.id]);
      expect(rows[0].claimed_by).toBe(b.instance.key);
      expect(b.instance.key).not.toBe(a.instance.key);
    } finally {
      await db.cleanup();
    }
  });
});
