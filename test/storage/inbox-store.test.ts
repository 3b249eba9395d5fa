import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IncomingMessage } from '../../bots/core/types.ts';
import { SqliteInboxStore } from '../../storage/sqlite/inbox-store.ts';
import { tempDatabase } from './temp-sqlite.ts';

let temp: ReturnType<typeof tempDatabase>;
beforeEach(() => {
  temp = tempDatabase();
});
const message = (id: string, channel: IncomingMessage['channel'] = 'zalo'): IncomingMessage => ({
  channel,
  channelMessageId: id,
  from: { channel, userId: 'u1', address: { userId: 'u1' } },
  kind: 'text',
  text: 'Xin chào',
  sentAt: '2025-03-01T08:00:00.000Z',
});

describe('SqliteInboxStore', () => {
  afterEach(() => temp.cleanup());

  it('stores an event once per (channel, channel message id)', async () => {
    const store = new SqliteInboxStore(temp.open());
    const first = await store.add(message('m1'), new Date('2025-03-01T08:00:01Z'));
    expect(first.duplicate).toBe(false);
    expect(await store.add(message('m1'), new Date())).toEqual({ duplicate: true });
    expect((await store.add(message('m1', 'telegram'), new Date())).duplicate).toBe(false);
    expect(await store.pending()).toHaveLength(2);
    expect(first).toEqual({
      duplicate: false,
      item: expect.objectContaining({ channel: 'zalo', channelMessageId: 'm1', userId: 'u1', status: 'pending', receivedAt: '2025-03-01T08:00:01.000Z', message: message('m1') }),
    });
  });

  it('lists pending events oldest first and forgets handled ones', async () => {
    const db = temp.open();
    const store = new SqliteInboxStore(db);
    for (const id of ['a', 'b', 'c']) await store.add(message(id), new Date());
    const [a, b] = await store.pending();
    await store.markDone(a.id, 'question', new Date());
    await store.markFailed(b.id, 'boom', new Date());
    expect((await store.pending()).map((i) => i.channelMessageId)).toEqual(['c']);
    expect(await store.get(a.id)).toMatchObject({ status: 'done', outcome: 'question' });
    expect(await store.get(b.id)).toMatchObject({ status: 'failed', error: 'boom' });
    // Migrations run once: a second store over the same file sees the same rows.
    expect(await new SqliteInboxStore(temp.open()).pending()).toHaveLength(1);
  });
});
