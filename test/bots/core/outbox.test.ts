import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConversationCore } from '../../../bots/core/conversation-core.ts';
import type { MessageEvent } from '../../../bots/core/events.ts';
import { DEFAULT_RETRY_POLICY, retryDelay } from '../../../bots/core/retry-policy.ts';
import { ChannelSendError } from '../../../bots/core/types.ts';
import { RESIDENCE, TestAnswerer, TestChannel, TestDatabase, incoming, makeCore } from './support.ts';

const RESIDENCE_Q = 'Điều kiện đăng ký thường trú là gì?';

let database: TestDatabase;
const cores: ConversationCore[] = [];

function newCore(...args: Parameters<typeof makeCore>): ConversationCore {
  const core = makeCore(...args);
  cores.push(core);
  return core;
}

beforeEach(() => {
  database = new TestDatabase();
});

afterEach(async () => {
  for (const core of cores.splice(0)) await core.stop();
  await database.cleanup();
});

describe('retry policy', () => {
  it('doubles the delay, caps it, and honours a longer retry-after', () => {
    const policy = { baseMs: 1_000, maxMs: 10_000, maxAttempts: 6, jitter: 0 };
    expect([1, 2, 3, 4, 5].map((n) => retryDelay(policy, n))).toEqual([1_000, 2_000, 4_000, 8_000, 10_000]);
    expect(retryDelay(policy, 1, 30_000)).toBe(30_000);
    expect(retryDelay(policy, 3, 500)).toBe(4_000);
    // Retries last as long as the channel's window, not a number of attempts.
    expect(DEFAULT_RETRY_POLICY.maxAttempts).toBe(Number.POSITIVE_INFINITY);
  });

  it('draws each delay between (1 - jitter) and all of the backoff', () => {
    const policy = { baseMs: 1_000, maxMs: 10_000, maxAttempts: 6, jitter: 0.5 };
    expect(retryDelay(policy, 3, undefined, () => 0)).toBe(4_000);
    expect(retryDelay(policy, 3, undefined, () => 0.999)).toBe(2_002);
    expect(retryDelay(policy, 3, 3_000, () => 0.999)).toBe(3_000);
  });
});

describe('outbox delivery', () => {
  it('retries a retryable failure with backoff and delivers once', async () => {
    const { stores } = await database.open();
    const channel = new TestChannel('zalo');
    channel.failNext(new ChannelSendError('timeout', true), new ChannelSendError('timeout', true), new ChannelSendError('slow down', true, -32, 40));
    const core = newCore(stores, new TestAnswerer(), { retry: { baseMs: 5, maxMs: 1_000, maxAttempts: 6, jitter: 0 } });
    core.registerSender(channel);
    const failures: (MessageEvent & { retryInMs?: number; willRetry: boolean })[] = [];
    core.events.on('message.failed', (e) => failures.push(e));
    const sent: MessageEvent[] = [];
    core.events.on('message.sent', (e) => sent.push(e));
    await core.start();

    await core.receive(incoming({ channel: 'zalo', text: RESIDENCE_Q }));
    await core.drain();

    expect(channel.attempts).toBe(4);
    expect(channel.sent).toHaveLength(1);
    expect(channel.sent[0].message.citations).toEqual([RESIDENCE]);
    expect(failures.map((f) => [f.willRetry, f.retryInMs])).toEqual([[true, 5], [true, 10], [true, 40]]);
    expect(sent).toHaveLength(1);
    const item = await stores.outbox.get(sent[0].outboxId);
    expect(item).toMatchObject({ status: 'sent', attempts: 4, channelMessageIds: ['zalo-1'] });
  });

  it('records a non-retryable failure and does not retry it', async () => {
    const { stores } = await database.open();
    const channel = new TestChannel('zalo');
    channel.failNext(new ChannelSendError('user does not follow the OA', false, -213));
    const core = newCore(stores, new TestAnswerer());
    core.registerSender(channel);
    await core.start();

    await core.receive(incoming({ channel: 'zalo', text: RESIDENCE_Q }));
    await core.drain();

    expect(channel.attempts).toBe(1);
    expect(channel.sent).toHaveLength(0);
    const [turn] = await stores.conversations.recentTurns('zalo', 'u1', 1);
    expect(turn.deliveryError).toContain('user does not follow the OA');
    expect(await stores.outbox.pending()).toHaveLength(0);
    // A restart does not try it again either.
    await core.stop();
    const again = newCore(stores, new TestAnswerer());
    again.registerSender(channel);
    await again.start();
    await again.drain();
    expect(channel.attempts).toBe(1);
  });

  it('gives up after the last attempt', async () => {
    const { stores } = await database.open();
    const channel = new TestChannel('telegram');
    channel.failAlways(new ChannelSendError('bad gateway', true, 502));
    const core = newCore(stores, new TestAnswerer(), { retry: { baseMs: 1, maxMs: 5, maxAttempts: 3 } });
    core.registerSender(channel);
    await core.start();

    await core.receive(incoming({ text: RESIDENCE_Q }));
    await core.drain();

    expect(channel.attempts).toBe(3);
    const [turn] = await stores.conversations.recentTurns('telegram', 'u1', 1);
    expect(turn.deliveryError).toMatch(/bad gateway.*gave up after 3 attempts/);
  });

  it('waits for a channel whose sender registers late', async () => {
    const { stores } = await database.open();
    const channel = new TestChannel('webchat');
    const core = newCore(stores, new TestAnswerer(), { retry: { baseMs: 20, maxMs: 1_000, maxAttempts: 6 } });
    let registered = false;
    core.events.on('message.failed', () => {
      if (!registered) core.registerSender(channel);
      registered = true;
    });
    await core.start();
    await core.receive(incoming({ channel: 'webchat', text: RESIDENCE_Q }));
    await core.drain();
    expect(channel.sent).toHaveLength(1);
  });
});

describe('restart', () => {
  it('resumes an unhandled inbox event and pending outbox items after a restart', async () => {
    // First process: stores a message, but stops before handling it; one reply was queued
    // but never sent, another was being sent when the process died.
    const first = await database.open();
    const before = newCore(first.stores, new TestAnswerer());
    await before.receive(incoming({ channel: 'zalo', text: RESIDENCE_Q }));
    const recipient = { channel: 'zalo' as const, userId: 'u7', address: { chatId: 'u7' } };
    await first.stores.outbox.enqueue({ key: 'test:queued', recipient, message: { kind: 'notice', text: 'Tin đã xếp hàng' } }, new Date());
    const interrupted = await first.stores.outbox.enqueue({ key: 'test:interrupted', recipient, message: { kind: 'notice', text: 'Tin đang gửi dở' } }, new Date());
    // Claimed by an instance that died: its lease has run out.
    expect(await first.stores.outbox.claim(interrupted.id, { owner: 'dead-instance', until: new Date() }, new Date())).toBeDefined();
    await first.db.close();

    // Second process over the same file.
    const second = await database.open();
    const answerer = new TestAnswerer();
    const channel = new TestChannel('zalo');
    const after = newCore(second.stores, answerer);
    after.registerSender(channel);
    await after.start();
    await after.drain();

    expect(answerer.calls.map((c) => c.question)).toEqual([RESIDENCE_Q]);
    expect(channel.texts().sort()).toEqual(['Tin đang gửi dở', 'Tin đã xếp hàng', channel.sent.find((s) => s.message.kind === 'answer')?.message.text].sort());
    expect(channel.sent).toHaveLength(3);
    expect(await second.stores.inbox.pending()).toHaveLength(0);
    expect(await second.stores.outbox.pending()).toHaveLength(0);

    // A third start finds nothing left to do.
    await after.stop();
    const third = newCore(second.stores, answerer);
    third.registerSender(channel);
    await third.start();
    await third.drain();
    expect(channel.sent).toHaveLength(3);
  });

  it('resumes a retry that was waiting when the process stopped', async () => {
    const first = await database.open();
    const failing = new TestChannel('telegram');
    failing.failAlways(new ChannelSendError('down', true));
    const before = newCore(first.stores, new TestAnswerer(), { retry: { baseMs: 60_000, maxMs: 60_000, maxAttempts: 6 } });
    before.registerSender(failing);
    await before.start();
    await before.receive(incoming({ text: RESIDENCE_Q }));
    // Wait until the first attempt failed and a retry is scheduled a minute later.
    await new Promise<void>((resolve) => before.events.on('message.failed', () => resolve()));
    await before.stop();
    expect(await first.stores.outbox.pending()).toHaveLength(1);

    // The next process starts after the retry time.
    const second = await database.open();
    const channel = new TestChannel('telegram');
    const after = newCore(second.stores, new TestAnswerer(), { clock: () => new Date(Date.now() + 120_000) });
    after.registerSender(channel);
    await after.start();
    await after.drain();
    expect(channel.sent.map((s) => s.message.kind)).toEqual(['answer']);
    expect(failing.attempts).toBe(1);
  });

  it('resends the recorded reply, without answering again, when a crash came after the turn was recorded', async () => {
    const first = await database.open();
    const before = newCore(first.stores, new TestAnswerer());
    await before.receive(incoming({ text: RESIDENCE_Q }));
    const [item] = await first.stores.inbox.pending();
    await first.stores.conversations.recordTurn({
      inboxId: item.id,
      channel: 'telegram',
      userId: 'u1',
      intent: 'question',
      userText: RESIDENCE_Q,
      replyKind: 'answer',
      replyText: 'Câu trả lời đã ghi trước khi dừng.',
      citations: [RESIDENCE],
      answerId: 'answer-before-crash',
      createdAt: item.receivedAt,
    });

    const answerer = new TestAnswerer();
    const channel = new TestChannel('telegram');
    const after = newCore(first.stores, answerer);
    after.registerSender(channel);
    await after.start();
    await after.drain();
    expect(answerer.calls).toHaveLength(0);
    expect(channel.sent.map((s) => s.message)).toEqual([
      { kind: 'answer', text: 'Câu trả lời đã ghi trước khi dừng.', citations: [RESIDENCE], answerId: 'answer-before-crash', replyToChannelMessageId: item.channelMessageId },
    ]);
    expect(await first.stores.conversations.recentTurns('telegram', 'u1', 5)).toHaveLength(1);
  });
});
