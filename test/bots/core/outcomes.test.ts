import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConversationCore } from '../../../bots/core/conversation-core.ts';
import {
  ALREADY_CHOSEN_TEXT,
  CHOICE_EXPIRED_TEXT,
  CLARIFY_TEXT,
  ESCALATED_TEXT,
  FEEDBACK_REASON_THANKS_TEXT,
  FEEDBACK_WHY_TEXT,
} from '../../../bots/core/messages.ts';
import type { IncomingMessage, OutgoingAction } from '../../../bots/core/types.ts';
import type { BotStorage } from '../../../storage/index.ts';
import {
  DECLINE_REPLY,
  EARLY_RETIREMENT,
  PASSPORT,
  PASSPORT_MORE,
  PASSPORT_SHORT,
  RETIREMENT_AGE,
  TestAnswerer,
  TestChannel,
  TestDatabase,
  incoming,
  makeCore,
} from './support.ts';

const RETIREMENT_Q = 'bao nhieu tuoi thi dc nghi huu';
const PASSPORT_Q = 'Làm hộ chiếu lần đầu cần gì?';

let database: TestDatabase;
let stores: BotStorage;
let answerer: TestAnswerer;
let channel: TestChannel;
let core: ConversationCore;
let now: Date;
const clock = () => now;

async function start(): Promise<void> {
  core = makeCore(stores, answerer, { clock });
  core.registerSender(channel);
  await core.start();
}

async function say(partial: Partial<IncomingMessage> & { userId?: string }): Promise<void> {
  await core.receive(incoming(partial));
  await core.drain();
}

/** Presses the button with this label under the latest message that had it. */
async function press(label: string, userId = 'u1'): Promise<void> {
  await say({ kind: 'choice', choice: { id: actionNamed(label).id }, userId });
}

function actionNamed(label: string): OutgoingAction {
  const action = channel.sent
    .flatMap((s) => s.message.actions ?? [])
    .reverse()
    .find((a) => a.label === label);
  if (!action) throw new Error(`no button "${label}" was sent`);
  return action;
}

const last = () => channel.sent.at(-1)?.message;

beforeEach(async () => {
  database = new TestDatabase();
  stores = (await database.open()).stores;
  answerer = new TestAnswerer();
  channel = new TestChannel('telegram');
  now = new Date('2026-03-02T08:00:00.000Z');
  await start();
});

afterEach(async () => {
  await core?.stop();
  await database.cleanup();
});

describe('decline', () => {
  it('replies politely with "Gặp cán bộ" and creates no escalation; the turn is kept for reports', async () => {
    await say({ text: 'Giá vàng hôm nay bao nhiêu?' });
    expect(last()).toMatchObject({ kind: 'notice', text: DECLINE_REPLY });
    expect(last()?.actions).toEqual([expect.objectContaining({ kind: 'human', label: 'Gặp cán bộ' })]);
    expect(await stores.escalations.list()).toEqual([]);
    const [turn] = await stores.conversations.recentTurns('telegram', 'u1', 1);
    expect(turn).toMatchObject({ intent: 'question', outcome: 'decline', abstainReason: 'out_of_scope', escalated: false, userText: 'Giá vàng hôm nay bao nhiêu?' });
  });

  it('"Gặp cán bộ" under a decline hands that message to a person', async () => {
    await say({ text: 'Giá vàng hôm nay bao nhiêu?' });
    await press('Gặp cán bộ');
    const [escalation] = await stores.escalations.list();
    expect(escalation).toMatchObject({ question: 'Giá vàng hôm nay bao nhiêu?', reason: 'requested' });
    expect(last()).toMatchObject({ kind: 'escalated', text: ESCALATED_TEXT });
  });

  it('typing "gặp cán bộ" right after a decline hands that message to a person', async () => {
    await say({ text: 'Giá vàng hôm nay bao nhiêu?' });
    await say({ text: 'cho tôi gặp cán bộ' });
    expect((await stores.escalations.list()).map((e) => e.question)).toEqual(['Giá vàng hôm nay bao nhiêu?']);
  });

  it('a decline is no topic for the next question', async () => {
    await say({ text: 'cảm ơn' });
    await say({ text: PASSPORT_Q });
    expect(answerer.calls.at(-1)).toEqual({ question: PASSPORT_Q, history: [] });
  });
});

describe('clarify', () => {
  it('asks "Có phải bạn hỏi về:" with the options and "Không phải — gặp cán bộ", and creates no escalation', async () => {
    await say({ text: RETIREMENT_Q });
    expect(last()?.text).toBe(CLARIFY_TEXT);
    expect(last()?.actions?.map((a) => [a.kind, a.label])).toEqual([
      ['choose', 'Tuổi nghỉ hưu hiện nay — Bộ luật Lao động'],
      ['choose', 'Nghỉ hưu trước tuổi — Bộ luật Lao động'],
      ['human', 'Không phải — gặp cán bộ'],
    ]);
    expect(await stores.escalations.list()).toEqual([]);
    const [turn] = await stores.conversations.recentTurns('telegram', 'u1', 1);
    expect(turn).toMatchObject({ intent: 'question', outcome: 'clarify', escalated: false });
  });

  it('a pressed option answers at once from the unit chosen and is stored as a labelled example', async () => {
    await say({ text: RETIREMENT_Q });
    await press('Tuổi nghỉ hưu hiện nay — Bộ luật Lao động');
    expect(answerer.answerFromCalls).toEqual([{ question: RETIREMENT_Q, unitId: RETIREMENT_AGE.id }]);
    expect(last()).toMatchObject({ kind: 'answer', text: RETIREMENT_AGE.quote, citations: [RETIREMENT_AGE] });
    expect(last()?.answerId).toBeTruthy();
    expect(await stores.examples.list()).toEqual([
      expect.objectContaining({ question: RETIREMENT_Q, unitId: RETIREMENT_AGE.id, channel: 'telegram', createdAt: now.toISOString() }),
    ]);
    // The choice is no second question in the reports.
    const turns = await stores.conversations.recentTurns('telegram', 'u1', 5);
    expect(turns.map((t) => t.intent)).toEqual(['question', 'choice']);
  });

  it('a typed number answers from that option (Zalo, or anyone who types)', async () => {
    await say({ text: RETIREMENT_Q });
    await say({ text: '2' });
    expect(answerer.answerFromCalls).toEqual([{ question: RETIREMENT_Q, unitId: EARLY_RETIREMENT.id }]);
    expect(last()).toMatchObject({ kind: 'answer', citations: [EARLY_RETIREMENT] });
    expect((await stores.examples.list()).map((e) => e.unitId)).toEqual([EARLY_RETIREMENT.id]);
  });

  it('"Không phải — gặp cán bộ" escalates the original question with the options as candidates', async () => {
    await say({ text: RETIREMENT_Q });
    await press('Không phải — gặp cán bộ');
    const [escalation] = await stores.escalations.list();
    expect(escalation).toMatchObject({ question: RETIREMENT_Q, reason: 'requested' });
    expect(escalation.candidates.map((c) => c.id)).toEqual([RETIREMENT_AGE.id, EARLY_RETIREMENT.id]);
    expect(last()?.kind).toBe('escalated');
    expect(await stores.examples.list()).toEqual([]);
    expect(answerer.answerFromCalls).toEqual([]);
  });

  it('typing "gặp cán bộ" under a clarifying question does the same', async () => {
    await say({ text: RETIREMENT_Q });
    await say({ text: 'gặp cán bộ' });
    const [escalation] = await stores.escalations.list();
    expect(escalation.candidates.map((c) => c.id)).toEqual([RETIREMENT_AGE.id, EARLY_RETIREMENT.id]);
  });

  it('an option whose unit is gone goes to a person, with that option as the candidate', async () => {
    await say({ text: 'thủ tục ly hôn' });
    await press('Quyền yêu cầu ly hôn');
    const [escalation] = await stores.escalations.list();
    expect(escalation).toMatchObject({ question: 'thủ tục ly hôn', reason: 'abstained' });
    expect(escalation.candidates.map((c) => [c.id, c.title])).toEqual([['luat-hon-nhan::51', 'Quyền yêu cầu ly hôn']]);
    expect(last()?.kind).toBe('escalated');
    // The citizen's choice is still a label.
    expect((await stores.examples.list()).map((e) => e.unitId)).toEqual(['luat-hon-nhan::51']);
  });

  it('expires after the next question: a typed number is then a message, a button a short note', async () => {
    await say({ text: RETIREMENT_Q });
    await say({ text: PASSPORT_Q });
    await say({ text: '1' });
    expect(answerer.calls.at(-1)?.question).toBe('1');
    await press('Tuổi nghỉ hưu hiện nay — Bộ luật Lao động');
    expect(last()?.text).toBe(CHOICE_EXPIRED_TEXT);
    expect(answerer.answerFromCalls).toEqual([]);
    expect(await stores.examples.list()).toEqual([]);
  });

  it('expires after 30 minutes', async () => {
    await say({ text: RETIREMENT_Q });
    now = new Date(now.getTime() + 31 * 60_000);
    await press('Nghỉ hưu trước tuổi — Bộ luật Lao động');
    expect(last()?.text).toBe(CHOICE_EXPIRED_TEXT);
    expect(answerer.answerFromCalls).toEqual([]);
  });

  it("ignores a press of another citizen's button", async () => {
    await say({ text: RETIREMENT_Q });
    await press('Tuổi nghỉ hưu hiện nay — Bộ luật Lao động', 'u2');
    expect(last()?.text).toBe(CHOICE_EXPIRED_TEXT);
    expect(answerer.answerFromCalls).toEqual([]);
  });

  it('a second press of the same menu answers nothing twice', async () => {
    await say({ text: RETIREMENT_Q });
    await press('Tuổi nghỉ hưu hiện nay — Bộ luật Lao động');
    await press('Nghỉ hưu trước tuổi — Bộ luật Lao động');
    expect(last()?.text).toBe(ALREADY_CHOSEN_TEXT);
    expect(answerer.answerFromCalls).toHaveLength(1);
    expect(await stores.examples.list()).toHaveLength(1);
  });

  it('works after a restart: the menu is kept with the turn', async () => {
    await say({ text: RETIREMENT_Q });
    const id = actionNamed('Tuổi nghỉ hưu hiện nay — Bộ luật Lao động').id;
    await core.stop();
    const restarted = new TestChannel('telegram');
    core = makeCore((await database.open()).stores, answerer, { clock });
    core.registerSender(restarted);
    await core.start();
    await say({ kind: 'choice', choice: { id } });
    expect(restarted.sent.at(-1)?.message).toMatchObject({ kind: 'answer', citations: [RETIREMENT_AGE] });
  });
});

describe('Xem thêm', () => {
  it('an answer with a continuation offers "Xem thêm"; pressing it sends the rest, once', async () => {
    await say({ text: PASSPORT_Q });
    expect(last()).toMatchObject({ kind: 'answer', text: PASSPORT_SHORT, citations: [PASSPORT] });
    expect(last()?.actions?.map((a) => [a.kind, a.label])).toEqual([['more', 'Xem thêm']]);
    await press('Xem thêm');
    expect(last()).toMatchObject({ kind: 'answer', text: PASSPORT_MORE });
    await press('Xem thêm');
    expect(last()?.text).toBe(ALREADY_CHOSEN_TEXT);
    expect(channel.texts().filter((t) => t === PASSPORT_MORE)).toHaveLength(1);
  });

  it('typing "xem thêm" sends the rest too', async () => {
    await say({ text: PASSPORT_Q });
    await say({ text: 'Xem thêm' });
    expect(last()?.text).toBe(PASSPORT_MORE);
    expect(answerer.calls).toHaveLength(1);
  });

  it('an answer without a continuation has no actions', async () => {
    await say({ text: 'Điều kiện đăng ký thường trú là gì?' });
    expect(last()?.actions).toBeUndefined();
  });
});

describe('👎 asks why', () => {
  it('records the reason pressed with the feedback', async () => {
    await say({ text: PASSPORT_Q });
    const answerId = last()?.answerId as string;
    await say({ kind: 'feedback', feedback: { answerId, value: 'down' } });
    expect(last()?.text).toBe(FEEDBACK_WHY_TEXT);
    await press('Chưa đủ');
    expect(last()?.text).toBe(FEEDBACK_REASON_THANKS_TEXT);
    expect(await stores.conversations.findByAnswerId(answerId)).toMatchObject({ feedback: 'down', feedbackReason: 'incomplete' });
  });

  it('reads a typed reason or number (Zalo)', async () => {
    await say({ text: PASSPORT_Q });
    const answerId = last()?.answerId as string;
    await say({ text: '👎' });
    await say({ text: 'khó hiểu' });
    expect(await stores.conversations.findByAnswerId(answerId)).toMatchObject({ feedbackReason: 'unclear' });

    await say({ text: '👎' });
    await say({ text: '1' });
    expect(await stores.conversations.findByAnswerId(answerId)).toMatchObject({ feedbackReason: 'wrong' });
  });

  it('👍 asks nothing', async () => {
    await say({ text: PASSPORT_Q });
    await say({ text: '👍' });
    expect(last()?.actions).toBeUndefined();
  });
});

describe('two presses of the same choice at once', () => {
  it('answer once, across two instances over one database', async () => {
    await say({ text: RETIREMENT_Q });
    const id = actionNamed('Tuổi nghỉ hưu hiện nay — Bộ luật Lao động').id;
    const otherChannel = new TestChannel('telegram');
    const other = makeCore((await database.open()).stores, answerer, { clock });
    other.registerSender(otherChannel);
    await other.start();
    // Each answerFrom waits a little, so the second press arrives while the first is being answered.
    answerer.onAnswerFrom = () => new Promise((r) => setTimeout(r, 100));
    try {
      await Promise.all([core.receive(incoming({ kind: 'choice', choice: { id } })), other.receive(incoming({ kind: 'choice', choice: { id } }))]);
      await Promise.all([core.drain(), other.drain()]);
    } finally {
      await other.stop();
    }
    const replies = [...channel.sent.slice(1), ...otherChannel.sent].map((s) => s.message);
    expect(replies.filter((m) => m.kind === 'answer')).toHaveLength(1);
    expect(replies.filter((m) => m.text === ALREADY_CHOSEN_TEXT)).toHaveLength(1);
    expect(answerer.answerFromCalls).toHaveLength(1);
    expect(await stores.examples.list()).toHaveLength(1);
  });
});
