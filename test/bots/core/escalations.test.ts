import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConversationCore } from '../../../bots/core/conversation-core.ts';
import { ESCALATED_AFTER_ABSTAIN_TEXT, ESCALATED_TEXT } from '../../../bots/core/messages.ts';
import { ChannelSendError } from '../../../bots/core/types.ts';
import type { Escalation } from '../../../storage/escalation-store.ts';
import type { BotStorage } from '../../../storage/index.ts';
import { LAND_CANDIDATE, RESIDENCE, TestAnswerer, TestChannel, TestDatabase, incoming, makeCore } from './support.ts';
import { officerActor } from '../../../domain/escalation.ts';

const LAND_Q = 'Tranh chấp đất đai với hàng xóm thì giải quyết thế nào?';
const RESIDENCE_Q = 'Điều kiện đăng ký thường trú là gì?';

let database: TestDatabase;
let stores: BotStorage;
let answerer: TestAnswerer;
let channel: TestChannel;
let core: ConversationCore;

beforeEach(async () => {
  database = new TestDatabase();
  stores = (await database.open()).stores;
  answerer = new TestAnswerer();
  channel = new TestChannel('zalo');
  core = makeCore(stores, answerer);
  core.registerSender(channel);
  await core.start();
});

afterEach(async () => {
  await core.stop();
  await database.cleanup();
});

async function say(text: string, userId = 'u1'): Promise<void> {
  await core.receive(incoming({ channel: 'zalo', userId, text, userName: 'Nguyễn Văn A' }));
  await core.drain();
}

async function escalateLandQuestion(): Promise<Escalation> {
  await say(LAND_Q);
  const [escalation] = await stores.escalations.list({ status: 'open' });
  return escalation;
}

describe('escalation', () => {
  it('stores the escalation, with candidates and context, before telling the citizen', async () => {
    const seenAtSend: Escalation[][] = [];
    channel.onSend = async (_to, message) => {
      if (message.kind === 'escalated') seenAtSend.push(await stores.escalations.list());
    };
    const created: Escalation[] = [];
    core.events.on('escalation.created', (e) => created.push(e));

    await say(RESIDENCE_Q);
    await say(LAND_Q);

    expect(channel.sent.map((s) => s.message.kind)).toEqual(['answer', 'escalated']);
    expect(channel.sent[1].message.text).toBe(ESCALATED_AFTER_ABSTAIN_TEXT);
    expect(seenAtSend).toHaveLength(1);
    expect(seenAtSend[0]).toHaveLength(1);
    const escalation = seenAtSend[0][0];
    expect(escalation).toMatchObject({
      status: 'open',
      reason: 'abstained',
      abstainReason: 'low_confidence',
      channel: 'zalo',
      question: LAND_Q,
      userName: 'Nguyễn Văn A',
      candidates: [LAND_CANDIDATE],
      deliveryStatus: 'none',
      recipient: { channel: 'zalo', userId: 'u1', address: { chatId: 'u1' } },
    });
    expect(escalation.context).toHaveLength(1);
    expect(escalation.context[0]).toMatchObject({ userText: RESIDENCE_Q });
    expect(escalation.context[0].replyText).toContain('thường trú');
    expect(created.map((e) => e.id)).toEqual([escalation.id]);

    const turns = await stores.conversations.recentTurns('zalo', 'u1', 5);
    expect(turns[1]).toMatchObject({ intent: 'question', abstained: true, escalated: true, escalationId: escalation.id, replyKind: 'escalated' });
  });

  it('escalates an abstention with no candidates too', async () => {
    await say('Thời tiết ngày mai thế nào?');
    const [escalation] = await stores.escalations.list();
    expect(escalation).toMatchObject({ reason: 'abstained', abstainReason: 'no_knowledge', candidates: [] });
  });

  it('escalates a bare request for a person with the latest question', async () => {
    await say(RESIDENCE_Q);
    await say('gặp cán bộ');
    expect(channel.sent[1].message).toMatchObject({ kind: 'escalated', text: ESCALATED_TEXT });
    const [escalation] = await stores.escalations.list();
    expect(escalation).toMatchObject({ reason: 'requested', question: RESIDENCE_Q, candidates: [] });
    expect(answerer.calls).toHaveLength(1);
  });

  it('escalates the question a request for a person carries', async () => {
    const text = 'Tôi muốn gặp cán bộ để hỏi về tranh chấp đất đai với hàng xóm';
    await say(text);
    const [escalation] = await stores.escalations.list();
    expect(escalation).toMatchObject({ reason: 'requested', question: text });
  });

  it('escalates when the answerer fails', async () => {
    answerer.failWith = new Error('index missing');
    await say(RESIDENCE_Q);
    expect(channel.sent[0].message.kind).toBe('escalated');
    expect((await stores.escalations.list())[0]).toMatchObject({ reason: 'error', question: RESIDENCE_Q });
  });
});

describe('replying to an escalation', () => {
  it('delivers the reply on the citizen\'s channel and marks the escalation answered', async () => {
    const escalation = await escalateLandQuestion();
    const updates: Escalation[] = [];
    core.events.on('escalation.updated', (e) => updates.push(e));

    const result = await core.replyToEscalation(escalation.id, { text: 'Bạn gửi đơn đến UBND cấp xã để hòa giải.', citations: [RESIDENCE], officer: 'can-bo-1' });
    expect(result).toEqual({ delivered: true });

    const reply = channel.sent.at(-1);
    expect(reply?.to).toEqual(escalation.recipient);
    expect(reply?.message.kind).toBe('spokesperson_reply');
    expect(reply?.message.text).toContain('Bạn gửi đơn đến UBND cấp xã để hòa giải.');
    expect(reply?.message.text).toContain(LAND_Q);
    expect(reply?.message.citations).toEqual([RESIDENCE]);

    const stored = await stores.escalations.get(escalation.id);
    expect(stored).toMatchObject({ status: 'answered', deliveryStatus: 'sent', assignee: 'can-bo-1', answeredBy: 'can-bo-1', answerText: 'Bạn gửi đơn đến UBND cấp xã để hòa giải.' });
    expect(stored?.deliveredAt).toBeTruthy();
    expect(updates.at(-1)?.status).toBe('answered');

    const last = (await stores.conversations.recentTurns('zalo', 'u1', 1))[0];
    expect(last).toMatchObject({ intent: 'spokesperson_reply', escalationId: escalation.id, answerId: reply?.message.answerId });

    // Answered is final: a second reply is refused and nothing more is sent.
    const again = await core.replyToEscalation(escalation.id, { text: 'Bổ sung', officer: 'can-bo-1' });
    expect(again).toMatchObject({ delivered: false, refused: 'already_answered' });
    expect(channel.sent).toHaveLength(2);
  });

  it('records a failed delivery on the escalation and delivers it on retryDelivery', async () => {
    const escalation = await escalateLandQuestion();
    channel.failNext(new ChannelSendError('user has not interacted for 7 days', false, -230));

    const result = await core.replyToEscalation(escalation.id, { text: 'Trả lời', officer: 'can-bo-1' });
    expect(result).toMatchObject({ delivered: false });
    expect(result.error).toContain('7 days');
    await core.drain();
    expect(await stores.escalations.get(escalation.id)).toMatchObject({ status: 'claimed', deliveryStatus: 'failed', answerText: 'Trả lời' });
    expect((await stores.escalations.get(escalation.id))?.deliveryError).toContain('-230');
    expect(channel.sent.map((s) => s.message.kind)).toEqual(['escalated']);

    expect(await core.retryDelivery(escalation.id, 'can-bo-1')).toEqual({ delivered: true });
    expect(channel.sent.map((s) => s.message.kind)).toEqual(['escalated', 'spokesperson_reply']);
    expect(await stores.escalations.get(escalation.id)).toMatchObject({ status: 'answered', deliveryStatus: 'sent' });
    expect(await core.retryDelivery(escalation.id, 'can-bo-1')).toEqual({ delivered: true });
    expect(channel.sent).toHaveLength(2);
  });

  it('keeps retrying a reply after a retryable failure and marks it answered when it gets through', async () => {
    const escalation = await escalateLandQuestion();
    channel.failNext(new ChannelSendError('rate limited', true, 429));
    const result = await core.replyToEscalation(escalation.id, { text: 'Trả lời', officer: 'can-bo-1' });
    expect(result).toMatchObject({ delivered: false, willRetry: true });
    expect((await stores.escalations.get(escalation.id))?.deliveryStatus).toBe('pending');
    await core.drain();
    expect(await stores.escalations.get(escalation.id)).toMatchObject({ status: 'answered', deliveryStatus: 'sent' });
    expect(channel.sent.filter((s) => s.message.kind === 'spokesperson_reply')).toHaveLength(1);
  });

  it('lets one officer claim an escalation at a time', async () => {
    const escalation = await escalateLandQuestion();
    expect(await core.claimEscalation(escalation.id, 'can-bo-1')).toMatchObject({ ok: true, escalation: { status: 'claimed', assignee: 'can-bo-1' } });
    expect(await core.claimEscalation(escalation.id, 'can-bo-2')).toMatchObject({ ok: false, reason: 'claimed_by_other', escalation: { assignee: 'can-bo-1' } });
    expect(await core.claimEscalation(escalation.id, 'can-bo-1')).toMatchObject({ ok: true });

    const other = await core.replyToEscalation(escalation.id, { text: 'Trả lời', officer: 'can-bo-2' });
    expect(other).toEqual({ delivered: false, refused: 'claimed_by_other', error: 'escalation is claimed by another officer' });
    expect(channel.sent.map((s) => s.message.kind)).toEqual(['escalated']);

    expect(await core.claimEscalation('missing', 'can-bo-1')).toEqual({ ok: false, reason: 'not_found' });
  });

  it('lets concurrent claims through to exactly one officer', async () => {
    const escalation = await escalateLandQuestion();
    const results = await Promise.all(['a', 'b', 'c', 'd'].map((o) => stores.escalations.apply(escalation.id, { type: 'claim' }, officerActor(o), new Date())));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });

  it('closes an escalation with a reason, after which it cannot be claimed or answered', async () => {
    const escalation = await escalateLandQuestion();
    expect(await core.closeEscalation(escalation.id, 'trùng lặp', 'can-bo-1')).toMatchObject({ ok: true, escalation: { status: 'closed', closedReason: 'trùng lặp' } });
    expect(await core.claimEscalation(escalation.id, 'can-bo-1')).toMatchObject({ ok: false, reason: 'already_closed' });
    expect(await core.replyToEscalation(escalation.id, { text: 'x', officer: 'can-bo-1' })).toMatchObject({ delivered: false, refused: 'already_closed' });
  });

  it('sends exactly one of concurrent replies by the same officer, and stores that one', async () => {
    const escalation = await escalateLandQuestion();
    // The winner's send is held until the others have been answered, so they all meet it in flight.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    channel.onSend = () => held;
    const texts = ['Trả lời một', 'Trả lời hai', 'Trả lời ba'];
    let done = 0;
    const pending = texts.map((text) => core.replyToEscalation(escalation.id, { text, officer: 'can-bo-1' }).finally(() => done++));
    await expect.poll(() => done).toBe(2);
    release();
    const results = await Promise.all(pending);
    expect(results.filter((r) => r.delivered)).toHaveLength(1);
    expect(results.filter((r) => !r.delivered).map((r) => r.refused)).toEqual(['answer_in_progress', 'answer_in_progress']);
    const replies = channel.sent.filter((s) => s.message.kind === 'spokesperson_reply');
    expect(replies).toHaveLength(1);
    const stored = await stores.escalations.get(escalation.id);
    expect(replies[0].message.text).toContain(stored?.answerText);
  });

  it('sends a failed reply once when it is retried twice at once', async () => {
    const escalation = await escalateLandQuestion();
    channel.failNext(new ChannelSendError('user has not interacted for 7 days', false, -230));
    await core.replyToEscalation(escalation.id, { text: 'Trả lời', officer: 'can-bo-1' });
    await core.drain();
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    channel.onSend = () => held;
    let done = 0;
    const pending = [core.retryDelivery(escalation.id, 'can-bo-1'), core.retryDelivery(escalation.id, officerActor('admin@so.vn', true))].map((p) => p.finally(() => done++));
    await expect.poll(() => done).toBe(1);
    release();
    const [a, b] = await Promise.all(pending);
    expect([a.delivered, b.delivered].filter(Boolean)).toHaveLength(1);
    expect([a, b].find((r) => !r.delivered)).toMatchObject({ delivered: false, refused: 'answer_in_progress' });
    expect(channel.sent.filter((s) => s.message.kind === 'spokesperson_reply')).toHaveLength(1);
  });

  it('delivers on retry a reply stored as answering but never queued (a crash in between)', async () => {
    const escalation = await escalateLandQuestion();
    await stores.escalations.apply(escalation.id, { type: 'answer', text: 'Trả lời còn treo', citations: [] }, officerActor('can-bo-1'), new Date());
    expect(await core.retryDelivery(escalation.id, 'can-bo-1')).toEqual({ delivered: true });
    expect(channel.sent.at(-1)?.message.text).toContain('Trả lời còn treo');
    expect(await stores.escalations.get(escalation.id)).toMatchObject({ status: 'answered', deliveryStatus: 'sent' });
  });

  it('refuses a retry of a closed question, and of another officer\'s reply on its way', async () => {
    const closed = await escalateLandQuestion();
    await core.closeEscalation(closed.id, 'trùng lặp', 'can-bo-1');
    expect(await core.retryDelivery(closed.id, 'can-bo-1')).toMatchObject({ delivered: false, refused: 'already_closed' });

    await say('Hỏi về tranh chấp đất đai lần nữa', 'u2');
    const [open] = await stores.escalations.list({ status: 'open' });
    channel.failNext(new ChannelSendError('rate limited', true, 429));
    expect(await core.replyToEscalation(open.id, { text: 'Trả lời', officer: 'can-bo-1' })).toMatchObject({ delivered: false, willRetry: true });
    expect(await core.retryDelivery(open.id, 'can-bo-2')).toMatchObject({ delivered: false, refused: 'claimed_by_other' });
    expect(await core.retryDelivery(open.id, 'can-bo-1')).toEqual({ delivered: true });
    expect(channel.sent.filter((x) => x.message.kind === 'spokesperson_reply')).toHaveLength(1);
  });

  it('refuses an empty reply', async () => {
    const escalation = await escalateLandQuestion();
    const result = await core.replyToEscalation(escalation.id, { text: '   ', officer: 'can-bo-1' });
    expect(result).toMatchObject({ delivered: false, refused: 'invalid_reply' });
    expect((await stores.escalations.get(escalation.id))?.status).toBe('open');
  });
});
