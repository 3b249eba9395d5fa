import { describe, expect, it } from 'vitest';
import type { Recipient } from '../../../bots/core/types.ts';
import { useBackend, type BackendFactory } from './backend.ts';

const recipient: Recipient = { channel: 'telegram', userId: 'u1', address: { chatId: 1 } };
const t0 = new Date('2025-03-01T08:00:00Z');

/** OutboxStore behaviour every backend must have. */
export function outboxStoreContract(factory: BackendFactory): void {
  describe('OutboxStore', () => {
    const db = useBackend(factory);
    const open = async () => (await db().connect()).outbox();

    it('keeps the first item for a key', async () => {
      const store = await open();
      const a = await store.enqueue({ key: 'inbox:1', recipient, message: { kind: 'notice', text: 'một' } }, t0);
      const b = await store.enqueue({ key: 'inbox:1', recipient, message: { kind: 'notice', text: 'hai' } }, t0);
      expect(b.id).toBe(a.id);
      expect(b.message.text).toBe('một');
      expect(a).toMatchObject({ status: 'pending', attempts: 0, nextAttemptAt: t0.toISOString(), createdAt: t0.toISOString(), recipient });
    });

    it('lets only one claim win, and moves through retry, sent and failed', async () => {
      const store = await open();
      const item = await store.enqueue({ key: 'k', recipient, message: { kind: 'answer', text: 'x', answerId: 'a1' }, turnId: 't1' }, t0);
      const claims = await Promise.all([store.claim(item.id, t0), store.claim(item.id, t0)]);
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect((await store.get(item.id))?.attempts).toBe(1);

      const later = new Date('2025-03-01T08:00:05Z');
      await store.markRetry(item.id, 'timeout', later, t0);
      expect(await store.get(item.id)).toMatchObject({ status: 'pending', lastError: 'timeout', nextAttemptAt: later.toISOString() });
      expect(await store.claim(item.id, later)).toMatchObject({ attempts: 2, status: 'sending', turnId: 't1' });
      await store.markSent(item.id, ['m-1', 'm-2'], later);
      expect(await store.get(item.id)).toMatchObject({ status: 'sent', channelMessageIds: ['m-1', 'm-2'], sentAt: later.toISOString() });
      // Finished items cannot be claimed or changed again.
      expect(await store.claim(item.id, later)).toBeUndefined();
      await store.markFailed(item.id, 'late', later);
      expect((await store.get(item.id))?.status).toBe('sent');
      expect(await store.claim(424242, later)).toBeUndefined();
    });

    it('gives each item to exactly one of two connections claiming everything at once', async () => {
      const one = await open();
      const two = await open();
      const items = [];
      for (let i = 0; i < 20; i++) items.push(await one.enqueue({ key: `race:${i}`, recipient, message: { kind: 'notice', text: `tin ${i}` } }, t0));
      const claims = await Promise.all(items.flatMap((it) => [one.claim(it.id, t0), two.claim(it.id, t0), one.claim(it.id, t0), two.claim(it.id, t0)]));
      const won = claims.filter((c) => c !== undefined).map((c) => c.id);
      expect(won.sort((a, b) => a - b)).toEqual(items.map((i) => i.id).sort((a, b) => a - b));
      for (const it of items) expect((await two.get(it.id))?.attempts).toBe(1);
    });

    it("puts interrupted items back in line and finds an escalation's latest reply", async () => {
      const store = await open();
      const notice = await store.enqueue({ key: 'n', recipient, message: { kind: 'escalated', text: 'đã chuyển' }, escalationId: 'e1' }, t0);
      const reply1 = await store.enqueue({ key: 'r1', recipient, message: { kind: 'spokesperson_reply', text: 'một' }, escalationId: 'e1' }, t0);
      await store.claim(reply1.id, t0);
      await store.markFailed(reply1.id, 'blocked', t0);
      const reply2 = await store.enqueue({ key: 'r2', recipient, message: { kind: 'spokesperson_reply', text: 'hai' }, escalationId: 'e1' }, t0);
      expect((await store.latestReply('e1'))?.id).toBe(reply2.id);
      expect(await store.latestReply('e2')).toBeUndefined();

      await store.claim(notice.id, t0);
      expect(await store.requeueInterrupted(t0)).toBe(1);
      expect((await store.pending()).map((i) => i.key).sort()).toEqual(['n', 'r2']);
    });

    it('lists pending items soonest first', async () => {
      const store = await open();
      const a = await store.enqueue({ key: 'a', recipient, message: { kind: 'notice', text: 'a' } }, t0);
      await store.enqueue({ key: 'b', recipient, message: { kind: 'notice', text: 'b' } }, t0);
      await store.claim(a.id, t0);
      await store.markRetry(a.id, 'later', new Date('2025-03-01T09:00:00Z'), t0);
      expect((await store.pending()).map((i) => i.key)).toEqual(['b', 'a']);
      expect((await store.pending(1)).map((i) => i.key)).toEqual(['b']);
    });
  });
}
