import express from 'express';
import { z } from 'zod';
import { AnnouncementService, NewAnnouncementInput } from '../../proactive/announcements.ts';
import { VERDICTS } from '../../proactive/claims.ts';
import type { ProactiveStore } from '../../proactive/ports.ts';
import type { AuditStore } from '../../storage/audit-store.ts';
import { ANY_ROLE, requireRole } from '../auth/middleware.ts';
import { parseOr400, sendError } from '../http.ts';
import { errorSchema, operation } from '../openapi.ts';
import { currentUser, type AdminModule } from '../types.ts';

const idParams = z.object({ id: z.string().min(1).max(100) });
const topicInput = z.object({
  id: z.string().regex(/^[a-z0-9-]{1,60}$/, 'Mã chủ đề: chữ thường không dấu, số và dấu gạch ngang'),
  label: z.string().trim().min(1).max(100),
  keywords: z.array(z.string().trim().min(1).max(60)).max(20).default([]),
});

const NOT_FOUND = 'Không tìm thấy thông báo này.';
const REFUSED: Record<string, string> = {
  own_announcement: 'Người soạn không thể tự duyệt: cần một người thứ hai.',
  not_pending: 'Thông báo không còn chờ duyệt (đã được duyệt hoặc đã hủy).',
};

/** One CSV field, quoted when needed (and guarded against spreadsheet formulas). */
function csvField(v: unknown): string {
  let s = v === undefined || v === null ? '' : String(v);
  if (/^[=+\-@]/.test(s)) s = `'${s}`;
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * The console's announcements: topics (`GET/POST/DELETE /topics`), composing
 * (`POST /announcements`), what each channel's rule means for it (`GET /announcements/{id}`
 * with `plan` and `stats`), approval by a second person (`POST …/approve`), cancelling, and
 * the deliveries as CSV. Sending is the outbox's: an approved announcement is queued when
 * its time comes (`AnnouncementService.queueDue`, run by the server).
 */
export function announcementModule(deps: { store: ProactiveStore; service: AnnouncementService; audit: AuditStore }): AdminModule {
  const { store, service, audit } = deps;
  const router = express.Router();
  const json = express.json({ limit: '32kb' });
  const editors = requireRole('admin', 'spokesperson');

  router.get('/topics', requireRole(...ANY_ROLE), async (_req, res) => {
    res.json({ items: await store.topics() });
  });
  router.post('/topics', editors, json, async (req, res) => {
    const body = parseOr400(topicInput, req.body, res);
    if (!body) return;
    const topic = await store.upsertTopic({ ...body, source: 'officer' }, new Date());
    res.status(201).json({ topic });
  });
  router.delete('/topics/:id', editors, async (req, res) => {
    const params = parseOr400(idParams, req.params, res);
    if (!params) return;
    if (!(await store.deleteTopic(params.id))) return sendError(res, 404, 'not_found', 'Không tìm thấy chủ đề này.');
    res.status(204).end();
  });

  router.get('/announcements', requireRole(...ANY_ROLE), async (_req, res) => {
    res.json({ items: await store.listAnnouncements(100) });
  });
  router.post('/announcements', editors, json, async (req, res) => {
    const body = parseOr400(NewAnnouncementInput, req.body, res);
    if (!body) return;
    if (!(await store.topics()).some((t) => t.id === body.topicId)) return sendError(res, 400, 'unknown_topic', 'Chủ đề không tồn tại.');
    const announcement = await service.compose(body, currentUser(res).email);
    res.status(201).json({ announcement, plan: await service.plan(announcement.id) });
  });
  router.get('/announcements/:id', requireRole(...ANY_ROLE), async (req, res) => {
    const params = parseOr400(idParams, req.params, res);
    if (!params) return;
    const announcement = await store.getAnnouncement(params.id);
    if (!announcement) return sendError(res, 404, 'not_found', NOT_FOUND);
    res.json({ announcement, plan: await service.plan(params.id), stats: await store.stats(params.id) });
  });
  router.post('/announcements/:id/approve', editors, async (req, res) => {
    const params = parseOr400(idParams, req.params, res);
    if (!params) return;
    const result = await service.approve(params.id, currentUser(res).email);
    if (result.ok) return res.json({ announcement: await store.getAnnouncement(params.id) });
    if (result.reason === 'not_found') return sendError(res, 404, 'not_found', NOT_FOUND);
    sendError(res, 409, result.reason, REFUSED[result.reason] ?? result.reason);
  });
  router.post('/announcements/:id/cancel', editors, async (req, res) => {
    const params = parseOr400(idParams, req.params, res);
    if (!params) return;
    if (!(await service.cancel(params.id, currentUser(res).email))) return sendError(res, 409, 'not_cancellable', 'Thông báo đã được gửi đi hoặc đã hủy.');
    res.json({ announcement: await store.getAnnouncement(params.id) });
  });
  router.get('/announcements/:id/deliveries.csv', requireRole(...ANY_ROLE), async (req, res) => {
    const params = parseOr400(idParams, req.params, res);
    if (!params) return;
    const rows = await store.deliveries(params.id);
    const lines = [['channel', 'user_id', 'status', 'route', 'reason', 'read_at', 'created_at'].join(',')];
    for (const d of rows) lines.push([d.channel, d.userId, d.status, d.route, d.reason, d.readAt, d.createdAt].map(csvField).join(','));
    res.type('text/csv; charset=utf-8').attachment(`announcement-${params.id}.csv`).send(`\uFEFF${lines.join('\n')}\n`);
  });

  // Claims to check: grouped reports, a verdict with its official source, a second person's approval.
  const verdictInput = z.object({
    verdict: z.enum(VERDICTS),
    sourceTitle: z.string().trim().min(1).max(300),
    sourceUrl: z.url().max(500).optional(),
    note: z.string().trim().min(1).max(1000),
  });
  router.get('/claims', requireRole(...ANY_ROLE), async (_req, res) => {
    res.json({ items: await store.claims() });
  });
  router.post('/claims/:id/verdict', editors, json, async (req, res) => {
    const params = parseOr400(idParams, req.params, res);
    const body = params && parseOr400(verdictInput, req.body, res);
    if (!params || !body) return;
    const me = currentUser(res).email;
    if (!(await store.proposeVerdict(params.id, body, me, new Date()))) return sendError(res, 409, 'not_open', 'Thông tin này đã có kết luận được duyệt.');
    await audit.append({ actor: me, action: 'claim.verdict', target: `claim:${params.id}`, details: { verdict: body.verdict, source: body.sourceTitle } }, new Date());
    res.json({ claim: await store.getClaim(params.id) });
  });
  router.post('/claims/:id/approve', editors, async (req, res) => {
    const params = parseOr400(idParams, req.params, res);
    if (!params) return;
    const me = currentUser(res).email;
    if (!(await store.approveVerdict(params.id, me, new Date()))) return sendError(res, 409, 'not_approvable', 'Chỉ người thứ hai mới duyệt được một kết luận đang chờ duyệt.');
    await audit.append({ actor: me, action: 'claim.approve', target: `claim:${params.id}` }, new Date());
    res.json({ claim: await store.getClaim(params.id) });
  });

  const tags = ['announcements'];
  const roles = ['admin', 'spokesperson'] as const;
  const notFound = { description: 'No such announcement', schema: errorSchema };
  return {
    router,
    paths: {
      '/topics': {
        get: operation('get', { summary: 'Subscription topics', tags, roles: ANY_ROLE, responses: { 200: { description: 'Topics' } } }),
        post: operation('post', { summary: 'Add or rename a topic', tags, roles: [...roles], body: topicInput, responses: { 201: { description: 'The topic' }, 400: { description: 'Invalid', schema: errorSchema } } }),
      },
      '/topics/{id}': {
        delete: operation('delete', { summary: 'Remove a topic', tags, roles: [...roles], params: idParams, responses: { 204: { description: 'Removed' }, 404: notFound } }),
      },
      '/announcements': {
        get: operation('get', { summary: 'Announcements, newest first', tags, roles: ANY_ROLE, responses: { 200: { description: 'Announcements' } } }),
        post: operation('post', {
          summary: 'Compose an announcement (waits for a second person to approve)',
          description: 'Audited as announcement.create. The answer carries the plan: per channel, how many will receive it, by which route, and how many will not, and why.',
          tags, roles: [...roles], body: NewAnnouncementInput,
          responses: { 201: { description: 'The announcement and its plan' }, 400: { description: 'Invalid', schema: errorSchema } },
        }),
      },
      '/announcements/{id}': {
        get: operation('get', { summary: 'An announcement, its plan and delivery statistics', tags, roles: ANY_ROLE, params: idParams, responses: { 200: { description: 'The announcement' }, 404: notFound } }),
      },
      '/announcements/{id}/approve': {
        post: operation('post', {
          summary: 'Approve (a second person; the author cannot)', description: 'Compare-and-set: of two approvers at once, one wins. Audited as announcement.approve.',
          tags, roles: [...roles], params: idParams,
          responses: { 200: { description: 'Approved' }, 404: notFound, 409: { description: 'The author, or not pending', schema: errorSchema } },
        }),
      },
      '/announcements/{id}/cancel': {
        post: operation('post', { summary: 'Cancel before it is queued', tags, roles: [...roles], params: idParams, responses: { 200: { description: 'Cancelled' }, 409: { description: 'Already queued', schema: errorSchema } } }),
      },
      '/claims': {
        get: operation('get', { summary: 'Claims citizens sent to check, grouped, newest first (reports, first and last seen, verdict)', tags: ['claims'], roles: ANY_ROLE, responses: { 200: { description: 'Claims' } } }),
      },
      '/claims/{id}/verdict': {
        post: operation('post', { summary: 'Propose a verdict with its official source', description: 'Audited as claim.verdict; a second person approves.', tags: ['claims'], roles: [...roles], params: idParams, body: verdictInput, responses: { 200: { description: 'The claim' }, 409: { description: 'Already verified', schema: errorSchema } } }),
      },
      '/claims/{id}/approve': {
        post: operation('post', { summary: 'Approve a proposed verdict (not its author)', description: 'From then on every similar message gets it. Audited as claim.approve.', tags: ['claims'], roles: [...roles], params: idParams, responses: { 200: { description: 'Verified' }, 409: { description: 'Not proposed, or the proposer', schema: errorSchema } } }),
      },
      '/announcements/{id}/deliveries.csv': {
        get: operation('get', { summary: 'Deliveries as CSV', tags, roles: ANY_ROLE, params: idParams, responses: { 200: { description: 'CSV', contentType: 'text/csv' } } }),
      },
    },
  };
}
