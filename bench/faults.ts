import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENTRY_POINTS, WEBHOOK_HANDLER, formatProfile, summariseCpuProfile } from './zalo-webhook-profile.ts';
import { startBenchZaloFake, type BenchZaloFake } from './zalo-webhook-fake.ts';
import {
  ACCESS_TOKEN,
  processCpuMs,
  APP_ID,
  APP_SECRET,
  OA_SECRET_KEY,
  runLoadProcess,
  sampleQuestions,
  startServerProcess,
  type ServerProcess,
} from './zalo-webhook.ts';
import { signedTextEvent, type DoneMessage, type LoadParams } from './zalo-webhook-protocol.ts';

/**
 * `npm run bench -- faults [--only=latency,burst,kill9,takeover,kill3,outage] [--outage-s=600]
 * [--profile]`: durable work under faults (issue 9), with the real server (SQLite, sample knowledge base) and signed Zalo events from a
 * second process, as `bench/zalo-webhook.ts`, against the benchmark's fake Zalo API.
 *
 * - latency: the fake answers every send in 150 ms; 300 events/s for 15 s;
 * - kill9: 200 events/s for 10 s; the server is killed (SIGKILL) after 4 s and started
 *   again on the same data directory when the load ends;
 * - takeover: the same against the first of two instances over one PostgreSQL schema; the
 *   second, already running, takes the dead one's work over;
 * - burst: 5,000 events at once (500 connections, closed loop), fake API at 150 ms;
 * - kill3: three instances over PostgreSQL + Redis, one killed mid-burst, not restarted;
 * - outage (`--outage-s=N`, default 600): the fake answers 503 for half of it, then hangs
 *   for the other half, then recovers; 100 events/s for 20 s from the start of the outage.
 *
 * For each: events acknowledged (2xx), answered (an acknowledged event with a reply), sent
 * twice (the same part of a reply arriving again), lost (acknowledged, never answered), the
 * unknown outcomes Loa counted (from its outbox), and the drain time (end of load → last
 * reply). The numbers go to the issue notes; nothing here is asserted.
 */

interface Outcome {
  name: string;
  acked: number;
  notAcked: number;
  answered: number;
  twice: number;
  lost: number;
  unknown: number;
  deadLetters: number;
  ackP50Ms: number;
  ackP99Ms: number;
  ackMaxMs: number;
  answeredPerSecond: number;
  drainS: number;
  note: string;
}

const LOAD = (url: string, runId: string, rate: number, durationS: number): LoadParams => ({
  url,
  appId: APP_ID,
  oaSecretKey: OA_SECRET_KEY,
  runId,
  questions: sampleQuestions(),
  users: 20_000,
  connections: rate,
  durationS,
  overallRate: rate,
});

/** Waits until every acknowledged msg_id has a reply (nothing more for 1 s) or the deadline passes. */
async function waitForAnswers(fake: BenchZaloFake, acked: Set<string>, timeoutS: number): Promise<void> {
  const deadline = Date.now() + timeoutS * 1000;
  const answered = new Set<string>();
  let scanned = 0;
  let lastArrival = Date.now();
  while (Date.now() < deadline) {
    for (; scanned < fake.arrivals.length; scanned++) {
      lastArrival = Date.now();
      if (acked.has(fake.arrivals[scanned].key)) answered.add(fake.arrivals[scanned].key);
    }
    if (answered.size >= acked.size && Date.now() - lastArrival > 1_000) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const COUNTS_SQL = `SELECT coalesce(sum(unknown_outcomes), 0)::int AS unknown, count(*) FILTER (WHERE status IN ('failed', 'unknown'))::int AS dead FROM outbox`;

/** The same counts from a PostgreSQL schema. */
async function postgresCounts(url: string): Promise<{ unknown: number; deadLetters: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ unknown: number; dead: number }>(COUNTS_SQL);
    return { unknown: rows[0].unknown, deadLetters: rows[0].dead };
  } finally {
    await client.end();
  }
}

/** What Loa's outbox says: unknown outcomes counted and dead letters (read after the server stopped). */
function outboxCounts(dataDir: string): { unknown: number; deadLetters: number } {
  const db = new Database(join(dataDir, 'data', 'loa.sqlite'), { readonly: true });
  try {
    const row = db
      .prepare(`SELECT coalesce(sum(unknown_outcomes), 0) AS unknown, coalesce(sum(status IN ('failed', 'unknown')), 0) AS dead FROM outbox`)
      .get() as { unknown: number; dead: number };
    return { unknown: row.unknown, deadLetters: row.dead };
  } finally {
    db.close();
  }
}

function tally(
  name: string,
  fake: BenchZaloFake,
  done: DoneMessage,
  loadEndedAt: number,
  counts: { unknown: number; deadLetters: number },
  note: string,
): Outcome {
  const acked = new Set(done.acked);
  const parts = new Map<string, number>();
  const answered = new Set<string>();
  let last = 0;
  let first = Infinity;
  for (const a of fake.arrivals) {
    if (!acked.has(a.key)) continue;
    answered.add(a.key);
    const k = `${a.key}\u0000${a.part}`;
    parts.set(k, (parts.get(k) ?? 0) + 1);
    last = Math.max(last, a.at);
    first = Math.min(first, a.at);
  }
  const firstSend = done.sends.reduce((m, [, t]) => Math.min(m, t), Infinity);
  const twice = [...parts.values()].reduce((n, c) => n + (c - 1), 0);
  const { unknown, deadLetters } = counts;
  return {
    name,
    acked: acked.size,
    notAcked: done.sends.length - acked.size,
    answered: answered.size,
    twice,
    lost: acked.size - answered.size,
    unknown,
    deadLetters,
    ackP50Ms: done.summary.latencyMs.p50,
    ackP99Ms: done.summary.latencyMs.p99,
    ackMaxMs: done.summary.latencyMs.max,
    answeredPerSecond: answered.size / ((last - firstSend) / 1000),
    drainS: Math.max(0, (last - loadEndedAt) / 1000),
    note,
  };
}

/** `--profile`: the first server of each scenario writes a V8 CPU profile, summarised when it stops. */
const PROFILE = process.argv.includes('--profile');

function printProfile(profileDir: string): void {
  const files = readdirSync(profileDir).map((f) => join(profileDir, f));
  if (!files.length) return;
  // The main thread's profile is the largest (tsx's loader thread writes its own).
  const [main] = files.sort((a, b) => statSync(b).size - statSync(a).size);
  console.log(`CPU profile: ${main}`);
  console.log(formatProfile(summariseCpuProfile(main, { entryPoints: ENTRY_POINTS, startAt: WEBHOOK_HANDLER, top: 30 })));
}

/** `LOA_BENCH_SERVER_ENV=K=V,K=V`: extra settings for every server (to compare a setting's effect). */
const EXTRA_ENV = Object.fromEntries(
  (process.env.LOA_BENCH_SERVER_ENV ?? '')
    .split(',')
    .filter((kv) => kv.includes('='))
    .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
);

async function scenario<T>(latencyMs: number, env: Record<string, string>, run: (ctx: { fake: BenchZaloFake; dataDir: string; server: ServerProcess; restart: () => Promise<ServerProcess> }) => Promise<T>): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), 'loa-bench-faults-'));
  const fake = await startBenchZaloFake({ appId: APP_ID, appSecret: APP_SECRET, accessToken: ACCESS_TOKEN, latencyMs });
  const servers: ServerProcess[] = [];
  const profileDir = PROFILE ? join(dataDir, 'cpu-profile') : undefined;
  const start = async () => {
    const s = await startServerProcess(dataDir, fake, { logLevel: 'warn', env: { ...env, ...EXTRA_ENV }, ...(profileDir && !servers.length ? { profileDir } : {}) });
    servers.push(s);
    return s;
  };
  try {
    return await run({ fake, dataDir, server: await start(), restart: start });
  } finally {
    for (const s of servers) await s.stop();
    await fake.close();
    if (profileDir) printProfile(profileDir);
    if (!profileDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

const now = () => Date.now();

/**
 * A second, independent view of acknowledgement time: a few signed events per second
 * from this process over plain HTTP (a fresh connection each), timed here. Resolves with
 * the latencies (ms) once `stop()` is called.
 */
function probeAcks(url: string, perSecond: number): { stop: () => Promise<number[]> } {
  const latencies: number[] = [];
  let n = 0;
  const inFlight = new Set<Promise<void>>();
  const timer = setInterval(() => {
    const { body, signature } = signedTextEvent({ appId: APP_ID, oaSecretKey: OA_SECRET_KEY }, { userId: `probe-u${n}`, msgId: `probe-m${n++}`, text: sampleQuestions()[0], timestamp: Date.now() });
    const started = performance.now();
    const p = fetch(`${url}/webhooks/zalo`, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-zevent-signature': signature, connection: 'close' } })
      .then(async (res) => {
        await res.arrayBuffer();
        if (res.ok) latencies.push(performance.now() - started);
      })
      .catch(() => undefined)
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  }, 1000 / perSecond);
  return {
    async stop() {
      clearInterval(timer);
      await Promise.all([...inFlight]);
      return latencies.sort((a, b) => a - b);
    },
  };
}

const METRICS_TOKEN = 'bench-metrics-token-0123456789abcdef';

/**
 * The server's own view of acknowledgement time (request read → response sent), from
 * `/metrics`: it leaves out the load generator and the kernel's queues, so a gap between
 * it and the load generator's figure says where the wait is.
 */
async function ackHistogram(url: string): Promise<string> {
  const text = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
  const buckets = text
    .split('\n')
    .filter((l) => l.startsWith('loa_webhook_ack_seconds_bucket{') && l.includes('channel="zalo"') && l.includes('status="200"'))
    .map((l) => ({ le: /le="([^"]+)"/.exec(l)?.[1] ?? '', n: Number(l.slice(l.lastIndexOf(' ') + 1)) }));
  const total = buckets.at(-1)?.n ?? 0;
  if (!total) return 'none recorded';
  const under = (le: string) => buckets.find((b) => b.le === le)?.n ?? 0;
  const p = (q: number) => buckets.find((b) => b.n >= q * total)?.le ?? '?';
  return `${total} acks, p50 ≤ ${p(0.5)} s, p99 ≤ ${p(0.99)} s, ${((100 * under('0.1')) / total).toFixed(1)} % under 100 ms, ${((100 * under('2')) / total).toFixed(1)} % under 2 s`;
}

async function latency(): Promise<Outcome> {
  return scenario(150, { LOA_METRICS_TOKEN: METRICS_TOKEN }, async ({ fake, dataDir, server }) => {
    await runLoadProcess(LOAD(server.url, 'w', 50, 3));
    await waitForAnswers(fake, new Set(), 5);
    const from = fake.arrivals.length;
    await server.stats();
    const cpuBefore = processCpuMs(server.child.pid);
    const loadAvg = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    const probe = probeAcks(server.url, 5);
    const done = await runLoadProcess(LOAD(server.url, 'l', 300, 15));
    const ended = now();
    const probed = await probe.stop();
    const loop = await server.stats();
    await waitForAnswers(fake, new Set(done.acked), 90);
    const cpuMs = processCpuMs(server.child.pid) - cpuBefore;
    const serverAck = await ackHistogram(server.url);
    await server.stop();
    fake.arrivals.splice(0, from);
    const pct = (q: number) => probed[Math.min(probed.length - 1, Math.ceil(q * probed.length) - 1)]?.toFixed(0) ?? '–';
    const note = `probe (5/s, own connections) ack p50 / p99 / max ${pct(0.5)} / ${pct(0.99)} / ${probed.at(-1)?.toFixed(0) ?? '–'} ms over ${probed.length}; server-side ack (loa_webhook_ack_seconds) ${serverAck}; load generator loop delay p99 ${done.summary.loopDelayMs.p99.toFixed(0)} / max ${done.summary.loopDelayMs.max.toFixed(0)} ms; server CPU ${(cpuMs / done.acked.length).toFixed(2)} ms per answered event; load average at start ${loadAvg}; server loop delay during the load p99 ${loop.loopDelayP99Ms.toFixed(0)} / max ${loop.loopDelayMaxMs.toFixed(0)} ms, longest GC ${loop.gcMaxMs.toFixed(0)} ms`;
    const counts = EXTRA_ENV.DATABASE_URL ? await postgresCounts(EXTRA_ENV.DATABASE_URL) : outboxCounts(dataDir);
    const store = EXTRA_ENV.DATABASE_URL ? 'PostgreSQL' : 'SQLite';
    return tally(`latency (${store}): fake API answers in 150 ms, 300 events/s × 15 s`, fake, done, ended, counts, note);
  });
}

async function kill9(): Promise<Outcome> {
  return scenario(20, { LOA_WORK_LEASE_S: '5' }, async ({ fake, dataDir, server, restart }) => {
    const load = runLoadProcess(LOAD(server.url, 'k', 200, 10));
    await new Promise((r) => setTimeout(r, 4_000));
    server.child.kill('SIGKILL');
    const done = await load;
    const ended = now();
    const restartedAt = now();
    const again = await restart();
    const upS = (now() - restartedAt) / 1000;
    await waitForAnswers(fake, new Set(done.acked), 90);
    await again.stop();
    return tally('kill9: 200 events/s × 10 s, SIGKILL after 4 s, restarted after the load', fake, done, ended, outboxCounts(dataDir), `restart took ${upS.toFixed(1)} s (in the drain time)`);
  });
}

/** `--outage-s=N`: how long the Zalo outage lasts (default 600 s, the 10 minutes). */
const OUTAGE_S = Number(process.argv.find((a) => a.startsWith('--outage-s='))?.slice('--outage-s='.length) ?? 600);

/**
 * The fake answers 503 for the first half of the outage and hangs (accepts nothing, answers
 * nothing) for the second; events arrive at 100/s for the first 20 s of it. Nothing may be
 * lost: retries are bounded by Zalo's 48-hour reply window, not by a count.
 */
async function outage(): Promise<Outcome> {
  if (!(OUTAGE_S >= 2)) throw new Error(`--outage-s must be at least 2 seconds, got ${OUTAGE_S}`);
  return scenario(20, {}, async ({ fake, dataDir, server }) => {
    fake.mode = '503';
    const started = now();
    const load = runLoadProcess(LOAD(server.url, 'o', 100, 20));
    const schedule = (async () => {
      await new Promise((r) => setTimeout(r, (OUTAGE_S * 1000) / 2 - (now() - started)));
      fake.mode = 'hang';
      await new Promise((r) => setTimeout(r, OUTAGE_S * 1000 - (now() - started)));
      fake.mode = 'ok';
    })();
    const done = await load;
    await schedule;
    const ended = now();
    // The longest backoff is 5 minutes: every reply is due again within that after the outage.
    await waitForAnswers(fake, new Set(done.acked), 400);
    await server.stop();
    return tally(
      `outage: 503 for ${OUTAGE_S / 2} s, then hanging for ${OUTAGE_S / 2} s; 100 events/s × 20 s`,
      fake,
      done,
      ended,
      outboxCounts(dataDir),
      `drain counted from the end of the outage; ${fake.faulted} requests failed or hung`,
    );
  });
}

/** A burst of 5,000 events, as fast as 500 connections get them acknowledged (Zalo's window is 2 s). */
async function burst(): Promise<Outcome> {
  return scenario(150, { LOA_METRICS_TOKEN: METRICS_TOKEN }, async ({ fake, dataDir, server }) => {
    await runLoadProcess(LOAD(server.url, 'bw', 50, 3));
    await waitForAnswers(fake, new Set(), 5);
    const from = fake.arrivals.length;
    await server.stats();
    const done = await runLoadProcess({ ...LOAD(server.url, 'b', 500, 60), overallRate: undefined, amount: 5_000 });
    const ended = now();
    const loop = await server.stats();
    const serverAck = await ackHistogram(server.url);
    await waitForAnswers(fake, new Set(done.acked), 180);
    await server.stop();
    fake.arrivals.splice(0, from);
    const sentOverS = (Math.max(...done.sends.map(([, t]) => t)) - Math.min(...done.sends.map(([, t]) => t))) / 1000;
    return tally(
      'burst: 5,000 events at once (500 connections, closed loop), fake API answers in 150 ms',
      fake,
      done,
      ended,
      outboxCounts(dataDir),
      `sent over ${sentOverS.toFixed(1)} s; max ack ${done.summary.latencyMs.max.toFixed(0)} ms (target: every ack under 2 s); server-side ${serverAck}; server loop delay p99 ${loop.loopDelayP99Ms.toFixed(0)} / max ${loop.loopDelayMaxMs.toFixed(0)} ms`,
    );
  });
}

/** PostgreSQL for the two-instance scenario: `LOA_BENCH_DATABASE_URL`, or the local test server. */
const BENCH_DATABASE_URL = process.env.LOA_BENCH_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';

/**
 * Two instances over one PostgreSQL schema; the load goes to A, which is killed mid-burst
 * and not restarted: B, already running, takes A's work over when A's leases run out.
 */
async function takeover(): Promise<Outcome> {
  const schema = `loa_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: BENCH_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const url = new URL(BENCH_DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const env = { DATABASE_URL: url.toString(), LOA_WORK_LEASE_S: '5' };
  try {
    return await scenario(20, env, async ({ fake, server: a, restart: startB }) => {
      const b = await startB();
      const load = runLoadProcess(LOAD(a.url, 't', 200, 10));
      await new Promise((r) => setTimeout(r, 4_000));
      a.child.kill('SIGKILL');
      const done = await load;
      const ended = now();
      await waitForAnswers(fake, new Set(done.acked), 90);
      await b.stop();
      return tally(
        'takeover (PostgreSQL): two instances, 200 events/s × 10 s to A, A killed after 4 s, B takes over',
        fake,
        done,
        ended,
        await postgresCounts(url.toString()),
        'no restart: B is already running',
      );
    });
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  }
}

/** A fresh PostgreSQL schema for one scenario; `drop()` removes it. */
async function benchSchema(): Promise<{ url: string; drop: () => Promise<void> }> {
  const schema = `loa_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: BENCH_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const url = new URL(BENCH_DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.toString(),
    drop: async () => {
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    },
  };
}

/** Redis for the three-instance scenario (a database of its own, emptied first): `LOA_BENCH_REDIS_URL`. */
const BENCH_REDIS_URL = process.env.LOA_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/11';

/** One load generator's results merged with the others' (an event belongs to one of them). */
function merge(parts: DoneMessage[]): DoneMessage {
  const [first, ...rest] = parts;
  const worst = (f: (p: DoneMessage) => number) => Math.max(...parts.map(f).filter(Number.isFinite));
  return {
    ...first,
    sends: parts.flatMap((p) => p.sends),
    acked: parts.flatMap((p) => p.acked),
    // Not a true p99 of the union: the worst of the three (reported as such).
    summary: { ...first.summary, latencyMs: { ...first.summary.latencyMs, p50: worst((p) => p.summary.latencyMs.p50), p99: worst((p) => p.summary.latencyMs.p99), max: worst((p) => p.summary.latencyMs.max) } },
    cpuMs: first.cpuMs + rest.reduce((n, p) => n + p.cpuMs, 0),
  };
}

/**
 * Three instances over one PostgreSQL schema and one Redis (rate limits, live events, the
 * token lock), each receiving 100 events/s for 10 s from its own load generator (as behind a
 * load balancer); A is killed (SIGKILL) after 4 s and not restarted. B and C take A's
 * claimed events and sends over when its leases (5 s) run out.
 */
async function kill3(): Promise<Outcome> {
  const db = await benchSchema();
  const redis = new Redis(BENCH_REDIS_URL);
  await redis.flushdb();
  await redis.quit();
  const env = { DATABASE_URL: db.url, REDIS_URL: BENCH_REDIS_URL, LOA_WORK_LEASE_S: '5' };
  try {
    return await scenario(150, env, async ({ fake, server: a, restart: start }) => {
      const b = await start();
      const c = await start();
      const loads = [a, b, c].map((s, i) => runLoadProcess(LOAD(s.url, `k3${'abc'[i]}`, 100, 10)));
      await new Promise((r) => setTimeout(r, 4_000));
      a.child.kill('SIGKILL');
      const done = merge(await Promise.all(loads));
      const ended = now();
      await waitForAnswers(fake, new Set(done.acked), 120);
      await b.stop();
      await c.stop();
      return tally(
        'kill -9 of one of three instances (PostgreSQL + Redis): 3 × 100 events/s × 10 s, A killed after 4 s; lease 5 s',
        fake,
        done,
        ended,
        await postgresCounts(db.url),
        'ack figures: the worst of the three load generators; not acked: sent to A after it died (the channel redelivers those)',
      );
    });
  } finally {
    await db.drop();
  }
}

const SCENARIOS: Record<string, () => Promise<Outcome>> = { latency, burst, kill9, takeover, kill3, outage };

function format(rows: Outcome[]): string {
  const fmt = (n: number, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : '–');
  const lines = [
    '| scenario | acked | not acked | answered | twice | lost | unknown (counted) | dead letters | ack p50 / p99 / max (ms) | answered/s | drain (s) | note |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map((r) =>
      `| ${r.name} | ${r.acked} | ${r.notAcked} | ${r.answered} | ${r.twice} | ${r.lost} | ${r.unknown} | ${r.deadLetters} | ${fmt(r.ackP50Ms, 1)} / ${fmt(r.ackP99Ms, 1)} / ${fmt(r.ackMaxMs, 0)} | ${fmt(r.answeredPerSecond, 1)} | ${fmt(r.drainS, 1)} | ${r.note} |`),
  ];
  return lines.join('\n');
}

/** Runs the fault scenarios (all, or those in `--only=a,b`) and prints one table. */
export async function runFaultsBench(): Promise<void> {
  const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
  const names = only ?? Object.keys(SCENARIOS);
  const rows: Outcome[] = [];
  for (const name of names) {
    const run = SCENARIOS[name];
    if (!run) throw new Error(`unknown fault scenario "${name}"; known: ${Object.keys(SCENARIOS).join(', ')}`);
    console.log(`  ${name}…`);
    rows.push(await run());
  }
  console.log('');
  console.log(format(rows));
  console.log('');
  console.log(`ack p99 target < 100 ms; answered/s target ≥ 300 (latency scenario); lost and twice-but-not-counted must be 0.`);
}
