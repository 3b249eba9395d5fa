import { announcementModule } from '../admin/announcements/routes.ts';
import { AnnouncementService, trackDeliveries } from '../proactive/announcements.ts';
import { DEFAULT_PACE_PER_SECOND } from '../proactive/channel-rules.ts';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Runtime } from './runtime.ts';
import { openCoordination } from '../storage/index.ts';
import { askRoute } from './http/ask-route.ts';
import { mountRoutes, pathsOf } from '../http/define-route.ts';
import { buildDocument } from '../http/openapi.ts';
import { healthRouter } from './http/health.ts';
import { trackInFlight } from './http/in-flight.ts';
import { createMetrics, metricsHandler, type LoaMetrics } from './metrics.ts';
import { errorHandler, notFound } from './http/errors.ts';
import { warnForwardedWithoutTrust } from './http/forwarded-warning.ts';
import { mayGenerateFirstAdmin } from './first-admin-banner.ts';
import { securityTxt } from './http/security-txt.ts';
import { ConversationCore } from '../bots/core/conversation-core.ts';
import type { ChannelHandle, ChannelSetupContext } from '../bots/core/types.ts';
import { setupWebchat } from '../bots/webchat/index.ts';
import { setupZalo } from '../bots/zalo/index.ts';
import { ZALO_SITE_VERIFICATION_META } from '../bots/zalo/site-verification.ts';
import { setupTelegram } from '../bots/telegram/index.ts';
import { setupBotFramework } from '../bots/botframework/index.ts';
import { createAdminDeps, setupAdmin, type AdminHandle } from '../admin/index.ts';
import { createFaqFromEscalation, faqModule } from '../admin/faqs/index.ts';
import { documentModule } from '../admin/documents/index.ts';
import { reportModule } from '../admin/reports/index.ts';
import { reviewModule } from '../admin/review/index.ts';
import { synonymModule } from '../admin/synonyms/index.ts';
import { privacyModule } from '../admin/privacy/index.ts';
import { consultationModule } from '../admin/consultations/index.ts';
import { serverKey } from '../admin/auth/server-keys.ts';
import { ConsultationService } from '../consultations/service.ts';
import { consultationPageRouter } from '../consultations/page/routes.ts';

/** A running Loa server. */
export interface LoaServer {
  app: Express;
  server: Server;
  url: string;
  core: ConversationCore;
  channels: Record<string, ChannelHandle>;
  admin: AdminHandle;
  metrics: LoaMetrics;
  /** The console administrator generated at this start (loopback only, no LOA_ADMIN_* set): show it once. */
  firstAdmin?: { email: string; password: string };
  /** The separate metrics server when LOA_METRICS_PORT is set. */
  metricsUrl?: string;
  /**
   * Graceful stop (SIGTERM): readiness turns 503 at once, after LOA_DRAIN_DELAY_MS the server
   * stops accepting connections, requests in flight get up to LOA_DRAIN_TIMEOUT_S to finish,
   * then `close()`. The conversation core's `stop()` (in `close()`) is where unfinished work
   * is handed back.
   */
  drain(): Promise<void>;
  /** Requests being served now. */
  inFlight(): number;
  /**
   * Runs `hook` as soon as a drain starts (readiness already 503, requests still running),
   * before `close()`: e.g. stop claiming new work so another instance takes it. Hooks run in
   * order; one that throws is logged and does not stop the drain.
   */
  onDrain(hook: () => Promise<void> | void): void;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * Builds the whole product on one Express app: health, the ask API, every configured
 * channel, the demo page, and starts the conversation core. The caller owns `runtime`.
 */
export async function startServer(runtime: Runtime): Promise<LoaServer> {
  const { config, logger, storage } = runtime;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.LOA_TRUST_PROXY);
  app.use(warnForwardedWithoutTrust(config.LOA_TRUST_PROXY, logger));
  // Portals embed the widget script from another origin, so resources may be loaded cross-origin;
  // each page that needs a stricter policy (demo page, console) sets its own CSP.
  app.use(helmet({ contentSecurityPolicy: false, crossOriginResourcePolicy: { policy: 'cross-origin' }, crossOriginEmbedderPolicy: false }));

  const metrics = createMetrics({ ops: storage.ops });
  const inFlight = trackInFlight();
  app.use(inFlight.middleware);
  app.use(metrics.ackTimer);

  // Redis (when REDIS_URL is set) makes rate limits and web chat fan-out hold across instances.
  const coordination = await openCoordination(config, {
    onError: (err) => {
      metrics.redisError();
      logger.warn({ err }, 'redis');
    },
  });

  const core = new ConversationCore({
    answerer: runtime.answerer,
    storage,
    logger: logger.child({ module: 'core' }),
    config: {
      rateLimitPerMinute: config.LOA_RATE_LIMIT_PER_MINUTE,
      agencyName: config.LOA_AGENCY_NAME,
      concurrency: config.LOA_PIPELINE_CONCURRENCY,
      loopGuard: { targetDelayMs: config.LOA_PIPELINE_MAX_LOOP_DELAY_MS },
      send: { concurrency: config.LOA_SEND_CONCURRENCY, timeoutMs: config.LOA_SEND_TIMEOUT_MS },
      // Swept sends (announcements, retries) at each channel's pace: Telegram about 30/s.
      sweepRatePerSecond: DEFAULT_PACE_PER_SECOND,
      delivery: { maxAgeMs: config.LOA_DELIVERY_MAX_AGE_HOURS * 3_600_000, onUnknown: config.LOA_UNKNOWN_OUTCOME },
      durability: { leaseMs: config.LOA_WORK_LEASE_S * 1000, retentionMs: config.LOA_RETENTION_DAYS * 86_400_000, personalDataRetentionMs: config.LOA_PERSONAL_DATA_RETENTION_DAYS * 86_400_000 },
      escalationCaps: { perCitizen: config.LOA_ESCALATIONS_PER_CITIZEN_PER_HOUR, perOrigin: config.LOA_ESCALATIONS_PER_IP_PER_HOUR },
    },
    rateLimiter: coordination.rateLimiter({ points: config.LOA_RATE_LIMIT_PER_MINUTE, duration: 60, keyPrefix: 'citizen' }),
    escalationLimiter: (o) => coordination.rateLimiter(o),
    proactive: storage.proactive,
    consultations: storage.consultations,
  });

  metrics.observe(core.events);
  app.use(
    healthRouter({
      ops: storage.ops,
      pingRedis: () => coordination.ping(),
      redisBackend: coordination.backend,
      channels: () => channels,
      dataDir: config.dataDir,
      revision: () => runtime.retriever().revision,
      isDraining: () => inFlight.draining,
      checkTimeoutMs: config.LOA_READY_CHECK_TIMEOUT_MS,
      maxBacklogAgeS: config.LOA_READY_MAX_BACKLOG_S,
      minFreeBytes: config.LOA_READY_MIN_FREE_MB * 1e6,
    }),
  );
  // On the public port only behind a bearer token; LOA_METRICS_PORT serves it apart, unauthenticated.
  if (config.LOA_METRICS_TOKEN && config.LOA_METRICS_PORT === undefined) app.get('/metrics', metricsHandler(metrics.registry, config.LOA_METRICS_TOKEN));
  const security = securityTxt({ contact: config.LOA_SECURITY_CONTACT, publicUrl: config.LOA_PUBLIC_URL });
  if (security) app.get('/.well-known/security.txt', security);
  // The public JSON API, declared once (http/define-route.ts): its document at /api/openapi.json.
  const publicRoutes = [askRoute(runtime.answerer, { limiter: coordination.rateLimiter({ keyPrefix: 'ask', points: 120, duration: 60 }) })];
  const publicApi = buildDocument({
    title: 'Loa public API',
    version: '0.1.0',
    description: 'Questions answered from the official documents, with citations. Errors are `{ "error": { "code", "message" } }`.',
    serverUrl: '/',
    paths: pathsOf(publicRoutes),
  });
  app.get('/api/openapi.json', (_req, res) => void res.set('Cache-Control', 'no-cache').json(publicApi));
  app.use(mountRoutes(publicRoutes));

  // The public consultation pages (/gop-y/<slug>) and their API, on limiters of their own.
  app.use(
    consultationPageRouter({
      service: new ConsultationService({ store: storage.consultations, clock: () => new Date(), send: (r, m) => core.sendToUser(r, m), publicUrl: config.LOA_PUBLIC_URL }),
      limiters: {
        soft: coordination.rateLimiter({ keyPrefix: 'gopy-soft', points: 5, duration: 600 }),
        hard: coordination.rateLimiter({ keyPrefix: 'gopy-hard', points: 60, duration: 3600 }),
        reads: coordination.rateLimiter({ keyPrefix: 'gopy-read', points: 300, duration: 60 }),
      },
      challengeKey: await serverKey(storage.secrets, 'consultation.challenge_key'),
      secureCookie: (req) => req.secure || (config.LOA_PUBLIC_URL?.startsWith('https:') ?? false),
    }),
  );

  const ctx: ChannelSetupContext = {
    app,
    config,
    logger,
    receiver: core,
    secrets: storage.secrets,
    loopbackOnly: LOOPBACK.has(config.HOST),
    metrics: metrics.channel,
    // Redis when configured, else the database's advisory locks (in-process with SQLite).
    lock: coordination.lock ?? storage.locks,
  };
  const channels: Record<string, ChannelHandle> = {};
  channels.webchat = setupWebchat({ ...ctx, logger: logger.child({ channel: 'webchat' }) }, {
    store: storage.webchat,
    hub: coordination.webchatHub,
    rateLimiter: (o) => coordination.rateLimiter(o),
    // Zalo's domain verification by meta tag checks the site's root page.
    ...(config.ZALO_SITE_VERIFICATION ? { demoPageMeta: [{ name: ZALO_SITE_VERIFICATION_META, content: config.ZALO_SITE_VERIFICATION }] } : {}),
  });
  const optional: [string, (c: ChannelSetupContext) => ChannelHandle | undefined][] = [
    ['zalo', setupZalo],
    ['telegram', setupTelegram],
    ['botframework', setupBotFramework],
  ];
  for (const [name, setup] of optional) {
    const handle = setup({ ...ctx, logger: logger.child({ channel: name }) });
    if (handle) channels[name] = handle;
  }
  for (const handle of Object.values(channels)) core.registerSender(metrics.instrumentSender(handle.sender));

  let firstAdmin: { email: string; password: string } | undefined;
  const adminDeps = createAdminDeps(runtime, core);
  // Announcements: composed and approved in the console, queued to the outbox when due.
  const announcements = storage.proactive
    ? new AnnouncementService({ store: storage.proactive, outbox: storage.outbox, audit: storage.audit, clock: () => new Date(), agencyName: config.LOA_AGENCY_NAME, allowPaidZalo: config.LOA_ZALO_PAID_ANNOUNCEMENTS })
    : undefined;
  if (storage.proactive) trackDeliveries(core.events, storage.proactive);
  const proactiveModules = storage.proactive && announcements ? [announcementModule({ store: storage.proactive, service: announcements, audit: storage.audit })] : [];
  const admin = await setupAdmin(adminDeps, [faqModule(adminDeps), documentModule(adminDeps), reportModule(adminDeps), reviewModule(adminDeps), synonymModule(adminDeps), privacyModule(adminDeps), consultationModule(adminDeps), ...proactiveModules], {
    hooks: { saveAsFaq: (input) => createFaqFromEscalation(adminDeps, input) },
    rateLimiter: (o) => coordination.rateLimiter(o),
    liveEvents: coordination.liveEvents,
    // Only for an interactive start; shown once by `loa serve` in its start-up banner, apart from the JSON log lines.
    announceGeneratedAdmin: mayGenerateFirstAdmin(process.stdout, process.stderr) ? (email, password) => void (firstAdmin = { email, password }) : undefined,
  });
  app.use(admin.router);

  app.use('/api', notFound);
  app.use('/webhooks', notFound);
  app.use(errorHandler(logger));

  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.PORT, config.HOST, () => resolve(s));
    s.once('error', reject);
  });
  // headersTimeout must exceed keepAliveTimeout, or Node drops a reused connection mid-request.
  server.keepAliveTimeout = config.LOA_HTTP_KEEPALIVE_TIMEOUT_S * 1000;
  server.headersTimeout = server.keepAliveTimeout + 5_000;
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${port}`;
  const metricsServer = config.LOA_METRICS_PORT === undefined ? undefined : await listenMetrics(metrics, config.LOA_METRICS_HOST, config.LOA_METRICS_PORT);

  await core.start();
  for (const handle of Object.values(channels)) await handle.start?.();

  // Another instance (or `loa ingest`) may change the knowledge store: follow it without a restart.
  // With PostgreSQL, LISTEN/NOTIFY tells at once and this poll is only the fallback for a lost notification.
  const pollS = config.LOA_KNOWLEDGE_POLL_S ?? (runtime.feed.crossInstance ? 300 : 30);
  const refresher = setInterval(() => {
    runtime.refreshKnowledge().catch((err: unknown) => logger.error({ err }, 'knowledge refresh failed'));
  }, pollS * 1000);
  refresher.unref();
  const announcer = setInterval(() => {
    announcements?.queueDue().then((ids) => { if (ids.length) void core.sweepNow(); }).catch((err: unknown) => logger.error({ err }, 'queueing announcements failed'));
  }, 5_000);
  announcer.unref();

  const drainHooks: Array<() => Promise<void> | void> = [];
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      clearInterval(refresher);
      clearInterval(announcer);
      await admin.close();
      for (const handle of Object.values(channels)) await handle.stop?.();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await core.stop();
      await coordination.close();
      if (metricsServer) {
        metricsServer.server.closeAllConnections();
        await new Promise<void>((resolve) => metricsServer.server.close(() => resolve()));
      }
      metrics.close();
    })());

  return {
    app,
    server,
    url,
    core,
    channels,
    admin,
    metrics,
    ...(metricsServer ? { metricsUrl: metricsServer.url } : {}),
    ...(firstAdmin ? { firstAdmin } : {}),
    inFlight: () => inFlight.count(),
    onDrain: (hook) => void drainHooks.push(hook),
    drain: async () => {
      if (inFlight.draining) return close();
      inFlight.startDraining();
      logger.info({ delayMs: config.LOA_DRAIN_DELAY_MS, inFlight: inFlight.count() }, 'draining: readiness is now 503');
      for (const hook of drainHooks) {
        try {
          await hook();
        } catch (err) {
          logger.error({ err }, 'draining: a drain hook failed');
        }
      }
      if (config.LOA_DRAIN_DELAY_MS > 0) await new Promise((r) => setTimeout(r, config.LOA_DRAIN_DELAY_MS));
      // No new connections; idle keep-alive ones are closed, busy ones finish their request.
      server.close();
      server.closeIdleConnections();
      const timedOut = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), config.LOA_DRAIN_TIMEOUT_S * 1000).unref());
      if ((await Promise.race([inFlight.idle(), timedOut])) === 'timeout') {
        logger.warn({ inFlight: inFlight.count() }, 'draining: requests still running at the deadline are cut');
      }
      logger.info('draining: requests finished, stopping');
      await close();
    },
    close,
  };
}

/** `GET /metrics` on a port of its own (LOA_METRICS_PORT), for a scraper on a private network. */
async function listenMetrics(metrics: LoaMetrics, host: string, port: number): Promise<{ server: Server; url: string }> {
  const app = express();
  app.disable('x-powered-by');
  app.get('/metrics', metricsHandler(metrics.registry, undefined));
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(port, host, () => resolve(s));
    s.once('error', reject);
  });
  const { port: bound } = server.address() as AddressInfo;
  return { server, url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}` };
}
