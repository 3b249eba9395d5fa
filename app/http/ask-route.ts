import type { Router } from 'express';
import { z } from 'zod';
import { RateLimiterMemory, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { ABSTAIN_REASONS, OUTCOMES } from '../../domain/answer.ts';
import { citationSchema } from '../../domain/citation.ts';
import { type Answerer } from '../../retrieval/types.ts';
import { defineRoute, mountRoutes, type Route } from '../../http/define-route.ts';
import { ApiError } from '../../http/errors.ts';

const askBody = z.object({
  question: z.string().max(4000),
  history: z.array(z.string().max(4000)).max(10).optional().describe('Earlier questions of the conversation, newest last'),
});

/** `AskResult` (retrieval/types.ts): the JSON of `loa ask --json` and `POST /api/ask`. */
export const askResultSchema = z.object({
  outcome: z.enum(OUTCOMES),
  answer: z.string(),
  more: z.string().optional(),
  options: z.array(z.object({ id: z.string(), label: z.string() })).optional(),
  citations: z.array(citationSchema),
  confidence: z.number(),
  abstained: z.boolean(),
  reason: z.enum(ABSTAIN_REASONS).optional(),
  candidates: z.array(citationSchema).optional(),
});

/**
 * `POST /api/ask` `{question, history?}` → the same JSON as `loa ask --json`. Rate limited per
 * client address, because every call runs retrieval.
 */
export function askRoute(answerer: Answerer, opts: { perMinute?: number; limiter?: RateLimiterAbstract } = {}): Route {
  // A shared (Redis) limiter holds across instances; the in-memory one per instance.
  const limiter = opts.limiter ?? new RateLimiterMemory({ points: opts.perMinute ?? 120, duration: 60 });
  return defineRoute({
    method: 'post',
    path: '/api/ask',
    summary: 'Ask a question',
    description: 'Answers from the official documents, with citations, or says why not (the same JSON as `loa ask --json`). Rate limited per client address.',
    tags: ['ask'],
    body: askBody,
    bodyLimit: '32kb',
    responses: { 200: { description: 'The decision and the reply', schema: askResultSchema } },
    errors: { 429: ['rate_limited'] },
    // The limit is taken before the body is read: a flood costs no parsing.
    before: [
      async (req, _res, next) => {
        try {
          await limiter.consume(req.ip ?? 'unknown');
        } catch {
          return next(ApiError.of('rate_limited', 'Too many requests, try again in a minute'));
        }
        next();
      },
    ],
    handler: async ({ body }) => ({ status: 200, body: await answerer.ask(body.question, { history: body.history }) }),
  });
}

/** The ask API on a router of its own. */
export function askRouter(answerer: Answerer, opts: { perMinute?: number; limiter?: RateLimiterAbstract } = {}): Router {
  return mountRoutes([askRoute(answerer, opts)]);
}
