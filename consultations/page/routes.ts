import { sendError, sendValidationFailed } from '../../http/errors.ts';
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { z } from 'zod';
import { articleKeyOf } from '../draft.ts';
import { ConsultationError, type ConsultationService } from '../service.ts';
import { statusOf } from '../status.ts';
import { STANCES, type Consultation } from '../types.ts';
import { checkChallenge, newChallenge } from './challenge.ts';
import { consultationPage, listPage, messagePage, type FormState } from './render.ts';

/**
 * The public consultation page `/gop-y/<slug>` and its JSON API `/api/gop-y/<slug>`: no login
 * (a random visitor cookie lets a citizen change or withdraw their own comments), rate limited
 * per client address on limiters of their own, with a sum to solve once an address sends more
 * than a few comments in a short time.
 */

const ASSETS = fileURLToPath(new URL('./assets/', import.meta.url));
const VISITOR_COOKIE = 'loa_gopy';
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const commentBody = z.object({
  unit: z.string().trim().min(1).max(20),
  stance: z.enum(STANCES, { message: 'Hãy chọn đồng ý, không đồng ý hoặc ý kiến khác.' }),
  text: z.string().trim().min(3, 'Nội dung góp ý quá ngắn.').max(5000, 'Nội dung góp ý dài quá 5.000 ký tự.'),
  name: z.string().trim().max(200).optional(),
  organisation: z.string().trim().max(200).optional(),
  contact: z.string().trim().max(200).optional(),
  challengeToken: z.string().max(300).optional(),
  challengeAnswer: z.string().max(10).optional(),
});

export interface PageLimiters {
  /** Comments an address may send before it must solve a sum (e.g. 5 per 10 minutes). */
  soft: RateLimiterAbstract;
  /** Comments an address may send at all (e.g. 60 per hour): then 429. */
  hard: RateLimiterAbstract;
  /** Page and API reads per address (e.g. 300 per minute). */
  reads: RateLimiterAbstract;
}

export interface PageOptions {
  service: ConsultationService;
  limiters: PageLimiters;
  /** Signs challenges (the same on every instance). */
  challengeKey: Buffer;
  secureCookie: (req: Request) => boolean;
  clock?: () => Date;
}

async function allowed(limiter: RateLimiterAbstract, key: string): Promise<boolean> {
  try {
    await limiter.consume(key);
    return true;
  } catch {
    return false;
  }
}

function visitorOf(req: Request): string | undefined {
  const raw = req.headers.cookie ?? '';
  const m = new RegExp(`(?:^|;\\s*)${VISITOR_COOKIE}=([A-Za-z0-9_-]{16,64})`).exec(raw);
  return m?.[1];
}

export function consultationPageRouter(opts: PageOptions): Router {
  const { service, limiters } = opts;
  const store = service.store;
  const clock = opts.clock ?? (() => new Date());
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '32kb' });
  const json = express.json({ limit: '32kb' });
  const headers: RequestHandler = (_req, res, next) => {
    res.set({ 'Content-Security-Policy': CSP, 'X-Frame-Options': 'DENY', 'Referrer-Policy': 'no-referrer', 'Cache-Control': 'no-store' });
    next();
  };
  const reads: RequestHandler = async (req, res, next) => {
    if (await allowed(limiters.reads, req.ip ?? 'unknown')) return next();
    res.status(429).type('html').send(messagePage('Quá nhiều yêu cầu', 'Bạn đã mở trang quá nhiều lần. Vui lòng thử lại sau ít phút.'));
  };
  const ensureVisitor = (req: Request, res: Response): string => {
    const existing = visitorOf(req);
    if (existing) return existing;
    const id = randomBytes(16).toString('base64url');
    res.cookie(VISITOR_COOKIE, id, { httpOnly: true, sameSite: 'lax', secure: opts.secureCookie(req), maxAge: 180 * 86_400_000, path: '/' });
    return id;
  };

  const render = async (res: Response, c: Consultation, visitor: string | undefined, extra: { form?: FormState; recorded?: string; withdrawn?: boolean; status?: number } = {}) => {
    const now = clock();
    const draft = await service.current(c);
    const published = statusOf(c, now) === 'published';
    const byUnit = await store.countsByUnit(c.id);
    const counts = new Map<string, number>();
    for (const [key, n] of byUnit) {
      counts.set(key, (counts.get(key) ?? 0) + n);
      const a = articleKeyOf(key);
      if (a !== key) counts.set(a, (counts.get(a) ?? 0) + n);
    }
    const mine = visitor ? (await store.commentsOf(c.id, { channel: 'page', citizenId: visitor })).filter((x) => !x.withdrawn && !x.hidden) : [];
    const synthesis = published ? await service.synthesis(c.id) : undefined;
    res.status(extra.status ?? 200).type('html').send(consultationPage({ consultation: c, draft, mine, counts, now, synthesis, form: extra.form, recorded: extra.recorded, withdrawn: extra.withdrawn }));
  };

  /** Checks limits and the challenge; the error message (and a new challenge) when refused. */
  const gate = async (req: Request, body: z.infer<typeof commentBody>): Promise<{ ok: true } | { ok: false; status: number; message: string; challenge?: ReturnType<typeof newChallenge> }> => {
    const ip = req.ip ?? 'unknown';
    if (!(await allowed(limiters.hard, ip))) return { ok: false, status: 429, message: 'Bạn đã gửi quá nhiều góp ý trong một giờ. Vui lòng thử lại sau.' };
    if (await allowed(limiters.soft, ip)) return { ok: true };
    if (checkChallenge(opts.challengeKey, body.challengeToken, body.challengeAnswer, clock())) return { ok: true };
    const wrong = body.challengeAnswer !== undefined && body.challengeAnswer !== '';
    return { ok: false, status: 429, message: wrong ? 'Kết quả phép tính chưa đúng, vui lòng thử lại.' : 'Bạn gửi nhiều góp ý liên tiếp. Vui lòng trả lời câu hỏi dưới đây rồi gửi lại.', challenge: newChallenge(opts.challengeKey, clock()) };
  };

  router.use('/gop-y/assets', headers, express.static(ASSETS, { index: false, fallthrough: false, maxAge: '1h' }));

  router.get('/gop-y', headers, reads, async (_req, res) => {
    const now = clock();
    const items = (await store.list()).filter((c) => statusOf(c, now) !== 'upcoming').map((consultation) => ({ consultation, now }));
    res.type('html').send(listPage(items));
  });

  router.get('/gop-y/:slug', headers, reads, async (req, res) => {
    const c = await store.getBySlug(String(req.params.slug));
    if (!c || statusOf(c, clock()) === 'upcoming') return void res.status(404).type('html').send(messagePage('Không tìm thấy', 'Không có dự thảo nào đang lấy ý kiến ở địa chỉ này.'));
    const recorded = typeof req.query['da-ghi'] === 'string' ? req.query['da-ghi'] : undefined;
    await render(res, c, visitorOf(req), { recorded, withdrawn: req.query['da-rut'] === '1' });
  });

  router.post('/gop-y/:slug', headers, form, async (req, res) => {
    const c = await store.getBySlug(String(req.params.slug));
    if (!c) return void res.status(404).type('html').send(messagePage('Không tìm thấy', 'Không có dự thảo nào ở địa chỉ này.'));
    const raw = (req.body ?? {}) as Record<string, unknown>;
    const keep: FormState = {
      unitKey: typeof raw.unit === 'string' ? raw.unit : '',
      ...Object.fromEntries(['stance', 'text', 'name', 'organisation', 'contact'].filter((k) => typeof raw[k] === 'string').map((k) => [k, raw[k] as string])),
    };
    const parsed = commentBody.safeParse(Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== '')));
    if (!parsed.success) return render(res, c, visitorOf(req), { form: { ...keep, error: parsed.error.issues[0].message }, status: 400 });
    const verdict = await gate(req, parsed.data);
    if (!verdict.ok) return render(res, c, visitorOf(req), { form: { ...keep, error: verdict.message, challenge: verdict.challenge }, status: verdict.status });
    const visitor = ensureVisitor(req, res);
    try {
      const b = parsed.data;
      await service.comment({ consultationId: c.id, unitKey: b.unit, channel: 'page', citizenId: visitor, stance: b.stance, text: b.text, name: c.asks.name ? b.name : undefined, organisation: c.asks.organisation ? b.organisation : undefined, contact: c.asks.contact ? b.contact : undefined });
    } catch (err) {
      if (err instanceof ConsultationError) return render(res, c, visitor, { form: { ...keep, error: err.message }, status: err.code === 'closed' ? 409 : 422 });
      throw err;
    }
    res.redirect(303, `/gop-y/${c.slug}?da-ghi=${encodeURIComponent(parsed.data.unit)}#recorded`);
  });

  router.post('/gop-y/:slug/rut/:commentId', headers, async (req, res) => {
    const c = await store.getBySlug(String(req.params.slug));
    const visitor = visitorOf(req);
    if (!c || !visitor) return void res.status(404).type('html').send(messagePage('Không tìm thấy', 'Không tìm thấy góp ý này.'));
    try {
      await service.withdraw(String(req.params.commentId), { channel: 'page', citizenId: visitor });
    } catch (err) {
      if (err instanceof ConsultationError) return void res.status(409).type('html').send(messagePage('Không rút được góp ý', err.message));
      throw err;
    }
    res.redirect(303, `/gop-y/${c.slug}?da-rut=1#recorded`);
  });

  // The public JSON API: the same rules, its own answers.
  router.get('/api/gop-y/:slug', reads, async (req, res) => {
    const c = await store.getBySlug(String(req.params.slug));
    if (!c || statusOf(c, clock()) === 'upcoming') return void sendError(res, 404, 'not_found', 'Không có dự thảo này.');
    const draft = await service.current(c);
    const status = statusOf(c, clock());
    res.json({
      consultation: { slug: c.slug, title: c.title, summary: c.summary, scope: c.scope, questions: c.questions, asks: c.asks, opensAt: c.opensAt, closesAt: c.closesAt, status },
      draft: { version: draft.version, title: draft.title, units: draft.units.map(({ key, kind, parentKey, label, heading, text }) => ({ key, kind, parentKey, label, heading, text })) },
      ...(status === 'published' ? { synthesis: await service.synthesis(c.id) } : {}),
    });
  });

  router.post('/api/gop-y/:slug/comments', json, async (req, res) => {
    const c = await store.getBySlug(String(req.params.slug));
    if (!c) return void sendError(res, 404, 'not_found', 'Không có dự thảo này.');
    const parsed = commentBody.safeParse(req.body ?? {});
    if (!parsed.success) return void sendValidationFailed(res, parsed.error, undefined, parsed.error.issues[0].message);
    const verdict = await gate(req, parsed.data);
    if (!verdict.ok) return void sendError(res, verdict.status, verdict.challenge ? 'challenge_required' : 'rate_limited', verdict.message, verdict.challenge ? { challenge: verdict.challenge } : {});
    const visitor = ensureVisitor(req, res);
    try {
      const b = parsed.data;
      const saved = await service.comment({ consultationId: c.id, unitKey: b.unit, channel: 'page', citizenId: visitor, stance: b.stance, text: b.text, name: c.asks.name ? b.name : undefined, organisation: c.asks.organisation ? b.organisation : undefined, contact: c.asks.contact ? b.contact : undefined });
      res.status(saved.created ? 201 : 200).json({ comment: { id: saved.comment.id, unit: saved.comment.unitKey, version: saved.comment.version, stance: saved.comment.stance, text: saved.comment.text } });
    } catch (err) {
      if (err instanceof ConsultationError) return void sendError(res, err.code === 'closed' ? 409 : 422, err.code, err.message);
      throw err;
    }
  });

  return router;
}
