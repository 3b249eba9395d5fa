import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { z } from 'zod';
import type { Logger } from 'pino';
import { jsonErrorHandler, notFound, sendError, sendValidationFailed } from '../../http/errors.ts';
import type { MessageReceiver } from '../core/types.ts';
import type { WebchatStore } from './ports.ts';
import type { WebchatHub } from './ports.ts';
import { webchatCors } from './cors.ts';
import { compressedStatic } from './compressed-static.ts';
import { streamSessionEvents, type EventStreamOptions } from './event-stream.ts';
import { sessionIdSchema, toIncomingMessage, webchatMessageBodySchema, type WebchatMessageBody } from './incoming-message.ts';
import { authenticateSession, bearerToken, hashToken, newSessionId, newSessionToken } from './session-auth.ts';

export interface WebchatRouteDeps {
  store: WebchatStore;
  hub: WebchatHub;
  receiver: MessageReceiver;
  logger: Logger;
  allowedOrigins: '*' | string[];
  /** Keyed by client IP: limits session creation. */
  sessionLimiter: RateLimiterAbstract;
  /** Keyed by session id: keeps one browser from flooding the transcript. */
  messageLimiter: RateLimiterAbstract;
  stream: EventStreamOptions;
  maxStreamsPerSession: number;
  /** Open event streams, so shutdown can end them. */
  openStreams: Set<Response>;
  publicDir: string;
}

/**
 * The demo page's policy: everything from Loa's own origin, nothing inline, nothing else.
 * The widget loads its stylesheet from its own origin, so it works under this policy.
 */
export const DEMO_PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const afterSchema = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0);
const eventsQuerySchema = z.object({ sessionId: sessionIdSchema, token: z.string().min(1).max(200), after: afterSchema });
const listQuerySchema = z.object({
  sessionId: sessionIdSchema,
  after: afterSchema,
  limit: z.coerce.number().int().min(1).max(500).default(200),
});

/** What the citizen's own transcript shows for a button press (the 'start' on opening shows nothing). */
const COMMAND_ECHO: Record<string, string | undefined> = { human: 'Gặp cán bộ', help: 'Hướng dẫn' };

function echoText(body: WebchatMessageBody): string | undefined {
  if ('text' in body) return body.text;
  if ('command' in body) return COMMAND_ECHO[body.command];
  if ('choice' in body) return body.choice.label;
  return undefined;
}

function unauthorized(res: Response): void {
  sendError(res, 401, 'unauthorized', 'Phiên trò chuyện không hợp lệ hoặc đã hết hạn.');
}

function badRequest(res: Response, error: z.ZodError): void {
  sendValidationFailed(res, error);
}

/** Consumes one point; answers 429 with Retry-After and returns false when the limit is reached. */
async function withinLimit(limiter: RateLimiterAbstract, key: string, res: Response): Promise<boolean> {
  try {
    await limiter.consume(key);
    return true;
  } catch (err) {
    if (!(err instanceof RateLimiterRes)) throw err;
    res.set('Retry-After', String(Math.max(1, Math.ceil(err.msBeforeNext / 1000))));
    sendError(res, 429, 'rate_limited', 'Bạn thao tác quá nhanh, vui lòng thử lại sau ít phút.');
    return false;
  }
}

/** The last seq a reconnecting EventSource saw, from its `Last-Event-ID` header. */
function lastEventId(req: Request): number {
  const n = Number(req.get('last-event-id'));
  return Number.isSafeInteger(n) && n > 0 ? n : 0;
}


/**
 * The web chat's HTTP surface under `/webchat`: the JSON + SSE API (`/webchat/api/…`) and
 * the widget's static files (`/webchat/loa-widget.js`, `.css`).
 */
export function webchatRouter(deps: WebchatRouteDeps): Router {
  const { store, hub, receiver, logger } = deps;
  const router = express.Router();
  const streamsPerSession = new Map<string, number>();

  router.use('/api', (_req, res, next) => {
    res.set({ 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
    next();
  });
  router.use('/api', webchatCors(deps.allowedOrigins));

  router.post('/api/sessions', async (req, res) => {
    if (!(await withinLimit(deps.sessionLimiter, req.ip ?? 'unknown', res))) return;
    const sessionId = newSessionId();
    const token = newSessionToken();
    await store.createSession({ id: sessionId, tokenHash: hashToken(token), createdAt: new Date().toISOString() });
    res.status(201).json({ sessionId, token });
  });

  router.post('/api/messages', express.json({ limit: '16kb' }), async (req, res) => {
    const parsed = webchatMessageBodySchema.safeParse(req.body);
    if (!parsed.success) return badRequest(res, parsed.error);
    const body = parsed.data;
    if (!(await authenticateSession(store, body.sessionId, bearerToken(req.get('authorization'))))) return unauthorized(res);
    if (!(await withinLimit(deps.messageLimiter, body.sessionId, res))) return;

    // The citizen's own words go into the transcript first, so a reload shows them.
    const text = echoText(body);
    let seq: number | undefined;
    if (text !== undefined) {
      const { message, created } = await store.appendMessage(body.sessionId, {
        kind: 'user',
        text,
        clientMessageId: body.clientMessageId,
      });
      seq = message.seq;
      if (created) hub.publish(body.sessionId, message);
    }
    // The core deduplicates a retried clientMessageId by channelMessageId.
    const { duplicate } = await receiver.receive(toIncomingMessage(body, new Date(), req.ip));
    res.status(202).json({ status: 'accepted', duplicate, ...(seq !== undefined ? { seq } : {}) });
  });

  router.get('/api/messages', async (req, res) => {
    const parsed = listQuerySchema.safeParse(req.query);
    if (!parsed.success) return badRequest(res, parsed.error);
    const { sessionId, after, limit } = parsed.data;
    if (!(await authenticateSession(store, sessionId, bearerToken(req.get('authorization'))))) return unauthorized(res);
    const messages = await store.listMessages(sessionId, after, limit);
    res.json({ messages, hasMore: messages.length === limit });
  });

  // EventSource cannot send headers, hence the token in the query string.
  router.get('/api/events', async (req, res) => {
    const parsed = eventsQuerySchema.safeParse(req.query);
    if (!parsed.success) return badRequest(res, parsed.error);
    const { sessionId, token } = parsed.data;
    if (!(await authenticateSession(store, sessionId, token))) return unauthorized(res);
    const open = streamsPerSession.get(sessionId) ?? 0;
    if (open >= deps.maxStreamsPerSession) {
      sendError(res, 429, 'too_many_streams', 'Quá nhiều kết nối cho một phiên trò chuyện.');
      return;
    }
    streamsPerSession.set(sessionId, open + 1);
    deps.openStreams.add(res);
    res.on('close', () => {
      deps.openStreams.delete(res);
      const left = (streamsPerSession.get(sessionId) ?? 1) - 1;
      if (left > 0) streamsPerSession.set(sessionId, left);
      else streamsPerSession.delete(sessionId);
    });
    const after = Math.max(parsed.data.after, lastEventId(req));
    await streamSessionEvents(res, { store, hub }, sessionId, after, deps.stream);
  });

  router.use('/api', notFound);
  router.use('/api', jsonErrorHandler({ logger, failure: 'webchat API error' }));

  const staticHeaders = (res: Response, path: string): void => {
    // The embed URL never changes, so cache for an hour and revalidate with the ETag.
    res.setHeader('Cache-Control', path.endsWith('.html') ? 'no-cache' : 'public, max-age=3600');
    // Portal pages on other origins load the widget: a same-origin CORP would block it.
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (path.endsWith('.html')) res.setHeader('Content-Security-Policy', DEMO_PAGE_CSP);
  };
  router.use(compressedStatic(deps.publicDir, staticHeaders));
  router.use(express.static(deps.publicDir, { index: false, setHeaders: staticHeaders }));
  return router;
}

/** `GET /`: the demo page, under a strict Content-Security-Policy, with extra `<meta>` tags if given. */
export function demoPageHandler(publicDir: string, meta: Array<{ name: string; content: string }> = []): RequestHandler {
  const file = join(publicDir, 'index.html');
  const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const tags = meta.map((m) => `  <meta name="${escape(m.name)}" content="${escape(m.content)}">\n`).join('');
  const page = tags ? readFileSync(file, 'utf8').replace('</head>', `${tags}</head>`) : undefined;
  return (_req, res, next) => {
    res.set({
      'Content-Security-Policy': DEMO_PAGE_CSP,
      'Cache-Control': 'no-cache',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    });
    if (page) res.type('html').send(page);
    else res.sendFile(file, (err) => err && next(err));
  };
}
