import { z } from 'zod';
import { ApiError } from '../../http/errors.ts';
import type { Faq, FaqChange, FaqStatus } from '../ports.ts';
import type { Citation } from '../../domain/citation.ts';
import type { SaveAsFaqInput } from '../escalations/routes.ts';
import { ANY_ROLE, adminRoute, routeModule } from '../route.ts';
import { currentUser, type AdminDeps, type AdminModule } from '../types.ts';
import { CitationError, resolveCitations } from './citations.ts';
import { faqKnowledge, faqUnitId } from './faq-knowledge.ts';
import { faqIdParams, faqListQuery, faqPatchSchema, faqSchema, newFaqSchema, type FaqView } from './schemas.ts';

/** Adds what the console shows besides the stored FAQ: its citation id and how often answers used it. */
async function views(deps: AdminDeps, faqs: Faq[]): Promise<FaqView[]> {
  const used = faqs.filter((f) => f.approvedAt !== undefined).map((f) => ({ citationId: faqUnitId(f.id), since: f.approvedAt as string }));
  const usage = used.length ? await deps.runtime.storage.reports.citationUsage(used) : new Map();
  return faqs.map((f) => {
    const u = usage.get(faqUnitId(f.id));
    return { ...f, unitId: faqUnitId(f.id), usage: { count: u?.count ?? 0, ...(u?.lastAt ? { lastUsedAt: u.lastAt } : {}) } };
  });
}

const REFUSED: Record<Exclude<FaqChange, { ok: true }>['reason'], [number, string, string]> = {
  not_found: [404, 'not_found', 'Không tìm thấy câu hỏi thường gặp này.'],
  wrong_status: [409, 'wrong_status', 'Trạng thái hiện tại của câu hỏi không cho phép thao tác này.'],
  version_conflict: [409, 'version_conflict', 'Câu hỏi vừa được người khác sửa. Vui lòng tải lại rồi sửa tiếp.'],
};

function refusal(change: Exclude<FaqChange, { ok: true }>): ApiError {
  const [status, code, message] = REFUSED[change.reason];
  return new ApiError(status, code, message, change.faq ? { status: change.faq.status } : {});
}

/**
 * Saves a spokesperson's reply to an escalation as an FAQ draft (the escalation module's
 * `saveAsFaq` hook). Saving the same escalation twice returns the first draft.
 *
 * @example
 * const hooks = { saveAsFaq: (input) => createFaqFromEscalation(deps, input) };
 */
export async function createFaqFromEscalation(deps: AdminDeps, input: SaveAsFaqInput): Promise<{ faqId: string }> {
  const { faqs } = deps.runtime.storage;
  const existing = await faqs.findByEscalation(input.escalationId);
  if (existing) return { faqId: existing.id };
  const parsed = newFaqSchema.parse({ questions: [input.question], answer: input.answer });
  const faq = await faqs.create(
    {
      questions: parsed.questions,
      answer: parsed.answer,
      // Escalation replies carry complete citations already; an FAQ never rests on another FAQ.
      citations: input.citations.filter((c) => !c.id.startsWith('faq::')),
      createdBy: input.officer,
      sourceEscalationId: input.escalationId,
    },
    new Date(),
  );
  await deps.audit.record({
    actor: input.officer,
    action: 'faq.create',
    target: `faq:${faq.id}`,
    details: { sourceEscalationId: input.escalationId, question: parsed.questions[0] },
  });
  return { faqId: faq.id };
}

/** What an FAQ draft made from one of Loa's answers (the review queue) starts from. */
export interface AnswerDraftInput {
  question: string;
  answer: string;
  citations: Citation[];
  officer: string;
  /** The conversation turn of the answer. */
  turnId: string;
}

/**
 * Saves one of Loa's answers as an FAQ draft for the officer to correct (the review queue).
 * `{ invalid }`, with the reason, when the question or answer cannot make an FAQ (e.g. too short).
 */
export async function createFaqFromAnswer(deps: AdminDeps, input: AnswerDraftInput): Promise<{ faqId: string } | { invalid: string }> {
  const parsed = newFaqSchema.safeParse({ questions: [input.question], answer: input.answer });
  if (!parsed.success) return { invalid: parsed.error.issues.map((i) => i.message).join('; ') };
  const faq = await deps.runtime.storage.faqs.create(
    {
      questions: parsed.data.questions,
      answer: parsed.data.answer,
      citations: input.citations.filter((c) => !c.id.startsWith('faq::')),
      createdBy: input.officer,
    },
    new Date(),
  );
  await deps.audit.record({ actor: input.officer, action: 'faq.create', target: `faq:${faq.id}`, details: { sourceTurnId: input.turnId, question: parsed.data.questions[0] } });
  return { faqId: faq.id };
}
/** Viewers see approved answers only (drafts may quote a citizen). */
const VIEWER_APPROVED_ONLY = 'Vai trò xem báo cáo chỉ xem được các câu trả lời đã duyệt.';

/**
 * FAQs: spokespeople draft answers (or save escalation replies as drafts), administrators
 * approve them, and approved answers become knowledge the bot answers with.
 *
 * `GET /faqs`, `GET /faqs/{id}` (every role; viewers approved answers only), `POST /faqs`, `PATCH /faqs/{id}` (spokesperson,
 * admin), `POST /faqs/{id}/approve`, `POST /faqs/{id}/retire` (admin).
 */
export function faqModule(deps: AdminDeps): AdminModule {
  const { faqs, knowledge } = deps.runtime.storage;
  const knowledgeSync = faqKnowledge(deps.runtime);
  // At start: the agency name (the document's title) may have changed, or the document been removed by hand.
  knowledgeSync.sync().catch((err: unknown) => deps.logger.error({ err }, 'syncing approved FAQs into the knowledge store failed'));
  const bodyLimit = '256kb';
  const editors = ['admin', 'spokesperson'] as const;
  const admin = ['admin'] as const;

  const resolved = async (inputs: Parameters<typeof resolveCitations>[0]): Promise<Citation[]> => {
    try {
      return await resolveCitations(inputs, knowledge);
    } catch (err) {
      if (err instanceof CitationError) throw new ApiError(400, 'invalid_citation', err.message);
      throw err;
    }
  };
  const viewOf = async (faq: Faq) => (await views(deps, [faq]))[0];

  const tags = ['faqs'];
  const one = z.object({ faq: faqSchema });
  const refused = {
    codes: ['wrong_status', 'version_conflict'],
    description: "Not allowed in the FAQ's current status (wrong_status) or edited meanwhile (version_conflict); `status` is the FAQ's status now",
    extra: { status: faqSchema.shape.status.optional() },
  };
  const notFound = { codes: ['not_found'], description: 'No such FAQ' };
  const invalidCitation = { codes: ['invalid_citation'], description: 'A citation that cannot be found' };

  return routeModule([
    adminRoute({
      method: 'get',
      path: '/faqs',
      summary: 'List FAQs',
      description: 'Newest change first, each with its usage since approval. Viewers may list approved FAQs only (403 otherwise).',
      tags,
      roles: ANY_ROLE,
      query: faqListQuery,
      responses: { 200: { description: 'FAQs', schema: z.object({ items: z.array(faqSchema), total: z.number().int() }) } },
      handler: async ({ query, res }) => {
        // Drafts and answers under review may quote a citizen (a CCCD number, a phone): not for viewers.
        const viewer = currentUser(res).role === 'viewer';
        if (viewer && query.status?.some((st) => st !== 'approved')) throw new ApiError(403, 'forbidden', VIEWER_APPROVED_ONLY);
        const filter = { status: viewer ? ['approved' as const] : query.status, limit: query.limit, offset: query.offset };
        const [items, total] = await Promise.all([faqs.list(filter), faqs.count(filter)]);
        return { status: 200, body: { items: await views(deps, items), total } };
      },
    }),
    adminRoute({
      method: 'post',
      path: '/faqs',
      summary: 'Write an FAQ draft',
      tags,
      roles: editors,
      body: newFaqSchema,
      bodyLimit,
      responses: { 201: { description: 'The draft', schema: one } },
      errors: { 400: invalidCitation },
      handler: async ({ body, res }) => {
        const citations = await resolved(body.citations ?? []);
        const me = currentUser(res);
        const faq = await faqs.create({ questions: body.questions, answer: body.answer, citations, createdBy: me.email }, new Date());
        await deps.audit.record({ actor: me.email, action: 'faq.create', target: `faq:${faq.id}`, details: { question: faq.questions[0] } });
        return { status: 201, body: { faq: await viewOf(faq) } };
      },
    }),
    adminRoute({
      method: 'get',
      path: '/faqs/{id}',
      summary: 'One FAQ',
      description: 'Viewers may read approved FAQs only (403 otherwise).',
      tags,
      roles: ANY_ROLE,
      params: faqIdParams,
      responses: { 200: { description: 'The FAQ', schema: one } },
      errors: { 404: notFound },
      handler: async ({ params, res }) => {
        const faq = await faqs.get(params.id);
        if (!faq) throw new ApiError(404, 'not_found', 'Không tìm thấy câu hỏi thường gặp này.');
        if (faq.status !== 'approved' && currentUser(res).role === 'viewer') throw new ApiError(403, 'forbidden', VIEWER_APPROVED_ONLY);
        return { status: 200, body: { faq: await viewOf(faq) } };
      },
    }),
    adminRoute({
      method: 'patch',
      path: '/faqs/{id}',
      summary: 'Edit an FAQ',
      description:
        'Drafts and FAQs needing review: spokespeople and administrators. Approved FAQs: administrators only; the bot answers with the new text at once. Retired FAQs cannot be edited.',
      tags,
      roles: editors,
      params: faqIdParams,
      body: faqPatchSchema,
      bodyLimit,
      responses: { 200: { description: 'The edited FAQ', schema: one } },
      errors: { 400: invalidCitation, 404: notFound, 409: refused },
      handler: async ({ params, body, res }) => {
        const me = currentUser(res);
        const citations = body.citations && (await resolved(body.citations));
        // An approved answer is live: only an administrator (who could approve it) may change it in place.
        const allowed: FaqStatus[] = me.role === 'admin' ? ['draft', 'needs_review', 'approved'] : ['draft', 'needs_review'];
        const patch = { questions: body.questions, answer: body.answer, citations };
        const change = await faqs.update(params.id, patch, { by: me.email, allowed, expectedVersion: body.version }, new Date());
        if (!change.ok) throw refusal(change);
        const changed = Object.keys(patch).filter((k) => patch[k as keyof typeof patch] !== undefined);
        await deps.audit.record({ actor: me.email, action: 'faq.update', target: `faq:${change.faq.id}`, details: { status: change.faq.status, changed } });
        if (change.faq.status === 'approved') await knowledgeSync.sync();
        return { status: 200, body: { faq: await viewOf(change.faq) } };
      },
    }),
    adminRoute({
      method: 'post',
      path: '/faqs/{id}/approve',
      summary: 'Approve an FAQ',
      description: 'draft or needs_review → approved: the bot answers with it from now on, cited as "Câu trả lời của <agency>".',
      tags,
      roles: admin,
      params: faqIdParams,
      responses: { 200: { description: 'The approved FAQ', schema: one } },
      errors: { 404: notFound, 409: refused },
      handler: async ({ params, res }) => {
        const me = currentUser(res);
        const change = await faqs.approve(params.id, me.email, new Date());
        if (!change.ok) throw refusal(change);
        await deps.audit.record({ actor: me.email, action: 'faq.approve', target: `faq:${change.faq.id}`, details: { question: change.faq.questions[0] } });
        await knowledgeSync.sync();
        return { status: 200, body: { faq: await viewOf(change.faq) } };
      },
    }),
    adminRoute({
      method: 'post',
      path: '/faqs/{id}/retire',
      summary: 'Retire an FAQ',
      description: 'Any status but retired → retired: the bot stops answering with it.',
      tags,
      roles: admin,
      params: faqIdParams,
      responses: { 200: { description: 'The retired FAQ', schema: one } },
      errors: { 404: notFound, 409: refused },
      handler: async ({ params, res }) => {
        const me = currentUser(res);
        const before = await faqs.get(params.id);
        const change = await faqs.retire(params.id, me.email, new Date());
        if (!change.ok) throw refusal(change);
        await deps.audit.record({ actor: me.email, action: 'faq.retire', target: `faq:${change.faq.id}`, details: { previousStatus: before?.status } });
        if (before?.status === 'approved') await knowledgeSync.sync();
        return { status: 200, body: { faq: await viewOf(change.faq) } };
      },
    }),
  ]);
}
