import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Recipient } from '../../bots/core/types.ts';
import { SqliteOutboxStore } from '../../storage/sqlite/outbox-store.ts';
import { tempDatabase } from './temp-sqlite.ts';

let temp: ReturnType<typeof tempDatabase>;
beforeEach(() => {
  temp = tempDatabase();
});
afterEach(() => temp.cleanup());

const recipient: Recipient = { channel: 'telegram', userId: 'u1', address: { chatId: 1 } };
const t0 = new Date('2025-03-01T08:00:00Z');

describe('SqliteOutboxStore', () => {
  it('keeps the first item for a key', async () => {
    const store = new SqliteOutboxStore(temp.open());
    const a = await store.enqueue({ key: 'inbox:1', recipient, message: { kind: 'notice', text: 'một' } }, t0);
    const b = await store.enqueue({ key: 'inbox:1', recipient, message: { kind: 'notice', text: 'hai' } }, t0);
    expect(b.id).toBe(a.id);
    expect(b.message.text).toBe('một');
    expect(a).toMatchObject({ status: 'pending', attempts: 0, nextAttemptAt: t0.toISOString(), recipient });
  });

  it('lets only one claim win, and moves through retry, sent and failed', async () => {
    const store = new SqliteOutboxStore(temp.open());
    const item = await store.enqueue({ key: 'k', recipient, message: { kind: 'answer', text: 'x', answerId: 'a1' }, turnId: 't1' }, t0);
    const claims = await Promise.all([store.claim(item.id, t0), store.claim(item.id, t0)]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect((await store.get(item.id))?.attempts).toBe(1);

    const later = new Date('2025-03-01T08:00:05Z');
    await store.markRetry(item.id, 'timeout', later, t0);
    expect(await store.get(item.id)).toMatchObject({ status: 'pending', lastError: 'timeout', nextAttemptAt: later.toISOString() });
    expect(await store.claim(item.id, later)).toMatchObject({ attempts: 2, status: 'sending' });
    await store.markSent(item.id, ['m-1', 'm-2'], later);
    expect(await store.get(item.id)).toMatchObject({ status: 'sent', channelMessageIds: ['m-1', 'm-2'], sentAt: later.toISOString() });
    // Finished items cannot be claimed or changed again.
    expect(await store.claim(item.id, later)).toBeUndefined();
    await store.markFailed(item.id, 'late', later);
    expect((await store.get(item.id))?.status).toBe('sent');
  });

  it('puts interrupted items back in line and finds an escalation\'s latest reply', async () => {
    const store = new SqliteOutboxStore(temp.open());
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
});
