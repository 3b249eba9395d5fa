import { describe, expect, it } from 'vitest';
import type { IncomingMessage } from '../../../bots/core/types.ts';
import { useBackend, type BackendFactory } from './backend.ts';

const message = (id: string, channel: IncomingMessage['channel'] = 'zalo'): IncomingMessage => ({
  channel,
  channelMessageId: id,
  from: { channel, userId: 'u1', address: { userId: 'u1' } },
  kind: 'text',
  text: 'Xin chào, cho hỏi thủ tục đăng ký thường trú?',
  sentAt: '2025-03-01T08:00:00.000Z',
});

/** InboxStore behaviour every backend must have. */
export function inboxStoreContract(factory: BackendFactory): void {
  describe('InboxStore', () => {
    const db = useBackend(factory);
    const open = async () => (await db().connect()).inbox();

    it('stores an event once per (channel, channel message id)', async () => {
      const store = await open();
      const first = await store.add(message('m1'), new Date('2025-03-01T08:00:01Z'));
      expect(first).toEqual({
        duplicate: false,
        item: expect.objectContaining({ channel: 'zalo', channelMessageId: 'm1', userId: 'u1', status: 'pending', receivedAt: '2025-03-01T08:00:01.000Z', message: message('m1') }),
      });
      expect(await store.add(message('m1'), new Date())).toEqual({ duplicate: true });
      expect((await store.add(message('m1', 'telegram'), new Date())).duplicate).toBe(false);
      expect(await store.pending()).toHaveLength(2);
    });

    it('accepts a re-delivery racing on two connections exactly once', async () => {
      const one = await open();
      const two = await open();
      const results = await Promise.all([...Array(6)].map((_, i) => (i % 2 ? one : two).add(message('same'), new Date())));
      expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
      expect(await one.pending()).toHaveLength(1);
    });

    it('claims each pending event for one connection at a time, and takes it over when the lease runs out', async () => {
      const one = await open();
      const two = await open();
      const t0 = new Date('2025-03-01T08:00:00Z');
      const at = (s: number) => new Date(t0.getTime() + s * 1000);
      const mine = await one.add(message('held'), t0, { owner: 'one', until: at(30) });
      expect(mine).toMatchObject({ item: { claimedBy: 'one', attempts: 1 } });
      for (let i = 0; i < 40; i++) await one.add(message(`m${i}`), t0);

      const batches = await Promise.all([...Array(10)].map((_, i) => (i % 2 ? one : two).claimNext({ owner: `c${i}`, until: at(30) }, at(1), 5)));
      const ids = batches.flat().map((i) => i.id);
      expect(new Set(ids).size).toBe(40);
      expect(await two.claimNext({ owner: 'two', until: at(30) }, at(1), 100)).toEqual([]);

      // Renewed leases hold; the others run out and are taken over, oldest first.
      const held = mine.duplicate ? -1 : mine.item.id;
      expect(await one.renew([held, 999], { owner: 'one', until: at(120) })).toBe(1);
      expect(await two.renew([held], { owner: 'two', until: at(120) })).toBe(0);
      const taken = await two.claimNext({ owner: 'two', until: at(100) }, at(31), 100);
      expect(taken).toHaveLength(40);
      expect(taken[0]).toMatchObject({ channelMessageId: 'm0', claimedBy: 'two', attempts: 2 });

      // A retry waits; a graceful stop hands back at once.
      await two.retryLater(taken[0].id, 'two', 'database unavailable', at(60));
      await two.retryLater(taken[1].id, 'not-the-owner', 'x', at(60));
      expect(await two.release('two')).toBe(39);
      expect((await one.claimNext({ owner: 'one', until: at(200) }, at(40), 100)).map((i) => i.channelMessageId)).not.toContain('m0');
      expect((await one.claimNext({ owner: 'one', until: at(200) }, at(61), 100)).map((i) => [i.channelMessageId, i.error])).toEqual([['m0', 'database unavailable']]);
    });

    it('prunes handled events processed before a date, never pending ones', async () => {
      const store = await open();
      for (const id of ['a', 'b', 'c']) await store.add(message(id), new Date('2025-03-01T08:00:00Z'));
      const [a, b] = await store.pending();
      await store.markDone(a.id, 'question', new Date('2025-03-01T08:00:05Z'));
      await store.markDone(b.id, 'question', new Date('2025-03-09T08:00:05Z'));
      expect(await store.prune(new Date('2025-03-05T00:00:00Z'))).toBe(1);
      expect(await store.get(a.id)).toBeUndefined();
      expect(await store.get(b.id)).toBeDefined();
      expect(await store.prune(new Date('2030-01-01T00:00:00Z'))).toBe(1);
      expect((await store.pending()).map((i) => i.channelMessageId)).toEqual(['c']);
    });

    it('lists pending events oldest first and finishes each only once', async () => {
      const store = await open();
      for (const id of ['a', 'b', 'c']) await store.add(message(id), new Date());
      const [a, b] = await store.pending();
      await store.markDone(a.id, 'question', new Date('2025-03-01T08:00:05Z'));
      await store.markFailed(b.id, 'boom', new Date());
      expect((await store.pending()).map((i) => i.channelMessageId)).toEqual(['c']);
      expect(await store.get(a.id)).toMatchObject({ status: 'done', outcome: 'question', processedAt: '2025-03-01T08:00:05.000Z' });
      expect(await store.get(b.id)).toMatchObject({ status: 'failed', error: 'boom' });
      // A finished item stays finished.
      await store.markFailed(a.id, 'late', new Date());
      expect(await store.get(a.id)).toMatchObject({ status: 'done' });
      expect(await store.get(9999)).toBeUndefined();
      expect(await store.pending(0)).toEqual([]);
      // A second connection sees the same rows (migrations ran once).
      expect(await (await open()).pending()).toHaveLength(1);
    });
  });
}
