import { createRequire } from 'node:module';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { z } from 'zod';
import { epochMs } from './zalo-webhook-fake.ts';
import { runMessageSchema, signedTextEvent, type DoneMessage, type LoadParams, type LoadSummary } from './zalo-webhook-protocol.ts';

/**
 * The load generator of the Zalo webhook benchmark, in its own process: autocannon POSTs
 * distinct, correctly signed `user_send_text` events (new msg_id each, citizens in
 * round-robin, questions from the sample set) to `/webhooks/zalo`, and records when each
 * one was written and when its acknowledgement came back, so the parent can compute
 * acknowledgement and end-to-end answer latency per msg_id.
 *
 * Two shapes of load:
 * - closed loop (no `overallRate`): each connection sends its next event as soon as the
 *   previous one is acknowledged: the server's acknowledgement capacity;
 * - paced (`overallRate`): autocannon's rate limit is per connection and per whole second,
 *   so one instance would send its whole second's budget in a burst at the start of each
 *   second. Instead, PACED_INSTANCES instances with one request per connection per second
 *   are started evenly spread over a second: the rate arrives in small, regular groups.
 */

interface AutocannonRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

type Context = Record<string, unknown>;

interface AutocannonOptions {
  url: string;
  connections: number;
  duration: number;
  connectionRate?: number;
  /** Requests in all, then stop (duration is ignored). */
  amount?: number;
  timeout?: number;
  requests: Array<{
    method: string;
    path: string;
    setupRequest: (req: AutocannonRequest, context: Context) => AutocannonRequest;
    onResponse: (status: number, body: string, context: Context) => void;
  }>;
}

type Autocannon = (options: AutocannonOptions) => Promise<unknown>;

// autocannon ships CommonJS without types; its result is validated below.
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

/** Paced load is split over this many autocannon instances, started evenly over one second. */
const PACED_INSTANCES = 20;

const histogram = z.object({ p50: z.number(), p90: z.number(), p99: z.number(), max: z.number(), average: z.number() });
const resultSchema = z.object({
  duration: z.number(),
  errors: z.number(),
  timeouts: z.number(),
  non2xx: z.number(),
  '2xx': z.number(),
  latency: histogram,
  requests: z.object({ sent: z.number() }),
});
type Result = z.infer<typeof resultSchema>;

/** Set by `bench/zalo-webhook.ts` on the child it starts. */
export const LOAD_ROLE_ENV = 'LOA_BENCH_ZALO_LOAD';

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Runs one load phase; resolves with the summary and the send time of every msg_id. */
export async function runLoad(params: LoadParams): Promise<DoneMessage> {
  const sends: Array<[string, number]> = [];
  const ackMs: number[] = [];
  const acked: string[] = [];
  const statusCodes: Record<string, number> = {};
  let seq = 0;
  const cpuBefore = process.cpuUsage();
  // A late load generator would show up as acknowledgement latency: measure its own loop too.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();

  const request = {
    method: 'POST',
    path: '/webhooks/zalo',
    // Called just before each request is written (one in flight per connection: no pipelining).
    setupRequest: (req: AutocannonRequest, context: Context): AutocannonRequest => {
      const n = ++seq;
      const msgId = `${params.runId}-m${n}`;
      const userId = `${params.runId}-u${n % params.users}`;
      const text = params.questions[n % params.questions.length];
      const { body, signature } = signedTextEvent(params, { userId, msgId, text, timestamp: Date.now() });
      const now = epochMs();
      sends.push([msgId, now]);
      context.sentAt = now;
      context.msgId = msgId;
      return { ...req, body, headers: { 'content-type': 'application/json', 'x-zevent-signature': signature } };
    },
    onResponse: (status: number, _body: string, context: Context): void => {
      statusCodes[status] = (statusCodes[status] ?? 0) + 1;
      if (status >= 200 && status < 300 && typeof context.msgId === 'string') acked.push(context.msgId);
      if (typeof context.sentAt === 'number') ackMs.push(epochMs() - context.sentAt);
    },
  };

  const instance = (connections: number, connectionRate?: number, amount?: number): Promise<Result> =>
    autocannon({
      url: params.url,
      connections,
      duration: params.durationS,
      timeout: 10,
      ...(connectionRate ? { connectionRate } : {}),
      ...(amount ? { amount } : {}),
      requests: [request],
    }).then(
      (raw) => resultSchema.parse(raw),
    );

  let results: Result[];
  let autocannonLatency: LoadSummary['autocannonLatencyMs'];
  if (!params.overallRate) {
    const r = await instance(params.connections, undefined, params.amount);
    results = [r];
    autocannonLatency = { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max, mean: r.latency.average };
  } else {
    const rate = params.overallRate;
    const instances = Math.min(PACED_INSTANCES, rate);
    results = await Promise.all(
      Array.from({ length: instances }, async (_, i) => {
        // Instance i gets an even share of the rate, as that many connections at 1 request per second each.
        const share = Math.floor(rate / instances) + (i < rate % instances ? 1 : 0);
        await new Promise((resolve) => setTimeout(resolve, (i * 1000) / instances));
        return instance(share, 1);
      }),
    );
  }

  ackMs.sort((a, b) => a - b);
  loopDelay.disable();
  const cpu = process.cpuUsage(cpuBefore);
  const sum = (f: (r: Result) => number) => results.reduce((n, r) => n + f(r), 0);
  const summary: LoadSummary = {
    durationS: params.durationS,
    connections: params.overallRate ?? params.connections,
    ...(params.overallRate ? { offeredRate: params.overallRate } : {}),
    sent: sends.length,
    completed: ackMs.length,
    ok2xx: sum((r) => r['2xx']),
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors),
    timeouts: sum((r) => r.timeouts),
    statusCodes,
    ackPerSecond: ackMs.length / params.durationS,
    latencyMs: {
      p50: percentile(ackMs, 50),
      p90: percentile(ackMs, 90),
      p99: percentile(ackMs, 99),
      max: ackMs.at(-1) ?? NaN,
      mean: ackMs.reduce((a, b) => a + b, 0) / Math.max(1, ackMs.length),
    },
    ...(autocannonLatency ? { autocannonLatencyMs: autocannonLatency } : {}),
    loopDelayMs: { p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 },
  };
  return { type: 'done', summary, sends, acked, cpuMs: (cpu.user + cpu.system) / 1000 };
}

// Started as a child process: wait for the parameters, run, report, exit.
if (process.env[LOAD_ROLE_ENV] === '1' && process.send) {
  process.once('message', (raw: unknown) => {
    const message = runMessageSchema.parse(raw);
    runLoad(message.params)
      .then((done) => process.send?.(done, undefined, {}, () => process.exit(0)))
      .catch((err: unknown) => {
        process.stderr.write(`zalo-webhook-load: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
        process.exit(1);
      });
  });
}
