import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConversationCore } from '../../../bots/core/conversation-core.ts';
import {
  FEEDBACK_THANKS_UP_TEXT,
  FEEDBACK_WHY_TEXT,
  NON_TEXT_TEXT,
  RATE_LIMITED_TEXT,
  helpText,
  welcomeText,
} from '../../../bots/core/messages.ts';
import { InvalidIncomingMessageError } from '../../../bots/core/pipeline/record-incoming.ts';
import type { IncomingMessage } from '../../../bots/core/types.ts';
import type { BotStorage } from '../../../storage/index.ts';
import { RESIDENCE, TestAnswerer, TestChannel, TestDatabase, incoming, makeCore } from './support.ts';

const AGENCY = 'Sở Tư pháp tỉnh Thử nghiệm';
const RESIDENCE_Q = 'Điều kiện đăng ký thường trú là gì?';

let database: TestDatabase;
let stores: BotStorage;
let answerer: TestAnswerer;
let channel: TestChannel;
let core: ConversationCore;

async function start(options: Parameters<typeof makeCore>[2] = {}): Promise<void> {
  core = makeCore(stores, answerer, options);
  core.registerSender(channel);
  await core.start();
}

async function say(partial: Partial<IncomingMessage> & { userId?: string }): Promise<void> {
  await core.receive(incoming(partial));
  await core.drain();
}

beforeEach(async () => {
  database = new TestDatabase();
  stores = (await database.open()).stores;
  answerer = new TestAnswerer();
  channel = new TestChannel('telegram');
});

afterEach(async () => {
  await core?.stop();
  await database.cleanup();
});

describe('ConversationCore: receiving', () => {
  it('answers a question with its citations, as a reply to the message', async () => {
    await start();
    const msg = incoming({ text: RESIDENCE_Q });
    expect(await core.receive(msg)).toEqual({ duplicate: false });
    await core.drain();
    expect(channel.sent).toHaveLength(1);
    const { to, message } = channel.sent[0];
    expect(to).toEqual(msg.from);
    expect(message.kind).toBe('answer');
    expect(message.citations).toEqual([RESIDENCE]);
    expect(message.answerId).toBeTruthy();
    expect(message.replyToChannelMessageId).toBe(msg.channelMessageId);

    const [turn] = await stores.conversations.recentTurns('telegram', 'u1', 5);
    expect(turn).toMatchObject({ intent: 'question', userText: RESIDENCE_Q, replyKind: 'answer', answerId: message.answerId, abstained: false, escalated: false });
    expect((await stores.inbox.pending())).toHaveLength(0);
  });

  it('answers a duplicate delivery once', async () => {
    await start();
    const msg = incoming({ text: RESIDENCE_Q });
    expect(await core.receive(msg)).toEqual({ duplicate: false });
    expect(await core.receive({ ...msg })).toEqual({ duplicate: true });
    await core.drain();
    expect(await core.receive({ ...msg })).toEqual({ duplicate: true });
    await core.drain();
    expect(answerer.calls).toHaveLength(1);
    expect(channel.sent).toHaveLength(1);
  });

  it('treats the same message id on another channel as a different message', async () => {
    await start();
    const zalo = new TestChannel('zalo');
    core.registerSender(zalo);
    const msg = incoming({ text: RESIDENCE_Q, channelMessageId: 'same' });
    expect(await core.receive(msg)).toEqual({ duplicate: false });
    expect(await core.receive(incoming({ channel: 'zalo', text: RESIDENCE_Q, channelMessageId: 'same' }))).toEqual({ duplicate: false });
    await core.drain();
    expect(channel.sent).toHaveLength(1);
    expect(zalo.sent).toHaveLength(1);
  });

  it('rejects an event that breaks the contract, storing nothing', async () => {
    await start();
    const bad = { ...incoming({ text: 'x' }), channel: 'fax' } as unknown as IncomingMessage;
    await expect(core.receive(bad)).rejects.toBeInstanceOf(InvalidIncomingMessageError);
    const mismatched = incoming({ text: 'x' });
    await expect(core.receive({ ...mismatched, from: { ...mismatched.from, channel: 'zalo' } })).rejects.toBeInstanceOf(InvalidIncomingMessageError);
    expect(await stores.inbox.pending()).toHaveLength(0);
  });

  it('sends one polite notice to a citizen over the rate limit, and answers others', async () => {
    await start({ rateLimitPerMinute: 2 });
    for (let i = 0; i < 5; i++) await core.receive(incoming({ text: `${RESIDENCE_Q} (${i})` }));
    await core.receive(incoming({ userId: 'u2', text: RESIDENCE_Q }));
    await core.drain();

    const toU1 = channel.sent.filter((s) => s.to.userId === 'u1').map((s) => s.message);
    expect(toU1.map((m) => m.kind)).toEqual(['answer', 'answer', 'notice']);
    expect(toU1[2].text).toBe(RATE_LIMITED_TEXT);
    expect(answerer.calls.filter((c) => c.question.includes(RESIDENCE_Q))).toHaveLength(3);
    expect(channel.sent.filter((s) => s.to.userId === 'u2').map((s) => s.message.kind)).toEqual(['answer']);

    const turns = await stores.conversations.recentTurns('telegram', 'u1', 10);
    expect(turns.map((t) => t.intent)).toEqual(['question', 'question', 'rate_limited', 'rate_limited', 'rate_limited']);
  });
});

describe('ConversationCore: kinds of messages', () => {
  beforeEach(() => start());

  it('welcomes a greeting, a follow and /start', async () => {
    await say({ text: 'Xin chào' });
    await say({ kind: 'follow', text: undefined });
    await say({ kind: 'command', command: 'start', text: '/start' });
    expect(channel.texts()).toEqual([welcomeText(AGENCY), welcomeText(AGENCY), welcomeText(AGENCY)]);
    expect(channel.sent.every((s) => s.message.kind === 'notice')).toBe(true);
    expect(answerer.calls).toHaveLength(0);
  });

  it('gives help for /help and "hướng dẫn"', async () => {
    await say({ kind: 'command', command: 'help', text: '/help' });
    await say({ text: 'huong dan' });
    expect(channel.texts()).toEqual([helpText(AGENCY), helpText(AGENCY)]);
  });

  it('explains that only text is understood for images, stickers and locations', async () => {
    await say({ kind: 'image', text: undefined });
    await say({ kind: 'sticker', text: undefined });
    await say({ kind: 'location', text: undefined });
    expect(channel.texts()).toEqual([NON_TEXT_TEXT, NON_TEXT_TEXT, NON_TEXT_TEXT]);
    expect(answerer.calls).toHaveLength(0);
  });

  it('records an unfollow without replying', async () => {
    await say({ kind: 'unfollow', text: undefined });
    expect(channel.sent).toHaveLength(0);
    const [turn] = await stores.conversations.recentTurns('telegram', 'u1', 1);
    expect(turn).toMatchObject({ intent: 'unfollow' });
    expect(turn.replyText).toBeUndefined();
  });

  it('applies keyword feedback to the latest answer and thanks the citizen', async () => {
    await say({ text: RESIDENCE_Q });
    const answerId = channel.sent[0].message.answerId as string;
    await say({ text: '👍' });
    expect(channel.sent[1].message).toMatchObject({ kind: 'notice', text: FEEDBACK_THANKS_UP_TEXT });
    expect(await stores.conversations.findByAnswerId(answerId)).toMatchObject({ feedback: 'up' });

    await say({ text: 'không hữu ích' });
    // 👎 asks why; the reasons come as actions.
    expect(channel.sent[2].message.text).toBe(FEEDBACK_WHY_TEXT);
    expect(channel.sent[2].message.actions?.map((a) => a.label)).toEqual(['Sai', 'Chưa đủ', 'Khó hiểu']);
    expect(await stores.conversations.findByAnswerId(answerId)).toMatchObject({ feedback: 'down' });
  });

  it('applies button feedback to the answer it names, only for its own citizen', async () => {
    await say({ text: RESIDENCE_Q });
    await say({ text: `${RESIDENCE_Q} Tôi ở Hà Nội.` });
    const [first, second] = channel.sent.map((s) => s.message.answerId as string);
    await say({ kind: 'feedback', feedback: { answerId: first, value: 'down' }, text: undefined });
    expect(await stores.conversations.findByAnswerId(first)).toMatchObject({ feedback: 'down' });
    expect((await stores.conversations.findByAnswerId(second))?.feedback).toBeUndefined();

    // Another citizen cannot rate u1's answer.
    await say({ userId: 'u2', kind: 'feedback', feedback: { answerId: second, value: 'up' }, text: undefined });
    expect((await stores.conversations.findByAnswerId(second))?.feedback).toBeUndefined();
  });

  it('passes the recent questions as history for a follow-up', async () => {
    await say({ text: RESIDENCE_Q });
    await say({ text: 'còn trường hợp con dưới 18 tuổi thì sao' });
    expect(answerer.calls[0].history).toEqual([]);
    expect(answerer.calls[1]).toEqual({ question: 'còn trường hợp con dưới 18 tuổi thì sao', history: [RESIDENCE_Q] });
    expect(channel.sent[1].message.kind).toBe('answer');
    // Another citizen's questions are not their history.
    await say({ userId: 'u2', text: 'còn trường hợp con dưới 18 tuổi thì sao' });
    expect(answerer.calls[2].history).toEqual([]);
    expect(channel.sent[2].message.kind).toBe('escalated');
  });

  it('leaves questions older than the history window out of the history', async () => {
    await core.stop();
    let now = Date.parse('2025-03-01T08:00:00Z');
    await start({ clock: () => new Date(now) });
    await say({ text: RESIDENCE_Q });
    now += 31 * 60_000;
    await say({ text: 'còn trường hợp con dưới 18 tuổi thì sao' });
    expect(answerer.calls[1].history).toEqual([]);
  });

  it('sends a proactive message through the outbox and records it', async () => {
    const result = await core.sendToUser({ channel: 'telegram', userId: 'u9', address: { chatId: 'u9' } }, { kind: 'notice', text: 'Thông báo lịch tiếp công dân.' });
    expect(result).toMatchObject({ delivered: true });
    expect(channel.sent[0]).toMatchObject({ to: { userId: 'u9' }, message: { text: 'Thông báo lịch tiếp công dân.' } });
    expect((await stores.outbox.get(result.outboxId))?.status).toBe('sent');
    expect((await stores.conversations.recentTurns('telegram', 'u9', 1))[0]).toMatchObject({ intent: 'proactive' });
  });
});
