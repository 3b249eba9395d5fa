import { afterEach, describe, expect, it } from 'vitest';
import { ConversationCore, type ConversationCoreOptions } from '../../../bots/core/conversation-core.ts';
import type { ChannelSender, OutgoingMessage, Recipient } from '../../../bots/core/types.ts';
import { ZaloOaClient } from '../../../bots/zalo/oa-client.ts';
import { ZaloSender } from '../../../bots/zalo/send-message.ts';
import type { AskOptions, AskResult } from '../../../retrieval/types.ts';
import type { BotStorage } from '../../../storage/index.ts';
import type { BackendFactory, TestBackend } from '../../storage/contracts/backend.ts';
import { sqliteBackend } from '../../storage/contracts/sqlite-backend.ts';
import { postgresBackend } from '../../storage/postgres/backend.ts';
import { FakeZaloApi } from '../../fakes/zalo-api.ts';
import { MemorySecrets } from '../../support/memory-secrets.ts';
import { usePostgres } from '../../support/services.ts';
import { TestAnswerer, TestChannel, incoming, silentLogger } from './support.ts';

const pgAvailable = await usePostgres();
const QUESTION = 'Điều kiện đăng ký thường trú là gì?';
/** The outage's length in the outage test (the benchmark's default is 10 minutes). */
const OUTAGE_MS = 3_000;

/** A deterministic random source (mulberry32), so a failing run can be replayed. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function botStorage(backend: TestBackend): Promise<BotStorage> {
  const set = await backend.connect();
  return { inbox: await set.inbox(), outbox: await set.outbox(), conversations: await set.conversations(), escalations: await set.escalations(), examples: await set.examples() };
}

function core(storage: BotStorage, config: Partial<ConversationCoreOptions['config']> = {}, answerer = new TestAnswerer(), clock?: () => Date): ConversationCore {
  return new ConversationCore({
    answerer,
    clock,
    storage,
    logger: silentLogger,
    config: {
      rateLimitPerMinute: 1_000,
      agencyName: 'Sở Tư pháp tỉnh Thử nghiệm',
      retry: { baseMs: 20, maxMs: 200, jitter: 0.5 },
      ...config,
      durability: { leaseMs: 500, sweepMs: 50, ...config.durability },
    },
  });
}

/** Polls until `done()` holds (the condition is the assertion; the deadline only bounds a failure). */
async function until(done: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** An answerer that answers the first `n` questions and then never returns (an instance frozen mid-work). */
class FreezingAnswerer extends TestAnswerer {
  frozen = 0;
  constructor(private n: number) {
    super();
  }

  override async ask(question: string, options?: AskOptions): Promise<AskResult> {
    if (this.n-- <= 0) {
      this.frozen += 1;
      return new Promise<AskResult>(() => undefined);
    }
    return super.ask(question, options);
  }
}

/** A channel whose sends succeed `n` times, then hang for ever. */
class FreezingChannel implements ChannelSender {
  readonly channel = 'telegram' as const;
  readonly sent: { to: Recipient; message: OutgoingMessage }[] = [];
  hanging = 0;
  constructor(private n: number) {}

  async send(to: Recipient, message: OutgoingMessage): Promise<{ channelMessageIds: string[] }> {
    if (this.n-- <= 0) {
      this.hanging += 1;
      return new Promise(() => undefined);
    }
    this.sent.push({ to, message });
    return { channelMessageIds: [`a-${this.sent.length}`] };
  }
}

function durableWork(name: string, factory: BackendFactory, available: boolean): void {
  describe.runIf(available)(`durable work on ${name}`, () => {
    let backend: TestBackend | undefined;
    const cores: ConversationCore[] = [];
    const fakes: FakeZaloApi[] = [];
    afterEach(async () => {
      for (const c of cores.splice(0)) await c.stop().catch(() => undefined);
      for (const f of fakes.splice(0)) await f.close();
      await backend?.cleanup();
      backend = undefined;
    });

    it('finishes everything a crashed instance held exactly once: its queue, its answers in progress and its sends in flight', async () => {
      backend = await factory();
      // Instance A: answers 12 questions, then freezes; of its sends 5 succeed and the rest hang.
      // Its sweeper never runs again (as if the process were gone), so its leases run out.
      const answererA = new FreezingAnswerer(12);
      const channelA = new FreezingChannel(5);
      const a = core(await botStorage(backend), { durability: { leaseMs: 400, sweepMs: 3_600_000 } }, answererA);
      a.registerSender(channelA);
      await a.start();
      const messages = [...Array(40)].map((_, i) => incoming({ text: QUESTION, userId: `citizen-${i}` }));
      for (const m of messages) expect(await a.receive(m)).toEqual({ duplicate: false });
      await until(() => channelA.sent.length === 5 && channelA.hanging === 7 && answererA.calls.length === 12 && answererA.frozen === 4);

      // Instance B over its own connection takes over once the leases have run out.
      const storageB = await botStorage(backend);
      const channelB = new TestChannel('telegram');
      const b = core(storageB, { durability: { leaseMs: 400, sweepMs: 50 } });
      cores.push(b);
      b.registerSender(channelB);
      await b.start();
      await until(async () => (await storageB.inbox.pending()).length === 0 && (await storageB.outbox.countByStatus()).sent === 40);

      const replies = [...channelA.sent, ...channelB.sent].map((s) => s.message.replyToChannelMessageId);
      expect(replies.sort()).toEqual(messages.map((m) => m.channelMessageId).sort());
      expect(channelA.sent).toHaveLength(5);
      expect(channelB.sent).toHaveLength(35);
      // The 7 sends A had in flight were taken over as unknown outcomes, and counted.
      const counts = await storageB.outbox.countByStatus();
      expect(counts).toEqual({ pending: 0, sending: 0, sent: 40, failed: 0, unknown: 0 });
      let unknown = 0;
      for (const m of messages) {
        const [turn] = await storageB.conversations.recentTurns('telegram', m.from.userId, 5);
        expect(turn).toBeDefined();
      }
      for (let id = 1; id <= 60; id++) unknown += (await storageB.outbox.get(id))?.unknownOutcomes ?? 0;
      expect(unknown).toBe(7);
    });

    it('hands its work back on a graceful stop, so another instance takes it at once', async () => {
      backend = await factory();
      const storageA = await botStorage(backend);
      const answererA = new FreezingAnswerer(0);
      const stopping: ConversationCore[] = [];
      // Long leases: only the hand-back lets B in before the test ends.
      const a = core(storageA, { durability: { leaseMs: 3_600_000, sweepMs: 3_600_000 } }, answererA);
      a.registerSender(new TestChannel('telegram'));
      await a.start();
      for (let i = 0; i < 10; i++) await a.receive(incoming({ text: QUESTION, userId: `c-${i}` }));
      // Four are frozen in the answering slots; stop() cannot finish them, so it is not awaited.
      await until(() => answererA.frozen === 4);
      void a.stop();
      stopping.push(a);
      await until(async () => (await storageA.inbox.pending()).filter((i) => i.claimedBy === undefined).length === 6);

      const storageB = await botStorage(backend);
      const channelB = new TestChannel('telegram');
      const b = core(storageB, { durability: { leaseMs: 3_600_000 } });
      cores.push(b);
      b.registerSender(channelB);
      await b.start();
      await b.drain();
      expect(channelB.sent).toHaveLength(6);
    });

    it('deletes handled events and finished deliveries older than the retention period, and nothing still owed', async () => {
      backend = await factory();
      const storage = await botStorage(backend);
      const channel = new TestChannel('telegram');
      const first = core(storage);
      first.registerSender(channel);
      await first.start();
      for (let i = 0; i < 3; i++) await first.receive(incoming({ text: QUESTION, userId: `old-${i}` }));
      await first.drain();
      await first.stop();
      const owed = await storage.outbox.enqueue({ key: 'owed', recipient: { channel: 'zalo', userId: 'z', address: {} }, message: { kind: 'notice', text: 'chưa gửi' } }, new Date());
      expect((await storage.outbox.countByStatus()).sent).toBe(3);

      // Ten days later, with a retention of one week (and no Zalo sender, so the owed message waits).
      const ten = Date.now() + 10 * 86_400_000;
      const later = core(storage, { durability: { retentionMs: 7 * 86_400_000 } }, new TestAnswerer(), () => new Date(ten));
      cores.push(later);
      await later.start();
      expect(await storage.outbox.countByStatus()).toMatchObject({ sent: 0 });
      expect(await storage.outbox.get(owed.id)).toBeDefined();
      for (let id = 1; id <= 3; id++) expect(await storage.inbox.get(id)).toBeUndefined();
      // The conversation turns (reports, history) are not the outbox's to delete.
      expect(await storage.conversations.recentTurns('telegram', 'old-0', 5)).toHaveLength(1);
    });

    it('does not send again a message the channel accepted when recording it failed', async () => {
      backend = await factory();
      const real = await botStorage(backend);
      let failing = true;
      const outbox = Object.create(real.outbox) as BotStorage['outbox'];
      outbox.markSent = async (id, ids, now) => {
        if (failing) throw new Error('connection terminated unexpectedly');
        return real.outbox.markSent(id, ids, now);
      };
      const storage: BotStorage = { ...real, outbox };
      const channel = new TestChannel('telegram');
      // Short leases: without the record kept in memory, another sweep would take the item over and send it again.
      const c = core(storage, { durability: { leaseMs: 300, sweepMs: 50 } });
      cores.push(c);
      c.registerSender(channel);
      await c.start();
      await c.receive(incoming({ text: QUESTION }));
      await until(() => channel.sent.length === 1);
      // Longer than the in-line retries of the record and several leases.
      await new Promise((r) => setTimeout(r, 3_500));
      expect((await real.outbox.countByStatus()).sending).toBe(1);
      failing = false;
      await until(async () => (await real.outbox.countByStatus()).sent === 1);
      expect(channel.sent).toHaveLength(1);
      expect(channel.attempts).toBe(1);
    });

    it('settles a timed-out send by its late answer instead of sending it again, and holds unknown outcomes when told to', async () => {
      backend = await factory();
      const storage = await botStorage(backend);
      // Every send is answered after 300 ms; Loa waits only 100 ms.
      const slow = new TestChannel('telegram');
      slow.onSend = () => new Promise((r) => setTimeout(r, 300));
      const resend = core(storage, { send: { timeoutMs: 100 }, delivery: { onUnknown: 'resend', unknownResendAfterMs: 2_000 } });
      cores.push(resend);
      resend.registerSender(slow);
      const unknowns: number[] = [];
      resend.events.on('message.unknown', (e) => unknowns.push(e.outboxId));
      await resend.start();
      await resend.receive(incoming({ text: QUESTION, userId: 'late-1' }));
      await until(async () => (await storage.outbox.countByStatus()).sent === 1);
      expect(unknowns).toHaveLength(1);
      expect(await storage.outbox.get(unknowns[0])).toMatchObject({ status: 'sent', unknownOutcomes: 1 });
      await new Promise((r) => setTimeout(r, 2_500));
      expect(slow.attempts).toBe(1);
      await resend.stop();

      // `hold`: a send that never answers becomes an `unknown` dead letter, not resent.
      const hanging = new FreezingChannel(0);
      const hold = core(storage, { send: { timeoutMs: 100 }, delivery: { onUnknown: 'hold', unknownResendAfterMs: 50 } });
      cores.push(hold);
      hold.registerSender(hanging);
      await hold.start();
      await hold.receive(incoming({ text: QUESTION, userId: 'late-2' }));
      await until(async () => (await storage.outbox.countByStatus()).unknown === 1);
      await new Promise((r) => setTimeout(r, 500));
      expect(hanging.hanging).toBe(1);
      const [dead] = await storage.outbox.deadLetters({ limit: 5 });
      expect(dead).toMatchObject({ status: 'unknown', unknownOutcomes: 1, lastError: expect.stringContaining('no answer from the channel within 100 ms') });
      const [turn] = await storage.conversations.recentTurns('telegram', 'late-2', 1);
      expect(turn.deliveryError).toContain('outcome unknown');
    });

    it('keeps an event whose handling hit a database error and handles it later, once', async () => {
      backend = await factory();
      const real = await botStorage(backend);
      let failing = true;
      // The conversation store fails as a dropped database connection would.
      const conversations = Object.create(real.conversations) as BotStorage['conversations'];
      conversations.recordTurn = async (turn) => {
        if (failing) throw new Error('connection terminated unexpectedly');
        return real.conversations.recordTurn(turn);
      };
      const storage: BotStorage = { ...real, conversations };
      const answerer = new TestAnswerer();
      const channel = new TestChannel('telegram');
      const c = core(storage, {}, answerer);
      cores.push(c);
      c.registerSender(channel);
      await c.start();
      await c.receive(incoming({ text: QUESTION }));
      await until(async () => (await storage.inbox.pending())[0]?.error === 'connection terminated unexpectedly');
      expect(channel.sent).toHaveLength(0);
      failing = false;
      await until(() => channel.sent.length === 1, 30_000);
      await new Promise((r) => setTimeout(r, 200));
      expect(channel.sent).toHaveLength(1);
      expect(await storage.inbox.pending()).toEqual([]);
    });

    it('against a Zalo API with 100–300 ms latency, 5xx and hangs, loses nothing and sends twice only what it counted as unknown', async () => {
      backend = await factory();
      const fake = await FakeZaloApi.start({ latencyMs: [100, 300], faults: { error5xx: 0.1, hangBefore: 0.04, hangAfter: 0.04 }, random: seeded(9) });
      fakes.push(fake);
      const storage = await botStorage(backend);
      const client = new ZaloOaClient({
        apiBase: fake.url,
        oauthBase: fake.url,
        appId: fake.appId,
        appSecret: fake.appSecret,
        secrets: new MemorySecrets(),
        seed: { accessToken: fake.accessToken, refreshToken: fake.refreshToken },
        logger: silentLogger,
        timeoutMs: 1_500,
      });
      const c = core(storage, { send: { concurrency: 32, timeoutMs: 3_000 }, delivery: { unknownResendAfterMs: 100 } });
      cores.push(c);
      c.registerSender(new ZaloSender(client, silentLogger));
      await c.start();
      const messages = [...Array(150)].map((_, i) => incoming({ channel: 'zalo', text: QUESTION, userId: `z-${i}` }));
      // Like Zalo, the fake accepts replies only to messages the citizens sent.
      for (const m of messages) fake.addUserMessage(m.channelMessageId, m.from.userId);
      await Promise.all(messages.map((m) => c.receive(m)));
      await until(async () => (await storage.outbox.countByStatus()).sent === 150, 60_000);

      const deliveries = new Map<string, number>();
      for (const s of fake.sent) deliveries.set(s.recipient.message_id ?? '', (deliveries.get(s.recipient.message_id ?? '') ?? 0) + 1);
      const unknownByMessage = new Map<string, number>();
      for (let id = 1; id <= 200; id++) {
        const item = await storage.outbox.get(id);
        if (item?.message.replyToChannelMessageId) unknownByMessage.set(item.message.replyToChannelMessageId, item.unknownOutcomes);
      }
      const lost = messages.filter((m) => !deliveries.has(m.channelMessageId));
      expect(lost).toEqual([]);
      for (const m of messages) {
        const delivered = deliveries.get(m.channelMessageId) ?? 0;
        const hangsAfter = fake.faultLog.filter((f) => f.key === m.channelMessageId && f.fault === 'hangAfter').length;
        // A hang after delivering is resent (Loa cannot know it arrived) …
        expect(delivered).toBeGreaterThanOrEqual(1 + hangsAfter);
        // … and nothing is delivered twice unless its outcome was unknown, and counted.
        expect(delivered - 1).toBeLessThanOrEqual(unknownByMessage.get(m.channelMessageId) ?? 0);
      }
      // Every hang was counted as an unknown outcome.
      const hangs = fake.faultLog.filter((f) => f.fault !== 'error5xx').length;
      const unknown = [...unknownByMessage.values()].reduce((a, b) => a + b, 0);
      expect(hangs).toBeGreaterThan(5);
      expect(unknown).toBeGreaterThanOrEqual(hangs);
    }, 90_000);

    it('through a Zalo outage (5xx, then requests hanging) loses nothing and sends twice only what it counted as unknown', async () => {
      backend = await factory();
      const fake = await FakeZaloApi.start({ latencyMs: [20, 60], random: seeded(4) });
      fakes.push(fake);
      const storage = await botStorage(backend);
      const client = new ZaloOaClient({
        apiBase: fake.url,
        oauthBase: fake.url,
        appId: fake.appId,
        appSecret: fake.appSecret,
        secrets: new MemorySecrets(),
        seed: { accessToken: fake.accessToken, refreshToken: fake.refreshToken },
        logger: silentLogger,
        timeoutMs: 5_000,
      });
      const c = core(storage, { send: { concurrency: 16, timeoutMs: 1_000, breakerOpenMs: 200 }, delivery: { unknownResendAfterMs: 100 } });
      cores.push(c);
      c.registerSender(new ZaloSender(client, silentLogger));
      await c.start();
      const messages = [...Array(60)].map((_, i) => incoming({ channel: 'zalo', text: QUESTION, userId: `o-${i}` }));
      for (const m of messages) fake.addUserMessage(m.channelMessageId, m.from.userId);

      // The outage (the benchmark's lasts 10 minutes: `npm run bench -- faults --only=outage`):
      // every request answered 503 for its first half, left hanging with nothing delivered for the second.
      fake.faults = { error5xx: 1 };
      await Promise.all(messages.slice(0, 30).map((m) => c.receive(m)));
      await new Promise((r) => setTimeout(r, OUTAGE_MS / 2));
      fake.faults = { hangBefore: 1 };
      await Promise.all(messages.slice(30).map((m) => c.receive(m)));
      await new Promise((r) => setTimeout(r, OUTAGE_MS / 2));
      expect(fake.sent).toHaveLength(0);
      fake.faults = {};
      await until(async () => (await storage.outbox.countByStatus()).sent === 60, 60_000);

      const deliveries = new Map<string, number>();
      for (const s of fake.sent) deliveries.set(s.recipient.message_id ?? '', (deliveries.get(s.recipient.message_id ?? '') ?? 0) + 1);
      const unknownByMessage = new Map<string, number>();
      for (let id = 1; id <= 200; id++) {
        const item = await storage.outbox.get(id);
        if (item?.message.replyToChannelMessageId) unknownByMessage.set(item.message.replyToChannelMessageId, item.unknownOutcomes);
      }
      expect(messages.filter((m) => !deliveries.has(m.channelMessageId))).toEqual([]);
      // Nothing hung after delivering, so a second copy can only come from a send that timed
      // out after recovery on a slow machine: it must then be a counted unknown outcome.
      const extra = messages.filter((m) => (deliveries.get(m.channelMessageId) ?? 0) - 1 > (unknownByMessage.get(m.channelMessageId) ?? 0));
      expect(extra).toEqual([]);
      const counts = await storage.outbox.countByStatus();
      expect([counts.failed ?? 0, counts.unknown ?? 0, counts.pending ?? 0]).toEqual([0, 0, 0]);
      // Both halves of the outage were met: refused requests, and requests that hung until the send timeout.
      expect(fake.faultLog.some((f) => f.fault === 'error5xx')).toBe(true);
      expect(fake.faultLog.some((f) => f.fault === 'hangBefore')).toBe(true);
    }, 90_000);
  });
}

durableWork('SQLite', sqliteBackend, true);
durableWork('PostgreSQL', postgresBackend, pgAvailable);
