import type { Logger } from 'pino';
import { z } from 'zod';
import type { ConversationCore } from '../../bots/core/conversation-core.ts';
import { officerActor, transition, type EscalationActor, type EscalationRefusal } from '../../domain/escalation.ts';
import type { UserStore } from '../ports.ts';
import type { ConversationStore } from '../../bots/core/ports.ts';
import type { Citation } from '../../domain/citation.ts';
import type { StaffUser } from '../../domain/roles.ts';
import type { Escalation, EscalationChange, EscalationStore } from '../../storage/escalation-store.ts';
import { ApiError } from '../../http/errors.ts';
import { ANY_ROLE, adminRoute, routeModule } from '../route.ts';
import { currentUser, type AdminModule, type AuditLog } from '../types.ts';
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
import { InboxView } from './view.ts';

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

const refusal = (reason: Refusal): ApiError => new ApiError(REFUSED[reason].status, reason, REFUSED[reason].message);

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
  const bodyLimit = '64kb';
  const view = () => new InboxView(deps.conversations, deps.clock());
  const item = (e: Escalation) => view().item(e);

  const load = async (id: string): Promise<Escalation> => {
    const e = await escalations.get(id);
    if (!e) throw refusal('not_found');
    return e;
  };

  /** A state change's answer: the item, or the refusal. */
  const changed = async (change: EscalationChange) => {
    if (!change.ok) throw refusal(change.reason);
    return { status: 200 as const, body: { escalation: await item(change.escalation) } };
  };

  const tags = ['escalations'];
  const roles = WORKERS;
  const one = z.object({ escalation: inboxItemSchema });
  const refusals = {
    404: { codes: ['not_found'], description: 'No such escalation' },
    403: { codes: ['not_allowed'], description: 'Not allowed for this role' },
    409: {
      codes: ['claimed_by_other', 'answer_in_progress', 'already_answered', 'already_closed', 'nothing_to_retry'],
      description: 'Refused by the escalation lifecycle (answer_in_progress: a reply is being delivered; two concurrent replies send one)',
    },
  };

  return routeModule([
    adminRoute({
      method: 'get',
      path: '/escalations',
      summary: 'List escalated questions (newest first)',
      tags,
      roles,
      query: listQuerySchema,
      responses: { 200: { description: 'A page of the inbox', schema: z.object({ items: z.array(inboxItemSchema), total: z.number().int() }) } },
      handler: async ({ query, res }) => {
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
        return { status: 200, body: { items: await view().items(list), total } };
      },
    }),
    adminRoute({
      method: 'get',
      path: '/escalations/{id}',
      summary: "One escalation, with context, candidates and the citizen's recent turns",
      tags,
      roles,
      params: idParams,
      responses: { 200: { description: 'The escalation', schema: detailSchema } },
      errors: { 404: refusals[404] },
      handler: async ({ params }) => {
        const e = await load(params.id);
        const turns = await deps.conversations.recentTurns(e.channel, e.recipient.userId, HISTORY_TURNS);
        return {
          status: 200,
          body: {
            ...(await item(e)),
            history: turns.map((t) => ({ at: t.createdAt, intent: t.intent, userText: t.userText, replyKind: t.replyKind, replyText: t.replyText })),
          },
        };
      },
    }),
    adminRoute({
      method: 'post',
      path: '/escalations/{id}/claim',
      summary: 'Claim (exclusive): nobody else may answer it',
      tags,
      roles,
      params: idParams,
      responses: { 200: { description: 'Claimed (again, when already mine)', schema: one } },
      errors: refusals,
      handler: async ({ params, res }) => {
        const me = currentUser(res);
        const change = await core.claimEscalation(params.id, actorOf(me));
        if (change.ok) await audit.record({ actor: me.email, action: 'escalation.claim', target: `escalation:${params.id}` });
        return changed(change);
      },
    }),
    adminRoute({
      method: 'post',
      path: '/escalations/{id}/assign',
      summary: 'Hand to an officer, whoever holds it',
      description: 'Refused while a reply is being delivered.',
      tags,
      roles: ['admin'],
      params: idParams,
      body: assignSchema,
      bodyLimit,
      responses: { 200: { description: 'Assigned', schema: one } },
      errors: { ...refusals, 400: { codes: ['invalid_officer'], description: 'Not an active officer' } },
      handler: async ({ params, body, res }) => {
        const officer = await deps.users.getByEmail(body.officer);
        if (!officer || officer.disabled || officer.role === 'viewer') {
          throw new ApiError(400, 'invalid_officer', 'Chỉ giao được cho người phát ngôn hoặc quản trị viên đang hoạt động.');
        }
        const before = await load(params.id);
        const change = await core.assignEscalation(params.id, officer.email, actorOf(currentUser(res)));
        if (change.ok) {
          await audit.record({
            actor: currentUser(res).email,
            action: 'escalation.assign',
            target: `escalation:${params.id}`,
            details: { officer: officer.email, previous: before.assignee ?? null },
          });
        }
        return changed(change);
      },
    }),
    adminRoute({
      method: 'post',
      path: '/escalations/{id}/close',
      summary: 'Close without answering',
      description: 'Only its holder (or an administrator) may close a claimed escalation. The reason is stored as `reason` or `reason: note`.',
      tags,
      roles,
      params: idParams,
      body: closeSchema,
      bodyLimit,
      responses: { 200: { description: 'Closed', schema: one } },
      errors: refusals,
      handler: async ({ params, body, res }) => {
        const me = currentUser(res);
        const reason = body.note ? `${body.reason}: ${body.note}` : body.reason;
        const change = await core.closeEscalation(params.id, reason, actorOf(me));
        if (change.ok) await audit.record({ actor: me.email, action: 'escalation.close', target: `escalation:${params.id}`, details: { reason: body.reason, note: body.note } });
        return changed(change);
      },
    }),
    adminRoute({
      method: 'post',
      path: '/escalations/{id}/reply',
      summary: 'Answer the citizen on the channel they used',
      description:
        'Claims an open escalation for the caller; refused (409) when another officer holds it. The escalation becomes `answered` once the channel accepted the reply; a failed delivery is kept (`deliveryStatus: failed`) and can be retried.',
      tags,
      roles,
      params: idParams,
      body: replySchema,
      bodyLimit,
      responses: { 200: { description: 'Recorded; `delivered` says whether it reached the citizen', schema: replyResultSchema } },
      errors: { ...refusals, 400: { codes: ['unknown_citation', 'invalid_reply'], description: 'A citation that is not a candidate and not complete, or a reply the channel cannot carry' } },
      handler: async ({ params, body, res }) => {
        const me = currentUser(res);
        const e = await load(params.id);
        // Refused early when it would be anyway (the citations are not checked for nothing); the
        // core's atomic update decides for real, so of two concurrent replies one is refused there.
        const early = transition(e, { type: 'answer', text: body.text, citations: [] }, actorOf(me), deps.clock().toISOString());
        if ('refused' in early) throw refusal(early.refused);
        const citations = resolveCitations(body.citations ?? [], e.candidates);
        if ('unknown' in citations) {
          throw new ApiError(400, 'unknown_citation', `Trích dẫn "${citations.unknown}" không nằm trong gợi ý; cần đủ tiêu đề, điều khoản và trích đoạn.`);
        }

        const result = await core.replyToEscalation(params.id, { text: body.text, citations, officer: me.email });
        if (result.refused === 'invalid_reply') throw new ApiError(400, 'invalid_reply', result.error ?? 'invalid reply');
        if (result.refused) throw refusal(result.refused);

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
        return { status: 200, body: { ...result, escalation: await item(after), ...(faq ? { faq } : {}), ...(faqError ? { faqError } : {}) } };
      },
    }),
    adminRoute({
      method: 'post',
      path: '/escalations/{id}/retry',
      summary: 'Retry delivering the reply',
      tags,
      roles,
      params: idParams,
      responses: { 200: { description: 'Tried again', schema: replyResultSchema.omit({ faq: true, faqError: true }) } },
      errors: { ...refusals, 400: { codes: ['invalid_reply'], description: 'The stored reply cannot be sent' } },
      handler: async ({ params, res }) => {
        const me = currentUser(res);
        const result = await core.retryDelivery(params.id, actorOf(me));
        if (result.refused === 'invalid_reply') throw new ApiError(400, 'invalid_reply', result.error ?? 'invalid request');
        if (result.refused) throw refusal(result.refused);
        await audit.record({
          actor: me.email,
          action: 'escalation.retry',
          target: `escalation:${params.id}`,
          details: { delivered: result.delivered, ...(result.error ? { error: result.error } : {}), ...(result.willRetry ? { willRetry: true } : {}) },
        });
        return { status: 200, body: { ...result, escalation: await item((await escalations.get(params.id)) as Escalation) } };
      },
    }),
    adminRoute({
      method: 'get',
      path: '/events',
      summary: 'Live updates (Server-Sent Events)',
      description:
        'Events `escalation.created` and `escalation.updated`, `data` is the inbox item (viewers: only id, status, reason, channel, createdAt, updatedAt). A `: ping` comment every 25 s. Ends when the session ends.',
      tags,
      roles: ANY_ROLE,
      responses: { 200: { description: 'text/event-stream', schema: z.string(), contentType: 'text/event-stream' } },
      handler: async ({ req, res }) => {
        await deps.live.handler(req, res, () => undefined);
      },
    }),
  ]);
}
