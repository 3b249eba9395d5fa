import express, { type Response } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { ConversationCore } from '../../bots/core/conversation-core.ts';
import { officerActor, transition, type EscalationActor, type EscalationRefusal } from '../../domain/escalation.ts';
import type { Citation } from '../../retrieval/types.ts';
import type { ConversationStore } from '../../storage/conversation-store.ts';
import type { Escalation, EscalationChange, EscalationStore } from '../../storage/escalation-store.ts';
import type { UserStore } from '../../storage/user-store.ts';
import { ANY_ROLE, requireRole } from '../auth/middleware.ts';
import { parseOr400, sendError } from '../http.ts';
import { errorSchema, operation } from '../openapi.ts';
import { currentUser, type AdminModule, type AuditLog, type StaffUser } from '../types.ts';
import type { LiveEvents } from './live-events.ts';
import {
  assignSchema,
  citationInputSchema,
  closeSchema,
  detailSchema,
  idParams,
  inboxItemSchema,
  listQuerySchema,
  replyResultSchema,
  replySchema,
} from './schemas.ts';
import { InboxView, type InboxItem } from './view.ts';

/** What saving a reply as an FAQ draft needs (provided by the FAQ module). */
export interface SaveAsFaqInput {
  question: string;
  answer: string;
  citations: Citation[];
  escalationId: string;
  /** Email of the officer who answered. */
  officer: string;
}

export interface EscalationHooks {
  saveAsFaq?: (input: SaveAsFaqInput) => Promise<{ faqId: string }>;
}

export interface EscalationRouteDeps {
  core: ConversationCore;
  escalations: EscalationStore;
  conversations: ConversationStore;
  users: UserStore;
  audit: AuditLog;
  logger: Logger;
  clock: () => Date;
  live: LiveEvents;
  hooks?: EscalationHooks;
}

const WORKERS = ['admin', 'spokesperson'] as const;
const HISTORY_TURNS = 20;

type Refusal = EscalationRefusal;

/** Each refusal of the lifecycle (`domain/escalation.ts`) as an HTTP answer: the code is the refusal. */
const REFUSED: Record<Refusal, { status: number; message: string }> = {
  not_found: { status: 404, message: 'Không tìm thấy câu hỏi này.' },
  claimed_by_other: { status: 409, message: 'Câu hỏi này đang do cán bộ khác xử lý.' },
  answer_in_progress: { status: 409, message: 'Câu trả lời đang được gửi đến người dân. Vui lòng chờ hoặc dùng "Gửi lại" nếu gửi không thành công.' },
  already_answered: { status: 409, message: 'Câu hỏi này đã được trả lời.' },
  already_closed: { status: 409, message: 'Câu hỏi này đã được đóng.' },
  nothing_to_retry: { status: 409, message: 'Chưa có câu trả lời nào để gửi lại.' },
  not_allowed: { status: 403, message: 'Bạn không có quyền thực hiện thao tác này.' },
};

const refuse = (res: Response, reason: Refusal) => sendError(res, REFUSED[reason].status, reason, REFUSED[reason].message);

/** The signed-in staff member as a lifecycle actor. */
const actorOf = (me: StaffUser): EscalationActor => officerActor(me.email, me.role === 'admin');

/** Citations of a reply: candidates by id, or complete citations given by the officer. */
function resolveCitations(input: z.output<typeof citationInputSchema>[], candidates: Citation[]): Citation[] | { unknown: string } {
  const out: Citation[] = [];
  for (const c of input) {
    const candidate = candidates.find((x) => x.id === c.id);
    if (candidate) {
      out.push(candidate);
    } else if (c.title && c.section && c.quote) {
      out.push({ ...c, title: c.title, section: c.section, quote: c.quote, status: c.status ?? 'unknown', score: c.score ?? 1 });
    } else {
      return { unknown: c.id };
    }
  }
  return out;
}

/**
 * The escalation inbox: list and read questions, claim (exclusive), assign (administrators),
 * close, reply (through the core, to the citizen's channel) and retry a failed delivery;
 * plus `GET /events`, the live stream. Every action is audited.
 */
export function escalationsModule(deps: EscalationRouteDeps): AdminModule {
  const { core, escalations, audit } = deps;
  const router = express.Router();
  const json = express.json({ limit: '64kb' });
  const workers = requireRole(...WORKERS);
  const view = () => new InboxView(deps.conversations, deps.clock());
  const item = (e: Escalation) => view().item(e);

  const load = async (id: string, res: Response): Promise<Escalation | undefined> => {
    const e = await escalations.get(id);
    if (!e) refuse(res, 'not_found');
    return e;
  };

  /** Answers a state change: the item, or the refusal. */
  const answer = async (res: Response, change: EscalationChange): Promise<InboxItem | undefined> => {
    if (!change.ok) {
      refuse(res, change.reason);
      return undefined;
    }
    const out = await item(change.escalation);
    res.json({ escalation: out });
    return out;
  };

  router.get('/escalations', workers, async (req, res) => {
    const query = parseOr400(listQuerySchema, req.query, res);
    if (!query) return;
    const filter = {
      status: query.status,
      channel: query.channel,
      assignee: query.assignee === 'me' ? currentUser(res).email : query.assignee,
      query: query.q,
    };
    const [list, total] = await Promise.all([
      escalations.list({ ...filter, limit: query.limit, offset: query.offset }),
      escalations.count ? escalations.count(filter) : escalations.list({ ...filter, limit: 500 }).then((l) => l.length),
    ]);
    res.json({ items: await view().items(list), total });
  });

  router.get('/escalations/:id', workers, async (req, res) => {
    const params = parseOr400(idParams, req.params, res);
    if (!params) return;
    const e = await load(params.id, res);
    if (!e) return;
    const turns = await deps.conversations.recentTurns(e.channel, e.recipient.userId, HISTORY_TURNS);
    res.json({
      ...(await item(e)),
      history: turns.map((t) => ({ at: t.createdAt, intent: t.intent, userText: t.userText, replyKind: t.replyKind, replyText: t.replyText })),
    });
  });

  router.post('/escalations/:id/claim', workers, async (req, res) => {
    const params = parseOr400(idParams, req.params, res);
    if (!params) return;
    const me = currentUser(res);
    const change = await core.claimEscalation(params.id, actorOf(me));
    if (change.ok) await audit.record({ actor: me.email, action: 'escalation.claim', target: `escalation:${params.id}` });
    await answer(res, change);
  });

  router.post('/escalations/:id/assign', requireRole('admin'), json, async (req, res) => {
    const params = parseOr400(idParams, req.params, res);
    const body = params && parseOr400(assignSchema, req.body, res);
    if (!params || !body) return;
    const officer = await deps.users.getByEmail(body.officer);
    if (!officer || officer.disabled || officer.role === 'viewer') {
      return sendError(res, 400, 'invalid_officer', 'Chỉ giao được cho người phát ngôn hoặc quản trị viên đang hoạt động.');
    }
    const before = await load(params.id, res);
    if (!before) return;
    const change = await core.assignEscalation(params.id, officer.email, actorOf(currentUser(res)));
    if (change.ok) {
      await audit.record({
        actor: currentUser(res).email,
        action: 'escalation.assign',
        target: `escalation:${params.id}`,
        details: { officer: officer.email, previous: before.assignee ?? null },
      });
    }
    await answer(res, change);
  });

  router.post('/escalations/:id/close', workers, json, async (req, res) => {
    const params = parseOr400(idParams, req.params, res);
    const body = params && parseOr400(closeSchema, req.body, res);
    if (!params || !body) return;
    const me = currentUser(res);
    const reason = body.note ? `${body.reason}: ${body.note}` : body.reason;
    const change = await core.closeEscalation(params.id, reason, actorOf(me));
    if (change.ok) await audit.record({ actor: me.email, action: 'escalation.close', target: `escalation:${params.id}`, details: { reason: body.reason, note: body.note } });
    await answer(res, change);
  });

  router.post('/escalations/:id/reply', workers, json, async (req, res) => {
    const params = parseOr400(idParams, req.params, res);
    const body = params && parseOr400(replySchema, req.body, res);
    if (!params || !body) return;
    const me = currentUser(res);
    const e = await escalations.get(params.id);
    if (!e) return refuse(res, 'not_found');
    // Refused early when it would be anyway (the citations are not checked for nothing); the
    // core's atomic update decides for real, so of two concurrent replies one is refused there.
    const early = transition(e, { type: 'answer', text: body.text, citations: [] }, actorOf(me), deps.clock().toISOString());
    if ('refused' in early) return refuse(res, early.refused);
    const citations = resolveCitations(body.citations ?? [], e.candidates);
    if ('unknown' in citations) {
      return sendError(res, 400, 'unknown_citation', `Trích dẫn "${citations.unknown}" không nằm trong gợi ý; cần đủ tiêu đề, điều khoản và trích đoạn.`);
    }

    const result = await core.replyToEscalation(params.id, { text: body.text, citations, officer: me.email });
    if (result.refused === 'invalid_reply') return sendError(res, 400, 'invalid_request', result.error ?? 'invalid reply');
    if (result.refused) return refuse(res, result.refused);

    const after = (await escalations.get(params.id)) as Escalation;
    let faq: { faqId: string } | undefined;
    let faqError: string | undefined;
    if (body.saveAsFaq) {
      if (!deps.hooks?.saveAsFaq) {
        faqError = 'Chức năng lưu thành câu hỏi thường gặp chưa được bật.';
      } else {
        try {
          faq = await deps.hooks.saveAsFaq({ question: e.question, answer: body.text, citations, escalationId: e.id, officer: me.email });
        } catch (err) {
          deps.logger.error({ err, escalationId: e.id }, 'saving a reply as FAQ failed');
          faqError = 'Không lưu được thành câu hỏi thường gặp.';
        }
      }
    }
    await audit.record({
      actor: me.email,
      action: 'escalation.reply',
      target: `escalation:${e.id}`,
      details: {
        channel: e.channel,
        text: body.text,
        citations: citations.map((c) => c.id),
        delivered: result.delivered,
        ...(result.error ? { error: result.error } : {}),
        ...(result.willRetry ? { willRetry: true } : {}),
        ...(body.saveAsFaq ? { saveAsFaq: true, faqId: faq?.faqId ?? null } : {}),
      },
    });
    res.json({ ...result, escalation: await item(after), ...(faq ? { faq } : {}), ...(faqError ? { faqError } : {}) });
  });

  router.post('/escalations/:id/retry', workers, async (req, res) => {
    const params = parseOr400(idParams, req.params, res);
    if (!params) return;
    const me = currentUser(res);
    const result = await core.retryDelivery(params.id, actorOf(me));
    if (result.refused === 'invalid_reply') return sendError(res, 400, 'invalid_request', result.error ?? 'invalid request');
    if (result.refused) return refuse(res, result.refused);
    await audit.record({
      actor: me.email,
      action: 'escalation.retry',
      target: `escalation:${params.id}`,
      details: { delivered: result.delivered, ...(result.error ? { error: result.error } : {}), ...(result.willRetry ? { willRetry: true } : {}) },
    });
    res.json({ ...result, escalation: await item((await escalations.get(params.id)) as Escalation) });
  });

  router.get('/events', requireRole(...ANY_ROLE), deps.live.handler);

  return { router, paths: escalationPaths() };
}

function escalationPaths() {
  const tags = ['escalations'];
  const roles = [...WORKERS];
  const one = z.object({ escalation: inboxItemSchema });
  const refusals = {
    404: { description: 'No such escalation', schema: errorSchema },
    403: { description: 'Not allowed for this role (not_allowed)', schema: errorSchema },
    409: {
      description:
        'Refused by the escalation lifecycle: claimed_by_other, answer_in_progress (a reply is being delivered: two concurrent replies send one), already_answered, already_closed, nothing_to_retry',
      schema: errorSchema,
    },
  };
  return {
    '/escalations': {
      get: operation('get', {
        summary: 'List escalated questions (newest first)',
        tags,
        roles,
        query: listQuerySchema,
        responses: { 200: { description: 'A page of the inbox', schema: z.object({ items: z.array(inboxItemSchema), total: z.number().int() }) } },
      }),
    },
    '/escalations/{id}': {
      get: operation('get', {
        summary: 'One escalation, with context, candidates and the citizen\'s recent turns',
        tags,
        roles,
        params: idParams,
        responses: { 200: { description: 'The escalation', schema: detailSchema }, 404: refusals[404] },
      }),
    },
    '/escalations/{id}/claim': {
      post: operation('post', {
        summary: 'Claim (exclusive): nobody else may answer it',
        tags,
        roles,
        params: idParams,
        responses: { 200: { description: 'Claimed (again, when already mine)', schema: one }, ...refusals },
      }),
    },
    '/escalations/{id}/assign': {
      post: operation('post', {
        summary: 'Hand to an officer, whoever holds it',
        description: 'Refused while a reply is being delivered.',
        tags,
        roles: ['admin'],
        params: idParams,
        body: assignSchema,
        responses: { 200: { description: 'Assigned', schema: one }, 400: { description: 'Not an active officer', schema: errorSchema }, ...refusals },
      }),
    },
    '/escalations/{id}/close': {
      post: operation('post', {
        summary: 'Close without answering',
        description: 'Only its holder (or an administrator) may close a claimed escalation. The reason is stored as `reason` or `reason: note`.',
        tags,
        roles,
        params: idParams,
        body: closeSchema,
        responses: { 200: { description: 'Closed', schema: one }, ...refusals },
      }),
    },
    '/escalations/{id}/reply': {
      post: operation('post', {
        summary: "Answer the citizen on the channel they used",
        description:
          'Claims an open escalation for the caller; refused (409) when another officer holds it. The escalation becomes `answered` once the channel accepted the reply; a failed delivery is kept (`deliveryStatus: failed`) and can be retried.',
        tags,
        roles,
        params: idParams,
        body: replySchema,
        responses: {
          200: { description: 'Recorded; `delivered` says whether it reached the citizen', schema: replyResultSchema },
          400: { description: 'Invalid body or unknown citation', schema: errorSchema },
          ...refusals,
        },
      }),
    },
    '/escalations/{id}/retry': {
      post: operation('post', {
        summary: 'Retry delivering the reply',
        tags,
        roles,
        params: idParams,
        responses: { 200: { description: 'Tried again', schema: replyResultSchema.omit({ faq: true, faqError: true }) }, ...refusals },
      }),
    },
    '/events': {
      get: operation('get', {
        summary: 'Live updates (Server-Sent Events)',
        description:
          'Events `escalation.created` and `escalation.updated`, `data` is the inbox item (viewers: only id, status, reason, channel, createdAt, updatedAt). A `: ping` comment every 25 s. Ends when the session ends.',
        tags,
        roles: [...ANY_ROLE],
        responses: { 200: { description: 'text/event-stream', schema: z.string(), contentType: 'text/event-stream' } },
      }),
    },
  };
}
