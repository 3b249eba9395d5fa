import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { sendError } from '../http/errors.ts';
import { ChannelSendError, type ChannelMetrics, type ChannelSender } from '../bots/core/types.ts';
import type { CoreEventEmitter } from '../bots/core/events.ts';
import type { OpsStore } from '../storage/ops-store.ts';
import { onPostgresError } from '../storage/postgres/database.ts';

/**
 * Loa's Prometheus metrics, on a registry of its own per server (tests run several servers
 * in one process). What an operator alerts on: work piling up in the inbox/outbox, sends
 * failing by channel and code, token refreshes, slow webhook acknowledgements, the answer
 * mix, event-loop delay, PostgreSQL and Redis errors. Queue figures are read from the
 * database at scrape time, so every instance reports the shared queues.
 */
export interface LoaMetrics {
  readonly registry: Registry;
  /** For `ChannelSetupContext.metrics`. */
  readonly channel: ChannelMetrics;
  /** Counts answer outcomes from the core's `turn.recorded` events. */
  observe(events: CoreEventEmitter): void;
  /** Wraps a sender so each send is counted by channel, result and error code. */
  instrumentSender(sender: ChannelSender): ChannelSender;
  /** Express middleware timing webhook acknowledgements (mount before the channel routes). */
  ackTimer: RequestHandler;
  redisError(): void;
  close(): void;
}

/** Paths whose response time is Loa's acknowledgement to a channel. */
const ACK_ROUTES: ReadonlyArray<[RegExp, string]> = [
  [/^\/webhooks\/zalo\/?$/, 'zalo'],
  [/^\/webhooks\/telegram\/?$/, 'telegram'],
  [/^\/api\/messages\/?$/, 'botframework'],
  [/^\/webchat\/api\/messages\/?$/, 'webchat'],
];

export function createMetrics(deps: { ops: OpsStore; clock?: () => Date }): LoaMetrics {
  const registry = new Registry();
  const clock = deps.clock ?? (() => new Date());
  collectDefaultMetrics({ register: registry, prefix: 'loa_process_', eventLoopMonitoringPrecision: 20 });

  // One read of the queues per scrape, shared by the four queue gauges.
  let pendingRead: Promise<Awaited<ReturnType<OpsStore['queueStats']>>> | undefined;
  const queueStats = () => {
    pendingRead ??= deps.ops.queueStats(clock()).finally(() => {
      setImmediate(() => (pendingRead = undefined));
    });
    return pendingRead;
  };
  const depthGauge = (name: string, help: string, queue: 'inbox' | 'outbox') =>
    new Gauge({
      name,
      help,
      labelNames: ['status'],
      registers: [registry],
      async collect() {
        this.reset();
        const stats = (await queueStats())[queue];
        for (const [status, n] of Object.entries(stats.byStatus)) this.set({ status }, n);
        if (stats.byStatus.pending === undefined) this.set({ status: 'pending' }, 0);
      },
    });
  const ageGauge = (name: string, help: string, queue: 'inbox' | 'outbox') =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        this.set((await queueStats())[queue].oldestPendingAgeS);
      },
    });
  depthGauge('loa_inbox_items', 'Inbox events not finished, by status (done ones are not counted).', 'inbox');
  depthGauge('loa_outbox_items', 'Outbox messages not sent, by status (sent ones are not counted).', 'outbox');
  ageGauge('loa_inbox_oldest_pending_age_seconds', 'Age of the oldest inbox event waiting to be handled (0 when none).', 'inbox');
  ageGauge('loa_outbox_oldest_pending_age_seconds', 'Age of the oldest outbox message waiting to be sent (0 when none).', 'outbox');

  const sends = new Counter({ name: 'loa_channel_sends_total', help: 'Messages handed to a channel, by result and error code.', labelNames: ['channel', 'result', 'code'], registers: [registry] });
  const refreshes = new Counter({ name: 'loa_token_refreshes_total', help: 'Channel access-token refreshes, by outcome.', labelNames: ['channel', 'outcome'], registers: [registry] });
  const ack = new Histogram({
    name: 'loa_webhook_ack_seconds',
    help: 'Time from a channel request to Loa’s acknowledgement (Zalo expects about 2 s).',
    labelNames: ['channel', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5],
    registers: [registry],
  });
  const answers = new Counter({ name: 'loa_answers_total', help: 'Conversation turns by outcome (answered, abstained, escalated, welcome, …).', labelNames: ['outcome'], registers: [registry] });
  const unknownOutcomes = new Counter({
    name: 'loa_send_unknown_outcomes_total',
    help: 'Sends whose outcome is unknown (timed out after going out, or their instance died mid-send), by channel and cause: each may reach the citizen twice.',
    labelNames: ['channel', 'cause'],
    registers: [registry],
  });
  const pgErrors = new Counter({ name: 'loa_postgres_errors_total', help: 'Failed PostgreSQL statements and dropped connections.', registers: [registry] });
  const redisErrors = new Counter({ name: 'loa_redis_errors_total', help: 'Redis connection and command errors.', registers: [registry] });

  const offPg = onPostgresError(() => pgErrors.inc());
  const unsubscribe: Array<() => void> = [offPg];

  return {
    registry,
    channel: { tokenRefresh: (channel, outcome) => refreshes.inc({ channel, outcome }) },
    observe(events) {
      unsubscribe.push(
        events.on('turn.recorded', (turn) => {
          const outcome = turn.intent === 'question' ? (turn.escalated ? 'escalated' : turn.abstained ? 'abstained' : 'answered') : turn.intent;
          answers.inc({ outcome });
        }),
        events.on('message.unknown', (e) => unknownOutcomes.inc({ channel: e.channel, cause: e.cause })),
      );
    },
    instrumentSender(sender) {
      return {
        channel: sender.channel,
        async send(to, message) {
          try {
            const result = await sender.send(to, message);
            sends.inc({ channel: sender.channel, result: 'sent', code: '' });
            return result;
          } catch (err) {
            const code = err instanceof ChannelSendError && err.code !== undefined ? String(err.code) : 'internal';
            sends.inc({ channel: sender.channel, result: 'failed', code: code.slice(0, 40) });
            throw err;
          }
        },
      };
    },
    ackTimer(req, res, next) {
      const route = req.method === 'POST' ? ACK_ROUTES.find(([re]) => re.test(req.path)) : undefined;
      if (route) {
        const end = ack.startTimer({ channel: route[1] });
        res.once('finish', () => end({ status: String(res.statusCode) }));
      }
      next();
    },
    redisError: () => redisErrors.inc(),
    close() {
      for (const off of unsubscribe.splice(0)) off();
      registry.clear();
    },
  };
}

/**
 * `GET /metrics` in the Prometheus text format, behind `Authorization: Bearer <token>`
 * (compared in constant time). Without a token the route is not mounted on the public port.
 */
export function metricsHandler(registry: Registry, token: string | undefined): RequestHandler {
  const expected = token ? Buffer.from(`Bearer ${token}`) : undefined;
  return async (req, res) => {
    if (expected) {
      const given = Buffer.from(req.get('authorization') ?? '');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        res.set('WWW-Authenticate', 'Bearer');
        sendError(res, 401, 'unauthorized', 'A bearer token is required');
        return;
      }
    }
    res.set('Content-Type', registry.contentType).set('Cache-Control', 'no-store').send(await registry.metrics());
  };
}
