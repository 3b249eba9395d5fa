import express, { type Request, type RequestHandler, type Router } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AdminRuntime } from './ports.ts';
import type { ConversationCore } from '../bots/core/conversation-core.ts';
import { auditModule } from './audit/routes.ts';
import { deliveriesModule } from './deliveries/routes.ts';
import { createAuditLog } from './audit/audit-log.ts';
import { ensureFirstAdmin } from './auth/bootstrap.ts';
import { LoginThrottle, type RateLimiterFactory } from './auth/login-throttle.ts';
import { KnownDevices } from './auth/known-device.ts';
import { csrfProtection, loadSession } from './auth/middleware.ts';
import { totpRequiredFor } from './auth/totp-policy.ts';
import { serverKey } from './auth/server-keys.ts';
import { authModule } from './auth/routes.ts';
import { StaffSessions } from './auth/sessions.ts';
import { LiveEvents } from './escalations/live-events.ts';
import { startTelegramNotifier, type TelegramNotifier } from './escalations/notify-telegram.ts';
import { escalationsModule, type EscalationHooks } from './escalations/routes.ts';
import { InboxView } from './escalations/view.ts';
import { apiErrorHandler, apiNotFound, noStore } from './http.ts';
import { buildOpenApiDocument, type OpenApiDocument } from './openapi.ts';
import type { AdminDeps, AdminModule } from './types.ts';
import type { LiveEventBus } from '../storage/redis/live-events-bus.ts';
import { usersModule } from './users/routes.ts';

export { requireRole } from './auth/middleware.ts';
export type { SaveAsFaqInput, EscalationHooks } from './escalations/routes.ts';

/** Where the console's web UI lives (served at `/admin`). */
export const ADMIN_PUBLIC_DIR = fileURLToPath(new URL('./public/', import.meta.url));

/** Secret-store name of the key that signs known-device cookies. */
const DEVICE_KEY = 'console.device_key';

/** Base path of the console API. */
export const ADMIN_API_PATH = '/api/admin';

/**
 * The console page's policy: everything from Loa's own origin, no inline script or style,
 * no framing. The UI must load its scripts and styles from files.
 */
export const ADMIN_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; " +
  "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

export interface AdminOptions {
  /**
   * Interactive starts only (see app/first-admin-banner.ts): with no administrator and no
   * LOA_ADMIN_EMAIL, generate one and hand its one-time password to this callback (printed on
   * the operator's terminal).
   */
  announceGeneratedAdmin?: (email: string, password: string) => void;
  /** Hooks other modules provide, e.g. `saveAsFaq` from the FAQ module. */
  hooks?: EscalationHooks;
  /** Time source (tests). */
  clock?: () => Date;
  /** Live stream heartbeat; default 25 000 ms. */
  heartbeatMs?: number;
  /**
   * Login throttling limiters; in process memory by default. With several instances pass
   * the shared one, e.g. `(o) => coordination.rateLimiter(o)` (storage/redis/coordination.ts).
   */
  rateLimiter?: RateLimiterFactory;
  /** Live events across instances (`Coordination.liveEvents`, with Redis). */
  liveEvents?: LiveEventBus;
}

/** The mounted console. */
export interface AdminHandle {
  /** Mount at the root of the app, before any `/api` catch-all: serves `/api/admin/**` and `/admin/**`. */
  router: Router;
  openapi: OpenApiDocument;
  live: LiveEvents;
  /** Ends live streams, timers and the Telegram notifier. */
  close(): Promise<void>;
}

/** The deps every console module receives, built from the runtime and the running core. */
export function createAdminDeps(runtime: AdminRuntime, core: ConversationCore, clock: () => Date = () => new Date()): AdminDeps {
  return {
    config: runtime.config,
    logger: runtime.logger.child({ module: 'admin' }),
    runtime,
    core,
    audit: createAuditLog(runtime.storage.audit, runtime.logger.child({ module: 'audit' }), clock),
  };
}

/** Serves the web UI: static files, and `index.html` for client-side routes (paths without an extension). */
function uiRouter(): Router {
  const router = express.Router();
  const headers: RequestHandler = (_req, res, next) => {
    res.set({ 'Content-Security-Policy': ADMIN_CSP, 'X-Frame-Options': 'DENY', 'Referrer-Policy': 'no-referrer' });
    next();
  };
  const index = join(ADMIN_PUBLIC_DIR, 'index.html');
  const sendIndex: RequestHandler = (_req, res) => {
    if (!existsSync(index)) return void res.status(404).type('text/plain; charset=utf-8').send('Giao diện quản trị chưa được cài đặt.');
    res.set('Cache-Control', 'no-cache');
    res.sendFile(index);
  };
  const pathOf = (req: Request) => req.originalUrl.split('?')[0];
  // `/admin` → `/admin/`, so relative URLs in the page resolve under /admin/.
  router.get('/admin', (req, res, next) => {
    if (pathOf(req) !== '/admin') return next();
    const query = req.originalUrl.slice('/admin'.length);
    res.redirect(301, `/admin/${query}`);
  });
  router.use('/admin', headers, express.static(ADMIN_PUBLIC_DIR, { index: false, fallthrough: true }));
  router.get('/admin/', headers, sendIndex);
  router.get('/admin/*path', headers, (req, res, next) => {
    // A missing asset is a 404, not the page.
    if (/\.[A-Za-z0-9]+$/.test(pathOf(req))) return void res.status(404).type('text/plain; charset=utf-8').send('Not found');
    sendIndex(req, res, next);
  });
  return router;
}

/**
 * The spokesperson console: mounts sessions, CSRF protection, its own modules (auth, users,
 * audit, escalations + live events) and the given `modules` under `/api/admin`, the OpenAPI
 * document at `/api/admin/openapi.json`, and the web UI at `/admin`. Creates the first
 * administrator from `LOA_ADMIN_EMAIL` / `LOA_ADMIN_PASSWORD` when there is none.
 *
 * @example
 * const deps = createAdminDeps(runtime, core);
 * const admin = await setupAdmin(deps, [faqModule(deps)], { hooks: { saveAsFaq } });
 * app.use(admin.router); // before app.use('/api', notFound)
 */
export async function setupAdmin(deps: AdminDeps, modules: AdminModule[] = [], options: AdminOptions = {}): Promise<AdminHandle> {
  const { config, logger, runtime, core, audit } = deps;
  const { users, staffSessions, escalations, conversations } = runtime.storage;
  const clock = options.clock ?? (() => new Date());

  await ensureFirstAdmin(
    { users, audit, logger, clock },
    { email: config.LOA_ADMIN_EMAIL, password: config.LOA_ADMIN_PASSWORD, announceGenerated: options.announceGeneratedAdmin },
  );

  const sessions = new StaffSessions(
    staffSessions,
    users,
    { idleMs: config.LOA_SESSION_IDLE_HOURS * 3600_000, maxMs: config.LOA_SESSION_MAX_DAYS * 86_400_000 },
    clock,
  );
  const lockMs = config.LOA_LOGIN_LOCK_MINUTES * 60_000;
  const throttle = new LoginThrottle(
    { failuresPerIp: config.LOA_LOGIN_FAILURES_PER_IP, failuresPerSource: config.LOA_LOGIN_MAX_FAILURES, blockSeconds: Math.ceil(lockMs / 1000) },
    options.rateLimiter,
  );
  const devices = new KnownDevices(await serverKey(runtime.storage.secrets, DEVICE_KEY), clock);
  const live = new LiveEvents({
    events: core.events,
    sessions,
    decorate: (e) => new InboxView(conversations, clock()).item(e),
    logger,
    heartbeatMs: options.heartbeatMs,
    bus: options.liveEvents,
  });
  const httpsPublicUrl = config.LOA_PUBLIC_URL?.startsWith('https:') ?? false;

  const own: AdminModule[] = [
    authModule({
      users,
      recoveryCodes: runtime.storage.recoveryCodes,
      totpRequirement: config.LOA_REQUIRE_TOTP,
      sessions,
      throttle,
      audit,
      logger,
      devices,
      secureCookie: (req) => req.secure || httpsPublicUrl,
      clock,
      onSessionEnded: (idHash) => live.endSession(idHash),
    }),
    usersModule({ users, sessions, audit, clock }),
    auditModule(runtime.storage.audit),
    escalationsModule({ core, escalations, conversations, users, audit, logger, clock, live, hooks: options.hooks }),
    deliveriesModule({ outbox: runtime.storage.outbox, core, audit, clock }),
  ];
  const all = [...own, ...modules];
  const openapi = buildOpenApiDocument(all);

  const api = express.Router();
  api.use(noStore, loadSession(sessions, { totpRequired: (role) => totpRequiredFor(config.LOA_REQUIRE_TOTP, role) }), csrfProtection(['/login']));
  api.get('/openapi.json', (_req, res) => void res.json(openapi));
  for (const m of all) api.use(m.router);
  api.use(apiNotFound);
  api.use(apiErrorHandler(logger));

  const router = express.Router();
  router.use(ADMIN_API_PATH, api);
  router.use(uiRouter());

  const sweeper = setInterval(() => {
    sessions.sweep().catch((err: unknown) => logger.error({ err }, 'session sweep failed'));
  }, 3600_000);
  sweeper.unref();
  const notifier: TelegramNotifier | undefined = startTelegramNotifier(config, core.events, logger);

  return {
    router,
    openapi,
    live,
    async close() {
      clearInterval(sweeper);
      live.close();
      notifier?.stop();
      await notifier?.idle();
    },
  };
}
