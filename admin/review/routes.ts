import express from 'express';
import { z } from 'zod';
import { ANY_ROLE, requireRole } from '../auth/middleware.ts';
import { createFaqFromAnswer } from '../faqs/index.ts';
import { parseOr400, sendError } from '../http.ts';
import { errorSchema, operation } from '../openapi.ts';
import { currentUser, type AdminDeps, type AdminModule } from '../types.ts';
import { answerReviewSchema, reviewCountsSchema, reviewListSchema, reviewQuerySchema, reviewTurnParams } from './schemas.ts';

const NOT_FOUND = 'Không tìm thấy câu trả lời này trong danh sách cần xem lại.';

/**
 * The review queue: Loa's answers that got 👎 (with the reason) or were given under
 * LOA_REVIEW_CONFIDENCE. `GET /review/counts` (every role: numbers only), `GET /review`,
 * `POST /review/{turnId}/reviewed`, `POST /review/{turnId}/faq-draft` (admin, spokesperson:
 * these carry the citizens' words). Marking and drafting are audited.
 */
export function reviewModule(deps: AdminDeps): AdminModule {
  const { reviews } = deps.runtime.storage;
  const bar = { confidenceBelow: deps.config.LOA_REVIEW_CONFIDENCE };
  const router = express.Router();
  const editors = requireRole('admin', 'spokesperson');

  router.get('/review/counts', requireRole(...ANY_ROLE), async (_req, res) => {
    res.json({ ...(await reviews.counts(bar)), ...bar });
  });

  router.get('/review', editors, async (req, res) => {
    const query = parseOr400(reviewQuerySchema, req.query, res);
    if (!query) return;
    const page = await reviews.list({ ...bar, status: query.status, cause: query.cause }, { limit: query.limit, offset: query.offset });
    res.json({ ...page, ...bar });
  });

  router.post('/review/:turnId/reviewed', editors, async (req, res) => {
    const params = parseOr400(reviewTurnParams, req.params, res);
    if (!params) return;
    if (!(await reviews.get(params.turnId, bar))) return sendError(res, 404, 'not_found', NOT_FOUND);
    const me = currentUser(res);
    const { review, created } = await reviews.markReviewed(params.turnId, me.email, new Date());
    if (created) await deps.audit.record({ actor: me.email, action: 'review.mark', target: `turn:${params.turnId}` });
    res.json({ review, created });
  });

  router.post('/review/:turnId/faq-draft', editors, async (req, res) => {
    const params = parseOr400(reviewTurnParams, req.params, res);
    if (!params) return;
    const item = await reviews.get(params.turnId, bar);
    if (!item) return sendError(res, 404, 'not_found', NOT_FOUND);
    const me = currentUser(res);
    // One draft per answer, even when two officers press at once.
    if (!(await reviews.claimFaqDraft(item.turnId, me.email, new Date()))) {
      const faqId = (await reviews.get(item.turnId, bar))?.review?.faqId;
      if (!faqId) return sendError(res, 409, 'in_progress', 'Một cán bộ khác đang tạo bản nháp từ câu trả lời này.');
      return void res.json({ faqId, created: false });
    }
    try {
      const made = await createFaqFromAnswer(deps, { question: item.question ?? '', answer: item.answer ?? '', citations: item.citations, officer: me.email, turnId: item.turnId });
      if ('invalid' in made) {
        await reviews.releaseFaqDraft(item.turnId);
        return sendError(res, 422, 'not_an_faq', `Không tạo được bản nháp: ${made.invalid}`);
      }
      await reviews.setFaqDraft(item.turnId, made.faqId);
      await deps.audit.record({ actor: me.email, action: 'review.faq_draft', target: `turn:${item.turnId}`, details: { faqId: made.faqId } });
      res.status(201).json({ faqId: made.faqId, created: true });
    } catch (err) {
      await reviews.releaseFaqDraft(item.turnId);
      throw err;
    }
  });

  const tags = ['review'];
  const notFound = { description: 'Not an answer of the queue (not 👎, not low confidence), or no such turn', schema: errorSchema };
  const draft = z.object({ faqId: z.string(), created: z.boolean() });
  return {
    router,
    paths: {
      '/review/counts': {
        get: operation('get', {
          summary: 'How many answers wait for review',
          description: 'Numbers only, so viewers may see them.',
          tags,
          roles: ANY_ROLE,
          responses: { 200: { description: 'Counts', schema: reviewCountsSchema } },
        }),
      },
      '/review': {
        get: operation('get', {
          summary: 'Answers to review: 👎 and low confidence',
          description: "Each with the citizen's question, Loa's answer and its citations, newest first.",
          tags,
          roles: ['admin', 'spokesperson'],
          query: reviewQuerySchema,
          responses: { 200: { description: 'A page of the queue', schema: reviewListSchema }, 400: { description: 'Invalid query', schema: errorSchema } },
        }),
      },
      '/review/{turnId}/reviewed': {
        post: operation('post', {
          summary: 'Mark an answer reviewed',
          description: 'It leaves the pending queue; the first reviewer is kept. Audited as review.mark.',
          tags,
          roles: ['admin', 'spokesperson'],
          params: reviewTurnParams,
          responses: { 200: { description: 'The review', schema: z.object({ review: answerReviewSchema, created: z.boolean() }) }, 404: notFound },
        }),
      },
      '/review/{turnId}/faq-draft': {
        post: operation('post', {
          summary: 'Turn an answer into an FAQ draft',
          description:
            "The citizen's question and Loa's answer (with its citations) become an FAQ draft to correct and approve; the answer counts as reviewed. One draft per answer: later calls return it. Audited as faq.create and review.faq_draft.",
          tags,
          roles: ['admin', 'spokesperson'],
          params: reviewTurnParams,
          responses: {
            201: { description: 'The new draft', schema: draft },
            200: { description: 'The draft made earlier', schema: draft },
            404: notFound,
            409: { description: 'Another officer is making the draft right now (in_progress)', schema: errorSchema },
            422: { description: 'The question or answer cannot make an FAQ, e.g. too short (not_an_faq)', schema: errorSchema },
          },
        }),
      },
    },
  };
}
