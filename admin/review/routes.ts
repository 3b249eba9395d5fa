import { z } from 'zod';
import { ApiError } from '../../http/errors.ts';
import { createFaqFromAnswer } from '../faqs/index.ts';
import { ANY_ROLE, adminRoute, routeModule } from '../route.ts';
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
  const editors = ['admin', 'spokesperson'] as const;
  const tags = ['review'];
  const notFound = { codes: ['not_found'], description: 'Not an answer of the queue (not 👎, not low confidence), or no such turn' };
  const draft = z.object({ faqId: z.string(), created: z.boolean() });

  return routeModule([
    adminRoute({
      method: 'get',
      path: '/review/counts',
      summary: 'How many answers wait for review',
      description: 'Numbers only, so viewers may see them.',
      tags,
      roles: ANY_ROLE,
      responses: { 200: { description: 'Counts', schema: reviewCountsSchema } },
      handler: async () => ({ status: 200, body: { ...(await reviews.counts(bar)), ...bar } }),
    }),
    adminRoute({
      method: 'get',
      path: '/review',
      summary: 'Answers to review: 👎 and low confidence',
      description: "Each with the citizen's question, Loa's answer and its citations, newest first.",
      tags,
      roles: editors,
      query: reviewQuerySchema,
      responses: { 200: { description: 'A page of the queue', schema: reviewListSchema } },
      handler: async ({ query }) => {
        const page = await reviews.list({ ...bar, status: query.status, cause: query.cause }, { limit: query.limit, offset: query.offset });
        return { status: 200, body: { ...page, ...bar } };
      },
    }),
    adminRoute({
      method: 'post',
      path: '/review/{turnId}/reviewed',
      summary: 'Mark an answer reviewed',
      description: 'It leaves the pending queue; the first reviewer is kept. Audited as review.mark.',
      tags,
      roles: editors,
      params: reviewTurnParams,
      responses: { 200: { description: 'The review', schema: z.object({ review: answerReviewSchema, created: z.boolean() }) } },
      errors: { 404: notFound },
      handler: async ({ params, res }) => {
        if (!(await reviews.get(params.turnId, bar))) throw new ApiError(404, 'not_found', NOT_FOUND);
        const me = currentUser(res);
        const { review, created } = await reviews.markReviewed(params.turnId, me.email, new Date());
        if (created) await deps.audit.record({ actor: me.email, action: 'review.mark', target: `turn:${params.turnId}` });
        return { status: 200, body: { review, created } };
      },
    }),
    adminRoute({
      method: 'post',
      path: '/review/{turnId}/faq-draft',
      summary: 'Turn an answer into an FAQ draft',
      description:
        "The citizen's question and Loa's answer (with its citations) become an FAQ draft to correct and approve; the answer counts as reviewed. One draft per answer: later calls return it. Audited as faq.create and review.faq_draft.",
      tags,
      roles: editors,
      params: reviewTurnParams,
      responses: {
        201: { description: 'The new draft', schema: draft },
        200: { description: 'The draft made earlier', schema: draft },
      },
      errors: {
        404: notFound,
        409: { codes: ['in_progress'], description: 'Another officer is making the draft right now' },
        422: { codes: ['not_an_faq'], description: 'The question or answer cannot make an FAQ, e.g. too short' },
      },
      handler: async ({ params, res }) => {
        const item = await reviews.get(params.turnId, bar);
        if (!item) throw new ApiError(404, 'not_found', NOT_FOUND);
        const me = currentUser(res);
        // One draft per answer, even when two officers press at once.
        if (!(await reviews.claimFaqDraft(item.turnId, me.email, new Date()))) {
          const faqId = (await reviews.get(item.turnId, bar))?.review?.faqId;
          if (!faqId) throw new ApiError(409, 'in_progress', 'Một cán bộ khác đang tạo bản nháp từ câu trả lời này.');
          return { status: 200, body: { faqId, created: false } };
        }
        try {
          const made = await createFaqFromAnswer(deps, { question: item.question ?? '', answer: item.answer ?? '', citations: item.citations, officer: me.email, turnId: item.turnId });
          if ('invalid' in made) {
            await reviews.releaseFaqDraft(item.turnId);
            throw new ApiError(422, 'not_an_faq', `Không tạo được bản nháp: ${made.invalid}`);
          }
          await reviews.setFaqDraft(item.turnId, made.faqId);
          await deps.audit.record({ actor: me.email, action: 'review.faq_draft', target: `turn:${item.turnId}`, details: { faqId: made.faqId } });
          return { status: 201, body: { faqId: made.faqId, created: true } };
        } catch (err) {
          if (!(err instanceof ApiError)) await reviews.releaseFaqDraft(item.turnId);
          throw err;
        }
      },
    }),
  ]);
}
