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
