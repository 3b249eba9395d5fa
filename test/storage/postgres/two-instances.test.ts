import { afterEach, describe, expect, it } from 'vitest';
import type { ConversationCore } from '../../../bots/core/conversation-core.ts';
import type { BotStorage } from '../../../storage/index.ts';
import { ALREADY_CHOSEN_TEXT } from '../../../bots/core/messages.ts';
import { RESIDENCE, RETIREMENT_AGE, TestAnswerer, TestChannel, incoming, makeCore } from '../../bots/core/support.ts';
import { usePostgres } from '../../support/services.ts';
import { postgresTestDatabase } from './backend.ts';

const available = await usePostgres();
const RESIDENCE_Q = 'Điều kiện đăng ký thường trú là gì?';

/** One Loa instance: its own pool and instance lock, its own core and channel client. */
async function instance(db: Awaited<ReturnType<typeof postgresTestDatabase>>) {
  const { stores } = await db.connect();
  const storage: BotStorage = {
    inbox: await stores.inbox(),
    outbox: await stores.outbox(),
    conversations: await stores.conversations(),
    escalations: await stores.escalations(),
    examples: await stores.examples(),
  };
  const answerer = new TestAnswerer();
  const channel = new TestChannel('telegram');
  const core = makeCore(storage, answerer);
  core.registerSender(channel);
  return { storage, answerer, channel, core };
}

describe.runIf(available)('two instances over one PostgreSQL database', () => {
  let db: Awaited<ReturnType<typeof postgresTestDatabase>> | undefined;
  const cores: ConversationCore[] = [];
  afterEach(async () => {
    for (const core of cores.splice(0)) await core.stop();
    await db?.cleanup();
    db = undefined;
  });

  it('answers a delivery that reaches both instances (a channel retry behind a load balancer) once', async () => {
    db = await postgresTestDatabase();
    const a = await instance(db);
    const b = await instance(db);
    cores.push(a.core, b.core);
    await Promise.all([a.core.start(), b.core.start()]);

    const msg = incoming({ text: RESIDENCE_Q, userId: 'citizen-1' });
    const results = await Promise.all([a.core.receive(msg), b.core.receive({ ...msg }), a.core.receive({ ...msg })]);
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    await Promise.all([a.core.drain(), b.core.drain()]);

    const sent = [...a.channel.sent, ...b.channel.sent];
    expect(sent).toHaveLength(1);
    expect(sent[0].message).toMatchObject({ kind: 'answer', citations: [RESIDENCE], replyToChannelMessageId: msg.channelMessageId });
    expect(a.answerer.calls.length + b.answerer.calls.length).toBe(1);
    const turns = await a.storage.conversations.recentTurns('telegram', 'citizen-1', 10);
    expect(turns).toHaveLength(1);
    expect((await b.storage.inbox.pending()).length).toBe(0);
  });

  it('sends each waiting reply once when two instances start at the same time and both resume the backlog', async () => {
    db = await postgresTestDatabase();
    const a = await instance(db);
    const b = await instance(db);
    cores.push(a.core, b.core);
    // Stored while no instance was handling messages (e.g. during a deployment).
    const messages = [...Array(6)].map((_, i) => incoming({ text: i % 2 ? RESIDENCE_Q : 'Thủ tục đất đai thế nào?', userId: `citizen-${i}` }));
    for (const m of messages) await a.core.receive(m);

    await Promise.all([a.core.start(), b.core.start()]);
    await Promise.all([a.core.drain(), b.core.drain()]);

    const sent = [...a.channel.sent, ...b.channel.sent];
    expect(sent.map((s) => s.message.replyToChannelMessageId).sort()).toEqual(messages.map((m) => m.channelMessageId).sort());
    // Questions Loa could not answer were escalated once each, whichever instance got there first.
    const escalations = await a.storage.escalations.list({ limit: 100 });
    expect(escalations).toHaveLength(3);
    expect(await b.storage.inbox.pending()).toEqual([]);
    const items = await Promise.all(messages.map(async (m, i) => (await a.storage.conversations.recentTurns('telegram', `citizen-${i}`, 10)).length));
    expect(items).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('answers two presses of the same clarify option, one on each instance at once, once', async () => {
    db = await postgresTestDatabase();
    const a = await instance(db);
    const b = await instance(db);
    cores.push(a.core, b.core);
    await Promise.all([a.core.start(), b.core.start()]);
    await a.core.receive(incoming({ text: 'bao nhieu tuoi thi dc nghi huu', userId: 'citizen-9' }));
    await a.core.drain();
    const option = a.channel.sent[0].message.actions?.find((x) => x.kind === 'choose');
    expect(option).toBeDefined();

    // Both answerers are slow, so the second press arrives while the first is being answered.
    for (const x of [a, b]) x.answerer.onAnswerFrom = () => new Promise((r) => setTimeout(r, 100));
    const press = () => incoming({ kind: 'choice', choice: { id: option?.id as string }, userId: 'citizen-9' });
    await Promise.all([a.core.receive(press()), b.core.receive(press())]);
    await Promise.all([a.core.drain(), b.core.drain()]);

    const replies = [...a.channel.sent.slice(1), ...b.channel.sent].map((x) => x.message);
    expect(replies.filter((m) => m.kind === 'answer').map((m) => m.citations)).toEqual([[RETIREMENT_AGE]]);
    expect(replies.filter((m) => m.text === ALREADY_CHOSEN_TEXT)).toHaveLength(1);
    expect(a.answerer.answerFromCalls.length + b.answerer.answerFromCalls.length).toBe(1);
    expect(await a.storage.examples.list()).toHaveLength(1);
  });
});
