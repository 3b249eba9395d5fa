import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ENTRY_POINTS, WEBHOOK_HANDLER, formatProfile, summariseCpuProfile } from './zalo-webhook-profile.ts';
import { epochMs, startBenchZaloFake, type Arrival, type BenchZaloFake, type ReplyKind } from './zalo-webhook-fake.ts';
import { LOAD_ROLE_ENV } from './zalo-webhook-load.ts';
import { doneMessageSchema, readyMessageSchema, statsMessageSchema, type DoneMessage, type LoadParams, type ServerStats } from './zalo-webhook-protocol.ts';

/**
 * Zalo webhook benchmark (issue #3): the real server (temp data dir, bundled sample
 * knowledge base, real retrieval and SQLite, default settings) with Zalo pointed at a local
 * fake of the OA Open API, driven through `POST /webhooks/zalo` by autocannon in a second
 * process with distinct, correctly signed `user_send_text` events.
 *
 * Three processes on loopback: this one (orchestration and the fake Zalo API, which records
 * when each reply arrives), the server, and the load generator. Measured per phase:
 * acknowledgements per second and their latency (autocannon's), end-to-end latency from
 * writing the webhook to the fake receiving the reply for that msg_id, and replies per
 * second overall (replies received / time from the first send to the last reply).
 *
 * Phases: a short warm-up (not reported), then "saturation" (closed loop: as fast as the
 * server acknowledges) and paced phases at fixed rates (150/s and the 300/s).
 *
 * Run alone: `node bin/run-ts.js bench/zalo-webhook.ts [--duration 15] [--connections 50]
 * [--rates 150,300] [--users 20000] [--log-level info] [--profile]` (`--profile` writes a V8
 * CPU profile of the server process and prints where its time went).
 */

const HERE = fileURLToPath(new URL('.', import.meta.url));
const ROOT = resolve(HERE, '..');
const RUN_TS = join(ROOT, 'bin', 'run-ts.js');
const SERVER_ENTRY = join(HERE, 'zalo-webhook-server.ts');
const LOAD_ENTRY = join(HERE, 'zalo-webhook-load.ts');
const SAMPLE_QUESTIONS = join(HERE, 'data', 'sample-questions.jsonl');

export const APP_ID = 'bench-app';
export const APP_SECRET = 'bench-app-secret';
export const OA_SECRET_KEY = 'bench-oa-secret-key';
export const ACCESS_TOKEN = 'bench-access-token';

export interface ZaloWebhookBenchOptions {
  /** Seconds of load per measured phase (default 15). */
  durationS?: number;
  /** autocannon connections in the saturation phase (default 50). */
  connections?: number;
  /** Paced phases, in requests per second (default [150, 300]: half the target and the target); [] skips them. */
  rates?: number[];
  /** Distinct citizens (default 20 000: nobody reaches the default per-citizen rate limit). */
  users?: number;
  /** Writes a CPU profile of the server process (`--cpu-prof`) and prints where it is. */
  profile?: boolean;
  /** The server's LOA_LOG_LEVEL (default 'info', as in production). */
  logLevel?: string;
  /** Seconds to wait for the last replies after a phase (default 120). */
  drainTimeoutS?: number;
}

/** One measured phase, as reported. */
export interface PhaseResult {
  name: string;
  load: DoneMessage['summary'];
  replies: number;
  /** Messages the fake received for these replies (long answers come in several parts). */
  parts: number;
  /** Events sent that got no reply. */
  unanswered: number;
  byKind: Record<ReplyKind, number>;
  e2eMs: { p50: number; p90: number; p99: number; max: number };
  repliesPerSecond: number;
  /** Seconds from the first send to the last reply. */
  spanS: number;
  /** CPU used by each process from the start of the phase until its last reply, and the machine's load average. */
  cpu: PhaseCpu;
  /** The server's event-loop delay and GC pauses during the phase (set by the caller of `summarise`). */
  loop?: ServerStats;
}

const sampleSchema = z.object({ question: z.string() });

export function sampleQuestions(): string[] {
  return readFileSync(SAMPLE_QUESTIONS, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => sampleSchema.parse(JSON.parse(l)).question);
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  logFile: string;
  /** Event-loop delay and GC pauses since the previous call. */
  stats(): Promise<ServerStats>;
  stop(): Promise<void>;
}

/** Only what the server needs: whatever Loa settings the caller's shell has must not leak in. */
function serverEnv(dataDir: string, fake: BenchZaloFake, logLevel: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...extra,
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    PORT: '0',
    HOST: '127.0.0.1',
    LOA_DATA_DIR: dataDir,
    LOA_LOG_LEVEL: logLevel,
    ZALO_API_BASE: fake.url,
    ZALO_OAUTH_BASE: fake.url,
    ZALO_APP_ID: APP_ID,
    ZALO_APP_SECRET: APP_SECRET,
    ZALO_OA_SECRET_KEY: OA_SECRET_KEY,
    ZALO_ACCESS_TOKEN: ACCESS_TOKEN,
    ZALO_REFRESH_TOKEN: 'bench-refresh',
  };
}

export async function startServerProcess(
  dataDir: string,
  fake: BenchZaloFake,
  opts: { logLevel: string; profileDir?: string; env?: Record<string, string> },
): Promise<ServerProcess> {
  const logFile = join(dataDir, 'server.log');
  const logFd = openSync(logFile, 'a');
  const nodeFlags = opts.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.profileDir}`] : [];
  const child = spawn(process.execPath, [...nodeFlags, RUN_TS, SERVER_ENTRY], {
    cwd: ROOT,
    env: serverEnv(join(dataDir, 'data'), fake, opts.logLevel, opts.env),
    stdio: ['ignore', logFd, logFd, 'ipc'],
  });
  closeSync(logFd);
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  const url = await new Promise<string>((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error('the server did not start within 180 s')), 180_000);
    child.on('message', (raw: unknown) => {
      const ready = readyMessageSchema.safeParse(raw);
      if (!ready.success) return;
      clearTimeout(timer);
      resolveReady(ready.data.url);
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code}) before it was ready; see ${logFile}:\n${tail(logFile)}`));
    });
  });
  return {
    url,
    child,
    logFile,
    stats: () =>
      new Promise<ServerStats>((resolveStats) => {
        const onMessage = (raw: unknown) => {
          const stats = statsMessageSchema.safeParse(raw);
          if (!stats.success) return;
          child.off('message', onMessage);
          const { type: _type, ...rest } = stats.data;
          resolveStats(rest);
        };
        child.on('message', onMessage);
        child.send({ type: 'stats' });
      }),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.send({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** Runs one load phase in a child process (autocannon must not share a loop with the server or the fake). */
export function runLoadProcess(params: LoadParams): Promise<DoneMessage> {
  return new Promise((resolveDone, reject) => {
    const child = spawn(process.execPath, [RUN_TS, LOAD_ENTRY], {
      cwd: ROOT,
      env: { ...process.env, [LOAD_ROLE_ENV]: '1' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let done: DoneMessage | undefined;
    child.on('message', (raw: unknown) => {
      done = doneMessageSchema.parse(raw);
    });
    child.once('exit', (code) => (done ? resolveDone(done) : reject(new Error(`the load generator exited with ${code}`))));
    child.send({ type: 'run', params });
  });
}

/**
 * Waits until every msg_id sent has a reply and no part came for a moment (a long answer
 * arrives in several parts), or replies stopped coming for 30 s, or the deadline passed.
 */
async function waitForReplies(fake: BenchZaloFake, sent: Set<string>, timeoutS: number): Promise<void> {
  const deadline = Date.now() + timeoutS * 1000;
  const received = new Set<string>();
  let scanned = 0;
  let lastArrivalSeen = Date.now();
  while (Date.now() < deadline) {
    if (scanned < fake.arrivals.length) lastArrivalSeen = Date.now();
    for (; scanned < fake.arrivals.length; scanned++) {
      const key = fake.arrivals[scanned].key;
      if (sent.has(key)) received.add(key);
    }
    const quietMs = Date.now() - lastArrivalSeen;
    if (received.size >= sent.size && quietMs > 500) return;
    if (quietMs > 30_000) return; // stalled: report what arrived
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** CPU time (user + system) a process has used so far, from /proc (Linux); NaN elsewhere. */
export function processCpuMs(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the line, in clock ticks (100 per second on Linux).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return NaN;
  }
}

function loadAverage(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return '?';
  }
}

interface PhaseCpu {
  serverMs: number;
  loadMs: number;
  fakeMs: number;
  wallMs: number;
  loadAvg: string;
}

function summarise(name: string, done: DoneMessage, arrivals: Arrival[], cpu: PhaseCpu): PhaseResult {
  const sentAt = new Map(done.sends);
  // A long answer arrives in several parts: the reply is complete with its last part.
  const replies = new Map<string, { last: number; kinds: Set<ReplyKind> }>();
  for (const a of arrivals) {
    if (!sentAt.has(a.key)) continue;
    const r = replies.get(a.key) ?? { last: 0, kinds: new Set<ReplyKind>() };
    r.last = Math.max(r.last, a.at);
    r.kinds.add(a.kind);
    replies.set(a.key, r);
  }
  const byKind: Record<ReplyKind, number> = { answer: 0, escalated: 0, rate_limited: 0, other: 0 };
  const latencies: number[] = [];
  let lastArrival = 0;
  let multipart = 0;
  for (const [key, r] of replies) {
    const kind = (['answer', 'escalated', 'rate_limited'] as const).find((k) => r.kinds.has(k)) ?? 'other';
    byKind[kind] += 1;
    latencies.push(r.last - (sentAt.get(key) as number));
    lastArrival = Math.max(lastArrival, r.last);
  }
  for (const a of arrivals) if (sentAt.has(a.key)) multipart += 1;
  latencies.sort((x, y) => x - y);
  const firstSend = done.sends.reduce((min, [, t]) => Math.min(min, t), Infinity);
  const spanS = replies.size ? (lastArrival - firstSend) / 1000 : NaN;
  return {
    name,
    load: done.summary,
    replies: replies.size,
    parts: multipart,
    unanswered: done.sends.length - replies.size,
    byKind,
    e2eMs: { p50: percentile(latencies, 50), p90: percentile(latencies, 90), p99: percentile(latencies, 99), max: latencies.at(-1) ?? NaN },
    repliesPerSecond: replies.size / spanS,
    spanS,
    cpu: { ...cpu, loadMs: done.cpuMs },
  };
}

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '–');
const ms = (n: number) => fmt(n, n < 10 ? 1 : 0);

/** The results as a Markdown table (what docs/BENCHMARKS.md shows). */
export function formatPhases(phases: PhaseResult[]): string {
  const rows: Array<[string, (p: PhaseResult) => string]> = [
    ['offered load', (p) => (p.load.offeredRate ? `${p.load.offeredRate}/s, paced` : `closed loop, ${p.load.connections} connections`)],
    ['webhooks sent / acknowledged 2xx', (p) => `${p.load.sent} / ${p.load.ok2xx}`],
    ['non-2xx / errors / timeouts', (p) => `${p.load.non2xx} / ${p.load.errors} / ${p.load.timeouts}`],
    ['acks per second', (p) => fmt(p.load.ackPerSecond)],
    ['**ack latency** p50 / p90 / **p99** / max (ms)', (p) => `${ms(p.load.latencyMs.p50)} / ${ms(p.load.latencyMs.p90)} / **${ms(p.load.latencyMs.p99)}** / ${ms(p.load.latencyMs.max)}`],
    ['(autocannon\'s own: p50 / p99)', (p) => (p.load.autocannonLatencyMs ? `${p.load.autocannonLatencyMs.p50} / ${p.load.autocannonLatencyMs.p99}` : '–')],
    ['replies: answers / escalation notices / rate-limit notices / other (Zalo messages)', (p) => `${p.byKind.answer} / ${p.byKind.escalated} / ${p.byKind.rate_limited} / ${p.byKind.other} (${p.parts})`],
    ['sent but never answered', (p) => String(p.unanswered)],
    ['end-to-end latency p50 / p90 / p99 / max (ms)', (p) => `${ms(p.e2eMs.p50)} / ${ms(p.e2eMs.p90)} / ${ms(p.e2eMs.p99)} / ${ms(p.e2eMs.max)}`],
    ['**answered messages per second** (replies / first send → last reply)', (p) => `**${fmt(p.repliesPerSecond, 1)}** (${p.replies} in ${fmt(p.spanS, 1)} s)`],
    ['server CPU per answered message (ms)', (p) => fmt(p.cpu.serverMs / p.replies, 2)],
    ['CPU used: server / load generator / fake Zalo (s of ' + "wall)", (p) => `${fmt(p.cpu.serverMs / 1000, 1)} / ${fmt(p.cpu.loadMs / 1000, 1)} / ${fmt(p.cpu.fakeMs / 1000, 1)} (${fmt(p.cpu.wallMs / 1000, 1)})`],
    ['server event-loop delay p99 / max; longest GC pause (ms)', (p) => (p.loop ? `${ms(p.loop.loopDelayP99Ms)} / ${ms(p.loop.loopDelayMaxMs)}; ${ms(p.loop.gcMaxMs)}` : '–')],
    ['load generator event-loop delay p99 / max (ms)', (p) => `${ms(p.load.loopDelayMs.p99)} / ${ms(p.load.loopDelayMs.max)}`],
    ['machine load average at start (1/5/15 min)', (p) => p.cpu.loadAvg],
  ];
  const header = `| | ${phases.map((p) => p.name).join(' | ')} |`;
  const rule = `|---|${phases.map(() => '---').join('|')}|`;
  return [header, rule, ...rows.map(([label, cell]) => `| ${label} | ${phases.map(cell).join(' | ')} |`)].join('\n');
}

/** The target: ≥ 300 answered messages per second with acknowledgement p99 < 100 ms. */
export const TARGET = { answeredPerSecond: 300, ackP99Ms: 100 } as const;

/** One line comparing the results with the target. */
export function verdict(phases: PhaseResult[]): string {
  const capacity = phases.find((p) => !p.load.offeredRate);
  const atTarget = phases.find((p) => p.load.offeredRate === TARGET.answeredPerSecond);
  const parts = [`Target (issue #3): ≥ ${TARGET.answeredPerSecond} answered/s with ack p99 < ${TARGET.ackP99Ms} ms.`];
  if (capacity) parts.push(`Capacity (closed loop): ${fmt(capacity.repliesPerSecond, 1)} answered/s ${capacity.repliesPerSecond >= TARGET.answeredPerSecond ? '(met)' : '(NOT met)'}.`);
  if (atTarget) {
    const ok = atTarget.unanswered === 0 && atTarget.load.non2xx + atTarget.load.errors === 0 && atTarget.load.latencyMs.p99 < TARGET.ackP99Ms;
    parts.push(`At ${TARGET.answeredPerSecond}/s offered: ack p99 ${ms(atTarget.load.latencyMs.p99)} ms, end-to-end p99 ${ms(atTarget.e2eMs.p99)} ms, ${atTarget.unanswered} unanswered ${ok ? '(met)' : '(NOT met)'}.`);
  }
  return parts.join(' ');
}

/** Runs the benchmark and prints the results table. */
export async function runZaloWebhookBench(options: ZaloWebhookBenchOptions = {}): Promise<void> {
  const durationS = options.durationS ?? 15;
  const connections = options.connections ?? 50;
  const rates = options.rates ?? [150, 300];
  const users = options.users ?? 20_000;
  const logLevel = options.logLevel ?? 'info';
  const drainTimeoutS = options.drainTimeoutS ?? 120;
  const questions = sampleQuestions();

  const workDir = mkdtempSync(join(tmpdir(), 'loa-bench-zalo-'));
  const profileDir = options.profile ? join(workDir, 'cpu-profile') : undefined;
  const fake = await startBenchZaloFake({ appId: APP_ID, appSecret: APP_SECRET, accessToken: ACCESS_TOKEN });
  let server: ServerProcess | undefined;
  try {
    console.log('Zalo webhook benchmark: starting the server (sample knowledge base, SQLite)…');
    server = await startServerProcess(workDir, fake, { logLevel, profileDir });
    const base = { url: server.url, appId: APP_ID, oaSecretKey: OA_SECRET_KEY, questions, users };

    const running = server;
    const serverPid = running.child.pid;
    const phase = async (name: string, runId: string, load: Pick<LoadParams, 'connections' | 'durationS' | 'overallRate'>): Promise<PhaseResult> => {
      const from = fake.arrivals.length;
      const loadAvg = loadAverage();
      await running.stats(); // resets the server's counters
      const start = { server: processCpuMs(serverPid), fake: process.cpuUsage(), wall: Date.now() };
      const done = await runLoadProcess({ ...base, ...load, runId });
      await waitForReplies(fake, new Set(done.sends.map(([id]) => id)), drainTimeoutS);
      const fakeCpu = process.cpuUsage(start.fake);
      const loop = await running.stats();
      const cpu = {
        serverMs: processCpuMs(serverPid) - start.server,
        loadMs: done.cpuMs,
        fakeMs: (fakeCpu.user + fakeCpu.system) / 1000,
        wallMs: Date.now() - start.wall,
        loadAvg,
      };
      return { ...summarise(name, done, fake.arrivals.slice(from), cpu), loop };
    };

    console.log('  warm-up (3 s, not reported)…');
    await phase('warm-up', 'w', { connections: 10, durationS: 3 });
    const phases: PhaseResult[] = [];
    console.log(`  saturation: ${connections} connections, ${durationS} s…`);
    phases.push(await phase(`saturation (${connections} conn.)`, 's', { connections, durationS }));
    for (const [i, rate] of rates.entries()) {
      console.log(`  paced: ${rate}/s, ${durationS} s…`);
      phases.push(await phase(`paced ${rate}/s`, `p${i}`, { connections: rate, durationS, overallRate: rate }));
    }

    await server.stop();
    const logLines = readFileSync(server.logFile, 'utf8').split('\n').filter(Boolean).length;
    console.log('');
    console.log(`### Zalo webhook (${questions.length} sample questions, ${users} citizens, LOA_LOG_LEVEL=${logLevel}, started ${new Date(epochMs()).toISOString()})`);
    console.log('');
    console.log(formatPhases(phases));
    console.log('');
    console.log(`Server log lines: ${logLines}; fake Zalo API refusals: ${fake.refused}.`);
    console.log(verdict(phases));
    if (profileDir) {
      // The main thread's profile is the largest (worker threads, e.g. tsx's loader, write their own).
      const [main] = readdirSync(profileDir)
        .map((f) => join(profileDir, f))
        .sort((a, b) => statSync(b).size - statSync(a).size);
      console.log(`CPU profile of the server: ${main} (open in Chrome DevTools → Performance, or speedscope)`);
      console.log('');
      console.log(formatProfile(summariseCpuProfile(main, { entryPoints: ENTRY_POINTS, startAt: WEBHOOK_HANDLER })));
    }
  } finally {
    await server?.stop();
    await fake.close();
    if (!profileDir) rmSync(workDir, { recursive: true, force: true });
  }
}

/**
 * True when this file is the program being run (`node bin/run-ts.js bench/zalo-webhook.ts`)
 * rather than imported by `bench/run.ts`. `bin/run-ts.js` removes the entry from
 * `process.argv`, and Node 20 has no `import.meta.main`, so the original command line is
 * read from /proc (Linux).
 */
function runDirectly(): boolean {
  try {
    const self = fileURLToPath(import.meta.url);
    return readFileSync('/proc/self/cmdline', 'utf8')
      .split('\0')
      .some((arg) => arg.endsWith('.ts') && resolve(arg) === self);
  } catch {
    return false;
  }
}

if (runDirectly()) {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string' },
      connections: { type: 'string' },
      rates: { type: 'string' },
      users: { type: 'string' },
      'log-level': { type: 'string' },
      profile: { type: 'boolean' },
    },
  });
  const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  runZaloWebhookBench({
    durationS: num(values.duration),
    connections: num(values.connections),
    rates: values.rates === undefined ? undefined : values.rates.split(',').filter(Boolean).map(Number),
    users: num(values.users),
    logLevel: values['log-level'],
    profile: values.profile,
  }).catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
