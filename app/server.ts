import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Runtime } from './runtime.ts';
import { openCoordination } from '../storage/index.ts';
import { askRouter } from './http/ask-route.ts';
import { errorHandler, notFound } from './http/errors.ts';
import { warnForwardedWithoutTrust } from './http/forwarded-warning.ts';
import { firstAdminBanner } from './first-admin-banner.ts';
import { securityTxt } from './http/security-txt.ts';
import { ConversationCore } from '../bots/core/conversation-core.ts';
import type { ChannelHandle, ChannelSetupContext } from '../bots/core/types.ts';
import { setupWebchat } from '../bots/webchat/index.ts';
import { setupZalo } from '../bots/zalo/index.ts';
import { setupTelegram } from '../bots/telegram/index.ts';
import { setupBotFramework } from '../bots/botframework/index.ts';
import { createAdminDeps, setupAdmin, type AdminHandle } from '../admin/index.ts';
import { createFaqFromEscalation, faqModule } from '../admin/faqs/index.ts';
import { documentModule } from '../admin/documents/index.ts';
import { reportModule } from '../admin/reports/index.ts';

/** A running Loa server. */
export interface LoaServer {
  app: Express;
  server: Server;
  url: string;
  core: ConversationCore;
  channels: Record<string, ChannelHandle>;
  admin: AdminHandle;
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

  // Redis (when REDIS_URL is set) makes rate limits and web chat fan-out hold across instances.
  const coordination = await openCoordination(config, { onError: (err) => logger.warn({ err }, 'redis') });
  const core = new ConversationCore({
    answerer: runtime.answerer,
    storage,
    logger: logger.child({ module: 'core' }),
    config: {
      rateLimitPerMinute: config.LOA_RATE_LIMIT_PER_MINUTE,
      agencyName: config.LOA_AGENCY_NAME,
      concurrency: config.LOA_PIPELINE_CONCURRENCY,
      escalationCaps: { perCitizen: config.LOA_ESCALATIONS_PER_CITIZEN_PER_HOUR, perOrigin: config.LOA_ESCALATIONS_PER_IP_PER_HOUR },
    },
    rateLimiter: coordination.rateLimiter({ points: config.LOA_RATE_LIMIT_PER_MINUTE, duration: 60, keyPrefix: 'citizen' }),
    escalationLimiter: (o) => coordination.rateLimiter(o),
  });

  app.get('/healthz', async (_req, res) => {
    const docs = await storage.knowledge.listDocuments();
    res.json({
      status: 'ok',
      documents: docs.length,
      units: docs.reduce((n, d) => n + d.unitCount, 0),
      revision: runtime.retriever().revision,
      channels: Object.keys(channels),
    });
  });
  const security = securityTxt({ contact: config.LOA_SECURITY_CONTACT, publicUrl: config.LOA_PUBLIC_URL });
  if (security) app.get('/.well-known/security.txt', security);
  app.use(askRouter(runtime.answerer, { limiter: coordination.rateLimiter({ keyPrefix: 'ask', points: 120, duration: 60 }) }));

  const ctx: ChannelSetupContext = {
    app,
    config,
    logger,
    receiver: core,
    secrets: storage.secrets,
    loopbackOnly: LOOPBACK.has(config.HOST),
  };
  const channels: Record<string, ChannelHandle> = {};
  channels.webchat = setupWebchat({ ...ctx, logger: logger.child({ channel: 'webchat' }) }, {
    store: storage.webchat,
    hub: coordination.webchatHub,
    rateLimiter: (o) => coordination.rateLimiter(o),
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
  for (const handle of Object.values(channels)) core.registerSender(handle.sender);

  const adminDeps = createAdminDeps(runtime, core);
  const admin = await setupAdmin(adminDeps, [faqModule(adminDeps), documentModule(adminDeps), reportModule(adminDeps)], {
    hooks: { saveAsFaq: (input) => createFaqFromEscalation(adminDeps, input) },
    rateLimiter: (o) => coordination.rateLimiter(o),
    announceGeneratedAdmin: firstAdminBanner(process.stdout),
  });
  app.use(admin.router);

  app.use('/api', notFound);
  app.use('/webhooks', notFound);
  app.use(errorHandler(logger));

  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.PORT, config.HOST, () => resolve(s));
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${port}`;

  await core.start();
  for (const handle of Object.values(channels)) await handle.start?.();

  // Another instance (or `loa ingest`) may change the knowledge store: follow it without a restart.
  const refresher = setInterval(() => {
    runtime.refreshKnowledge().catch((err: unknown) => logger.error({ err }, 'knowledge refresh failed'));
  }, 30_000);
  refresher.unref();

  return {
    app,
    server,
    url,
    core,
    channels,
    admin,
    close: async () => {
      clearInterval(refresher);
      await admin.close();
      for (const handle of Object.values(channels)) await handle.stop?.();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await core.stop();
      await coordination.close();
    },
  };
}
