import type { Response } from 'express';
import { fileURLToPath } from 'node:url';
import { RateLimiterMemory, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { ChannelHandle, ChannelSetupContext } from '../core/types.ts';
import type { WebchatHub, WebchatStore } from './ports.ts';
import { parseAllowedOrigins } from './cors.ts';
import { createMemoryHub } from '../../storage/memory-webchat-hub.ts';
import { demoPageHandler, webchatRouter } from './routes.ts';
import { createWebchatSender } from './send-message.ts';

export interface WebchatOptions {
  /** Sessions and transcripts (`createSqliteWebchatStore(db)` by default). */
  store: WebchatStore;
  /** Fan-out to open event streams; in-process unless given (e.g. Redis for several instances). */
  hub?: WebchatHub;
  /** Serve the demo page at `/` (default true). */
  demoPage?: boolean;
  /** Meta tags added to the demo page's head (e.g. Zalo's domain verification); trusted markup from configuration. */
  demoPageMeta?: Array<{ name: string; content: string }>;
  /** Builds the session and message limiters; in process memory unless given (e.g. Redis for several instances). */
  rateLimiter?: (opts: { keyPrefix: string; points: number; duration: number }) => RateLimiterAbstract;
  /** Per session; default 30. */
  messagesPerMinute?: number;
  /** Default 25 000 ms. */
  heartbeatMs?: number;
  /** Default 5. */
  maxStreamsPerSession?: number;
}

/** Where the widget, its stylesheet and the demo page live. */
export const WEBCHAT_PUBLIC_DIR = fileURLToPath(new URL('./public/', import.meta.url));

/**
 * Mounts the web chat (always enabled): the API and widget under `/webchat`, and the demo
 * page at `/`. Returns the sender the core uses to answer, possibly hours later.
 *
 * @example
 * const db = openSqlite(config.sqliteFile);
 * const webchat = setupWebchat(ctx, { store: createSqliteWebchatStore(db) });
 * await webchat.sender.send(recipient, { kind: 'answer', text: '…', answerId: 'a1' });
 */
export function setupWebchat(ctx: ChannelSetupContext, options: WebchatOptions): ChannelHandle {
  const store = options.store;
  const limiter = options.rateLimiter ?? ((o: { keyPrefix: string; points: number; duration: number }) => new RateLimiterMemory(o));
  const hub = options.hub ?? createMemoryHub();
  const openStreams = new Set<Response>();

  ctx.app.use(
    '/webchat',
    webchatRouter({
      store,
      hub,
      receiver: ctx.receiver,
      logger: ctx.logger,
      allowedOrigins: parseAllowedOrigins(ctx.config.LOA_WEBCHAT_ORIGINS),
      sessionLimiter: limiter({ keyPrefix: 'webchat-session', points: ctx.config.LOA_WEBCHAT_SESSIONS_PER_HOUR, duration: 3600 }),
      messageLimiter: limiter({ keyPrefix: 'webchat-message', points: options.messagesPerMinute ?? 30, duration: 60 }),
      stream: { heartbeatMs: options.heartbeatMs ?? 25_000, retryMs: 3000, pageSize: 200 },
      maxStreamsPerSession: options.maxStreamsPerSession ?? 5,
      openStreams,
      publicDir: WEBCHAT_PUBLIC_DIR,
    }),
  );
  if (options.demoPage !== false) ctx.app.get('/', demoPageHandler(WEBCHAT_PUBLIC_DIR, options.demoPageMeta));

  return {
    sender: createWebchatSender(store, hub),
    async stop() {
      // Open streams would otherwise keep the HTTP server from closing.
      for (const res of openStreams) res.end();
      openStreams.clear();
    },
  };
}

