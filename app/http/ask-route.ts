import express, { type Router } from 'express';
import { z } from 'zod';
import { RateLimiterMemory, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Answerer } from '../../retrieval/types.ts';
import { HttpError } from './errors.ts';

const askBody = z.object({
  question: z.string().max(4000),
  history: z.array(z.string().max(4000)).max(10).optional(),
});

/**
 * `POST /api/ask` `{question, history?}` → the same JSON as `loa ask --json`. Rate limited per
 * client address, because every call runs retrieval.
 */
export function askRouter(answerer: Answerer, opts: { perMinute?: number; limiter?: RateLimiterAbstract } = {}): Router {
  // A shared (Redis) limiter holds across instances; the in-memory one per instance.
  const limiter = opts.limiter ?? new RateLimiterMemory({ points: opts.perMinute ?? 120, duration: 60 });
  const router = express.Router();
  router.post('/api/ask', express.json({ limit: '32kb' }), async (req, res) => {
    try {
      await limiter.consume(req.ip ?? 'unknown');
    } catch {
      throw new HttpError(429, 'Too many requests, try again in a minute', 'rate_limited');
    }
    const parsed = askBody.safeParse(req.body);
    if (!parsed.success) {
      throw new HttpError(400, parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '), 'invalid_request');
    }
    res.json(await answerer.ask(parsed.data.question, { history: parsed.data.history }));
  });
  return router;
}
