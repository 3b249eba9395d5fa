import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { ConversationCore } from '../bots/core/conversation-core.ts';
import type { ChannelName, ChannelSender, IncomingMessage, OutgoingMessage, Recipient } from '../bots/core/types.ts';
import { AnnouncementService, trackDeliveries } from '../proactive/announcements.ts';
import { DEFAULT_PACE_PER_SECOND } from '../proactive/channel-rules.ts';
import { sqliteProactiveStore } from '../storage/proactive-store-kysely.ts';
import type { Answerer, AskResult } from '../retrieval/types.ts';
import { openSqlDatabase, sqlStores } from '../storage/sql/index.ts';

/**
 * `npm run bench -- announcements`: one announcement to N subscribers (default 100,000:
 * 40 % Telegram, 40 % Zalo of whom a tenth silent for over 7 days, 20 % web chat) on SQLite,
 * sent through the outbox by in-process channels (5 ms per send) that record every send.
 * Prints each channel's achieved rate (overall and its busiest second) against its pace, the
 * citizens' answer latency p50/p99 without and during the send, and, after a restart in the
 * middle (a new core on a new connection), how many citizens got the announcement twice.
 * The send runs for LOA_BENCH_SEND_S seconds (default 40) in two halves; the full drain time
 * is projected from the pace.
 */

const N = Number(process.env.LOA_BENCH_SUBSCRIBERS ?? 100_000);
const SEND_S = Number(process.env.LOA_BENCH_SEND_S ?? 40);
const silent = pino({ level: 'silent' });

/** A channel that takes 5 ms per send and remembers who got what, when. */
class RecordingChannel implements ChannelSender {
  readonly sends: { userId: string; at: number; announcement: boolean }[] = [];
  constructor(readonly channel: ChannelName) {}
  async send(to: Recipient, message: OutgoingMessage): Promise<{ channelMessageIds: string[] }> {
    await new Promise((r) => setTimeout(r, 5));
    this.sends.push({ userId: to.userId, at: Date.now(), announcement: message.text.startsWith('📢') });
    return { channelMessageIds: [`${this.channel}-${this.sends.length}`] };
  }
}

/** Answers after 20 ms of "retrieval", like a small knowledge base. */
const answerer: Answerer = {
  async ask(): Promise<AskResult> {
    await new Promise((r) => setTimeout(r, 20));
    return { type: 'answer', text: 'Thủ tục đăng ký thường trú gồm tờ khai CT01.', citations: [] } as unknown as AskResult;
  },
} as unknown as Answerer;

function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

async function openCore(file: string, channels: RecordingChannel[]) {
  const sqlDb = await openSqlDatabase({ sqliteFile: file });
  const db = sqlDb.sqlite!;
  const proactive = sqliteProactiveStore(db);
  const { inbox, outbox, conversations, escalations, examples, audit } = sqlStores(sqlDb);
  const stores = { inbox, outbox, conversations, escalations, examples };
  const core = new ConversationCore({
    answerer, storage: stores, logger: silent, proactive,
    config: { rateLimitPerMinute: 10_000, agencyName: 'UBND tỉnh', durability: { sweepMs: 1_000 }, sweepRatePerSecond: DEFAULT_PACE_PER_SECOND },
  });
  for (const c of channels) core.registerSender(c);
  trackDeliveries(core.events, proactive);
  const service = new AnnouncementService({ store: proactive, outbox: stores.outbox, audit, clock: () => new Date(), agencyName: 'UBND tỉnh', allowPaidZalo: true });
  return { db, core, proactive, service };
}

/** Citizens asking questions on Telegram for `seconds`, 5 a second; latency from receive to the answer's send. */
async function askLoad(core: ConversationCore, telegram: RecordingChannel, seconds: number, tag: string): Promise<number[]> {
  const latencies: number[] = [];
  const deadline = Date.now() + seconds * 1000;
  let i = 0;
  const waits: Promise<void>[] = [];
  while (Date.now() < deadline) {
    const userId = `asker-${tag}-${i++}`;
    const start = Date.now();
    const msg: IncomingMessage = { channel: 'telegram', channelMessageId: `${userId}-m`, from: { channel: 'telegram', userId, address: { chatId: userId } }, kind: 'text', text: 'thủ tục đăng ký thường trú', sentAt: new Date().toISOString() };
    await core.receive(msg);
    waits.push((async () => {
      for (let k = 0; k < 2000; k++) {
        const got = telegram.sends.find((s) => s.userId === userId);
        if (got) return void latencies.push(got.at - start);
        await new Promise((r) => setTimeout(r, 2));
      }
    })());
    await new Promise((r) => setTimeout(r, 200));
  }
  await Promise.all(waits);
  return latencies;
}

export async function runAnnouncementsBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'loa-bench-announce-'));
  const file = join(dir, 'loa.sqlite');
  const channels = { telegram: new RecordingChannel('telegram'), zalo: new RecordingChannel('zalo'), webchat: new RecordingChannel('webchat') };
  const all = Object.values(channels);
  try {
    let run = await openCore(file, all);
    await run.proactive.migrate();
    await run.core.start();
    await run.proactive.upsertTopic({ id: 'bhxh', label: 'bảo hiểm xã hội', keywords: [], source: 'officer' }, new Date());

    // Seeding only: one transaction straight into the table (the store's own path is tested in test/proactive).
    const t0 = performance.now();
    const now = Date.now();
    const insert = run.db.prepare(`INSERT INTO proactive_subscriptions (channel, user_id, topic_id, recipient, area, active, created_at, updated_at, last_message_at, last_message_id)
      VALUES (?, ?, 'bhxh', ?, NULL, 1, ?, ?, ?, ?)`);
    run.db.transaction(() => {
      for (let i = 0; i < N; i++) {
        const channel: ChannelName = i % 5 < 2 ? 'telegram' : i % 5 < 4 ? 'zalo' : 'webchat';
        const userId = `${channel}-${i}`;
        const silentLong = channel === 'zalo' && i % 10 === 2;
        const last = channel === 'zalo' ? new Date(now - (silentLong ? 9 : 1) * 86_400_000).toISOString() : null;
        const at = new Date(now).toISOString();
        insert.run(channel, userId, JSON.stringify({ channel, userId, address: { chatId: userId, userId, sessionId: userId } }), at, at, last, channel === 'zalo' ? `${userId}-msg` : null);
      }
    })();
    console.log(`announcements: seeded ${N} subscribers in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const baseline = await askLoad(run.core, channels.telegram, 8, 'base');

    const a = await run.service.compose({ topicId: 'bhxh', text: 'Từ 1/7 mức lương cơ sở là 2.340.000 đồng.' }, 'author@bench');
    await run.service.approve(a.id, 'approver@bench');
    const plan = await run.service.plan(a.id);
    for (const [ch, p] of Object.entries(plan?.channels ?? {})) console.log(`plan ${ch}: send ${p.send} ${JSON.stringify(p.routes)}, not sent ${JSON.stringify(p.notSent)}, drain ≈ ${p.drainSeconds} s at its pace`);
    const q0 = performance.now();
    const queued = await run.service.queueDue();
    console.log(`queued ${queued.length} outbox items in ${((performance.now() - q0) / 1000).toFixed(1)} s`);

    const during1 = await askLoad(run.core, channels.telegram, SEND_S / 2, 'd1');
    // Restart in the middle: the old core stops (hands back what it has not sent), a new one on a new connection carries on.
    await run.core.stop();
    run = await openCore(file, all);
    await run.core.start();
    const during2 = await askLoad(run.core, channels.telegram, SEND_S / 2, 'd2');
    await run.core.stop();

    for (const c of all) {
      const ann = c.sends.filter((s) => s.announcement);
      const perSecond = new Map<number, number>();
      for (const s of ann) perSecond.set(Math.floor(s.at / 1000), (perSecond.get(Math.floor(s.at / 1000)) ?? 0) + 1);
      const seen = new Set<string>();
      let twice = 0;
      for (const s of ann) {
        if (seen.has(s.userId)) twice++;
        else seen.add(s.userId);
      }
      const span = ann.length > 1 ? ((ann.at(-1)?.at ?? 0) - (ann[0]?.at ?? 0)) / 1000 : 0;
      console.log(`${c.channel}: ${ann.length} sent over ${span.toFixed(0)} s = ${(ann.length / Math.max(span, 1)).toFixed(1)}/s (busiest second ${Math.max(0, ...perSecond.values())}), messaged twice: ${twice}`);
    }
    const during = [...during1, ...during2];
    const p99b = percentile(baseline, 99);
    const p99d = percentile(during, 99);
    console.log(`answers without announcement: n=${baseline.length} p50 ${percentile(baseline, 50)} ms p99 ${p99b} ms`);
    console.log(`answers during the send:      n=${during.length} p50 ${percentile(during, 50)} ms p99 ${p99d} ms (${(((p99d - p99b) / p99b) * 100).toFixed(0)} %, target within 20 %)`);
    const stats = await (await openCore(file, [])).proactive.stats(a.id);
    console.log(`stats: targeted ${stats.targeted}, sent ${stats.sent}, queued ${stats.queued}, not sent ${JSON.stringify(stats.notSentByReason)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
