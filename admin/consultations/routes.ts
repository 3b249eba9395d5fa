import { pushTo } from '../../consultations/collections.ts';
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import { synthesisCsv, synthesisDocx, synthesisXlsx } from '../../consultations/export.ts';
import { UnreadableDraftError, outline } from '../../consultations/draft.ts';
import { ConsultationError, ConsultationService } from '../../consultations/service.ts';
import { statusOf } from '../../consultations/status.ts';
import type { Consultation, ConsultationComment, DraftVersion } from '../../consultations/types.ts';
import { diffWords } from '../../consultations/version-map.ts';
import { SlugTakenError, VersionConflictError } from '../../consultations/ports.ts';
import { ANY_ROLE, requireRole } from '../auth/middleware.ts';
import { parseOr400, sendError } from '../http.ts';
import { errorSchema, operation } from '../openapi.ts';
import { currentUser, type AdminDeps, type AdminModule } from '../types.ts';
import { canEdit, canSee } from './access.ts';
import {
  assignSchema,
  commentParams,
  commentQuery,
  commentSchema,
  consultationInputSchema,
  consultationPatchSchema,
  consultationSchema,
  exportParams,
  idParams,
  mergeSchema,
  moderationSchema,
  revisionSchema,
  themeCreateSchema,
  themeParams,
  themePatchSchema,
  themeSchema,
  unitSchema,
  versionParams,
} from './schemas.ts';

const NOT_FOUND = 'Không tìm thấy đợt lấy ý kiến này.';
const FORBIDDEN = 'Bạn không phải cán bộ soạn thảo của đợt lấy ý kiến này.';
const CONTENT_TYPES = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
} as const;

/** Maps the domain's refusals to HTTP answers; anything else goes to the error handler. */
function refuse(res: Response, err: unknown): void {
  if (err instanceof ConsultationError) {
    const status = err.code === 'not_found' ? 404 : err.code === 'no_unit' ? 422 : err.code === 'not_yours' ? 403 : 409;
    return sendError(res, status, err.code, err.message);
  }
  if (err instanceof UnreadableDraftError) return sendError(res, 422, 'unreadable_draft', err.message);
  if (err instanceof SlugTakenError) return sendError(res, 409, 'slug_taken', `Địa chỉ /gop-y/${err.slug} đã được dùng cho đợt lấy ý kiến khác.`);
  if (err instanceof VersionConflictError) return sendError(res, 409, 'version_conflict', 'Dự thảo vừa được cập nhật bởi người khác; hãy tải lại trang.');
  throw err;
}

/** A comment as officers see it; contact details only for those who work on the consultation. */
function commentView(c: ConsultationComment, withContact: boolean): Record<string, unknown> {
  const { recipient: _r, lastMessageId: _m, lastMessageAt: _a, notifiedAt: _n, consultationId: _c, ...rest } = c;
  if (!withContact) {
    delete rest.name;
    delete rest.contact;
  }
  return rest;
}

/**
 * `/api/admin/consultations`: consultations on drafts for administrators and their drafting
 * officers: create from a draft file, revise it (comments follow their articles), read the
 * figures, moderate, group comments into themes and answer them, export and publish the
 * synthesis. Every change is audited.
 */
export function consultationModule(deps: AdminDeps): AdminModule {
  const { runtime, audit, core, config } = deps;
  const store = runtime.storage.consultations;
  const clock = () => new Date();
  const service = new ConsultationService({ store, clock, send: (r, m) => core.sendToUser(r, m), publicUrl: config.LOA_PUBLIC_URL });
  const router = express.Router();
  const maxBytes = config.LOA_MAX_FILE_MB * 1024 * 1024;
  const uploadJson = express.json({ limit: Math.ceil(maxBytes * 1.4) + 64 * 1024 });
  const json = express.json({ limit: '2mb' });
  const staff = requireRole(...ANY_ROLE);
  const workers = requireRole('admin', 'spokesperson');

  const view = (c: Consultation, req: Request, res: Response) => ({ ...c, status: statusOf(c, clock()), canEdit: canEdit(currentUser(res), c) });

  /** The consultation if the user may see it (and edit it, when `edit`), else an answer is sent. */
  const load = async (req: Request, res: Response, edit: boolean): Promise<Consultation | undefined> => {
    const params = parseOr400(idParams.passthrough(), req.params, res);
    if (!params) return undefined;
    const c = await store.get(params.id);
    const me = currentUser(res);
    if (!c || !canSee(me, c)) return void sendError(res, 404, 'not_found', NOT_FOUND);
    if (edit && !canEdit(me, c)) return void sendError(res, 403, 'forbidden', FORBIDDEN);
    return c;
  };
  const fileOf = (d: { name: string; contentBase64: string }) => ({ name: d.name, bytes: Buffer.from(d.contentBase64, 'base64') });
  const unitsView = (v: DraftVersion) => v.units.map(({ key, kind, parentKey, label, heading, text }) => ({ key, kind, parentKey, label, heading, text }));

  router.get('/consultations', staff, async (req, res) => {
    const me = currentUser(res);
    res.json({ items: (await store.list()).filter((c) => canSee(me, c)).map((c) => view(c, req, res)) });
  });

  router.post('/consultations', requireRole('admin'), uploadJson, async (req, res) => {
    const body = parseOr400(consultationInputSchema, req.body, res);
    if (!body) return;
    const me = currentUser(res);
    const { draft, ...meta } = body;
    try {
      const c = await service.create({ ...meta, createdBy: me.email }, fileOf(draft));
      await audit.record({ actor: me.email, action: 'consultation.create', target: `consultation:${c.id}`, details: { slug: c.slug, file: draft.name, officers: c.officers } });
      res.status(201).json({ consultation: view(c, req, res) });
    } catch (err) {
      refuse(res, err);
    }
  });

  router.get('/consultations/:id', staff, async (req, res) => {
    const c = await load(req, res, false);
    if (!c) return;
    const [draft, versions, stats] = await Promise.all([service.current(c), store.listVersions(c.id), service.stats(c.id)]);
    res.json({
      consultation: view(c, req, res),
      draft: { version: draft.version, title: draft.title, units: unitsView(draft) },
      versions: versions.map((v) => ({ version: v.version, title: v.title, sourceName: v.sourceName, createdAt: v.createdAt })),
      stats,
    });
  });

  router.patch('/consultations/:id', workers, json, async (req, res) => {
    const c = await load(req, res, true);
    const body = c && parseOr400(consultationPatchSchema, req.body, res);
    if (!c || !body) return;
    const me = currentUser(res);
    // Only administrators change who the drafting officers are.
    if (body.officers && me.role !== 'admin') return sendError(res, 403, 'forbidden', 'Chỉ quản trị viên được phân công cán bộ soạn thảo.');
    const updated = await store.update(c.id, body);
    await audit.record({ actor: me.email, action: 'consultation.update', target: `consultation:${c.id}`, details: { fields: Object.keys(body) } });
    res.json({ consultation: view(updated!, req, res) });
  });

  router.post('/consultations/:id/versions', workers, uploadJson, async (req, res) => {
    const c = await load(req, res, true);
    const body = c && parseOr400(revisionSchema, req.body, res);
    if (!c || !body) return;
    try {
      const v = await service.revise(c.id, body.expectedVersion, fileOf(body.draft));
      const me = currentUser(res);
      const moved = Object.entries(v.mapping ?? {}).filter(([from, m]) => from !== m.to).length;
      await audit.record({ actor: me.email, action: 'consultation.revise', target: `consultation:${c.id}`, details: { version: v.version, file: body.draft.name, moved } });
      res.status(201).json({ version: v.version, title: v.title, mapping: v.mapping });
    } catch (err) {
      refuse(res, err);
    }
  });

  router.get('/consultations/:id/versions/:version/diff', staff, async (req, res) => {
    const c = await load(req, res, false);
    const params = c && parseOr400(versionParams, req.params, res);
    if (!c || !params) return;
    const [before, after] = await Promise.all([store.getVersion(c.id, params.version - 1), store.getVersion(c.id, params.version)]);
    if (!before || !after) return sendError(res, 404, 'not_found', 'Không có phiên bản này.');
    const target = new Map(after.units.map((u) => [u.key, u]));
    const mapped = new Set<string>();
    const changes = outline(before.units).map((u) => {
      const m = after.mapping?.[u.key];
      const to = m && target.get(m.to);
      if (to) mapped.add(to.key);
      return { from: u.key, to: m?.to, by: m?.by, label: u.label, toLabel: to?.label, diff: to ? diffWords(u.text, to.text) : [{ op: 'del' as const, text: u.text }] };
    });
    const added = outline(after.units)
      .filter((u) => !mapped.has(u.key))
      .map((u) => ({ from: undefined, to: u.key, by: undefined, label: undefined, toLabel: u.label, diff: [{ op: 'add' as const, text: u.text }] }));
    res.json({ from: before.version, to: after.version, changes: [...changes, ...added] });
  });

  router.get('/consultations/:id/comments', workers, async (req, res) => {
    const c = await load(req, res, true);
    const query = c && parseOr400(commentQuery, req.query, res);
    if (!c || !query) return;
    const all = await store.listComments(c.id, { hidden: query.hidden === 'true', withdrawn: false });
    const items = query.unit ? all.filter((x) => x.currentUnitKey === query.unit || x.currentUnitKey?.split('.')[0] === query.unit) : all;
    res.json({ items: items.map((x) => commentView(x, true)), total: items.length });
  });

  router.post('/consultations/:id/comments/:commentId/moderation', workers, json, async (req, res) => {
    const c = await load(req, res, true);
    const params = c && parseOr400(commentParams, req.params, res);
    const body = params && parseOr400(moderationSchema, req.body, res);
    if (!c || !params || !body) return;
    const comment = await store.getComment(params.commentId);
    if (!comment || comment.consultationId !== c.id) return sendError(res, 404, 'not_found', 'Không tìm thấy góp ý này.');
    await store.setHidden(comment.id, body.hidden, body.reason, clock());
    const me = currentUser(res);
    await audit.record({ actor: me.email, action: body.hidden ? 'consultation.comment_hide' : 'consultation.comment_show', target: `comment:${comment.id}`, details: { consultation: c.id, reason: body.reason } });
    res.json({ comment: commentView((await store.getComment(comment.id))!, true) });
  });

  const themesView = async (id: string) => {
    const [themes, comments] = await Promise.all([store.listThemes(id), store.listComments(id)]);
    const members = new Map<string, string[]>();
    for (const x of comments) if (x.themeId) pushTo(members, x.themeId, x.id);
    return themes.map((t) => ({ id: t.id, unitKey: t.unitKey, label: t.label, responseKind: t.responseKind, responseText: t.responseText, respondedBy: t.respondedBy, comments: members.get(t.id)?.length ?? 0, commentIds: members.get(t.id) ?? [] }));
  };

  router.get('/consultations/:id/themes', workers, async (req, res) => {
    const c = await load(req, res, true);
    if (!c) return;
    res.json({ items: await themesView(c.id) });
  });

  router.post('/consultations/:id/themes/auto', workers, async (req, res) => {
    const c = await load(req, res, true);
    if (!c) return;
    const created = await service.group(c.id);
    await audit.record({ actor: currentUser(res).email, action: 'consultation.group', target: `consultation:${c.id}`, details: { themes: created.length } });
    res.json({ created: created.length, items: await themesView(c.id) });
  });

  // A new theme from chosen comments: also how a theme is split.
  router.post('/consultations/:id/themes', workers, json, async (req, res) => {
    const c = await load(req, res, true);
    const body = c && parseOr400(themeCreateSchema, req.body, res);
    if (!c || !body) return;
    const [theme] = await store.createThemes(c.id, [body], clock());
    await audit.record({ actor: currentUser(res).email, action: 'consultation.theme_create', target: `theme:${theme.id}`, details: { consultation: c.id, comments: body.commentIds.length } });
    res.status(201).json({ theme });
  });

  router.post('/consultations/:id/themes/assign', workers, json, async (req, res) => {
    const c = await load(req, res, true);
    const body = c && parseOr400(assignSchema, req.body, res);
    if (!c || !body) return;
    if (body.themeId) {
      const t = await store.getTheme(body.themeId);
      if (!t || t.consultationId !== c.id) return sendError(res, 404, 'not_found', 'Không tìm thấy nhóm ý kiến này.');
    }
    const moved = await store.assignComments(c.id, body.themeId ?? undefined, body.commentIds);
    await audit.record({ actor: currentUser(res).email, action: 'consultation.theme_assign', target: `consultation:${c.id}`, details: { theme: body.themeId, comments: moved } });
    res.json({ moved });
  });

  const loadTheme = async (req: Request, res: Response) => {
    const c = await load(req, res, true);
    const params = c && parseOr400(themeParams, req.params, res);
    if (!c || !params) return undefined;
    const t = await store.getTheme(params.themeId);
    if (!t || t.consultationId !== c.id) return void sendError(res, 404, 'not_found', 'Không tìm thấy nhóm ý kiến này.');
    return { c, t };
  };

  router.patch('/consultations/:id/themes/:themeId', workers, json, async (req, res) => {
    const found = await loadTheme(req, res);
    const body = found && parseOr400(themePatchSchema, req.body, res);
    if (!found || !body) return;
    const me = currentUser(res);
    const theme = await store.updateTheme(found.t.id, { ...body, ...(body.responseKind || body.responseText ? { respondedBy: me.email } : {}) }, clock());
    await audit.record({ actor: me.email, action: body.responseKind || body.responseText ? 'consultation.theme_answer' : 'consultation.theme_rename', target: `theme:${found.t.id}`, details: { consultation: found.c.id, ...body } });
    res.json({ theme });
  });

  router.post('/consultations/:id/themes/:themeId/merge', workers, json, async (req, res) => {
    const found = await loadTheme(req, res);
    const body = found && parseOr400(mergeSchema, req.body, res);
    if (!found || !body) return;
    const theme = await store.mergeThemes(found.c.id, found.t.id, body.sourceIds, clock());
    await audit.record({ actor: currentUser(res).email, action: 'consultation.theme_merge', target: `theme:${found.t.id}`, details: { consultation: found.c.id, merged: body.sourceIds } });
    res.json({ theme });
  });

  router.delete('/consultations/:id/themes/:themeId', workers, async (req, res) => {
    const found = await loadTheme(req, res);
    if (!found) return;
    await store.deleteTheme(found.t.id);
    await audit.record({ actor: currentUser(res).email, action: 'consultation.theme_delete', target: `theme:${found.t.id}`, details: { consultation: found.c.id } });
    res.status(204).end();
  });

  router.get('/consultations/:id/synthesis', staff, async (req, res) => {
    const c = await load(req, res, false);
    if (!c) return;
    res.json({ synthesis: await service.synthesis(c.id) });
  });

  router.get('/consultations/:id/export.:format', staff, async (req, res) => {
    const c = await load(req, res, false);
    const params = c && parseOr400(exportParams, req.params, res);
    if (!c || !params) return;
    const s = await service.synthesis(c.id);
    const body = params.format === 'docx' ? await synthesisDocx(s) : params.format === 'xlsx' ? await synthesisXlsx(s) : synthesisCsv(s);
    await audit.record({ actor: currentUser(res).email, action: 'consultation.export', target: `consultation:${c.id}`, details: { format: params.format } });
    res.set('Content-Disposition', `attachment; filename="tong-hop-y-kien-${c.slug}.${params.format}"`).type(CONTENT_TYPES[params.format]).send(body);
  });

  router.post('/consultations/:id/publish', workers, async (req, res) => {
    const c = await load(req, res, true);
    if (!c) return;
    try {
      const { consultation, notified } = await service.publish(c.id);
      await audit.record({ actor: currentUser(res).email, action: 'consultation.publish', target: `consultation:${c.id}`, details: { ...notified } });
      res.json({ consultation: view(consultation, req, res), notified });
    } catch (err) {
      refuse(res, err);
    }
  });

  router.post('/consultations/:id/forget-personal-data', requireRole('admin'), async (req, res) => {
    const c = await load(req, res, true);
    if (!c) return;
    if (statusOf(c, clock()) !== 'published') return sendError(res, 409, 'not_published', 'Chỉ xoá thông tin cá nhân sau khi công bố bản tổng hợp.');
    const cleared = await store.forgetPersonalData(c.id);
    await audit.record({ actor: currentUser(res).email, action: 'consultation.forget_personal_data', target: `consultation:${c.id}`, details: { comments: cleared } });
    res.json({ cleared });
  });

  const tags = ['consultations'];
  const nf = { description: 'No such consultation (or not yours)', schema: errorSchema };
  const one = z.object({ consultation: consultationSchema });
  const editors: ('admin' | 'spokesperson')[] = ['admin', 'spokesperson'];
  const editorsNote = 'Spokespeople only on consultations that list them as drafting officers.';
  return {
    router,
    paths: {
      '/consultations': {
        get: operation('get', { summary: 'Consultations on drafts', description: 'Drafting officers see the ones they are assigned to; viewers see all.', tags, roles: ANY_ROLE, responses: { 200: { description: 'List', schema: z.object({ items: z.array(consultationSchema) }) } } }),
        post: operation('post', {
          summary: 'Create a consultation from a draft file',
          description: 'The draft (DOCX, PDF, Markdown, HTML, text) is parsed article by article with the document parser. Audited as consultation.create.',
          tags,
          roles: ['admin'],
          body: consultationInputSchema,
          responses: { 201: { description: 'Created', schema: one }, 409: { description: 'Slug taken', schema: errorSchema }, 422: { description: 'Unreadable draft', schema: errorSchema } },
        }),
      },
      '/consultations/{id}': {
        get: operation('get', {
          summary: 'A consultation: draft, versions and figures',
          description: 'Participation over time and by channel, comments and stances per article (the heat map), campaigns (one text from many senders).',
          tags,
          roles: ANY_ROLE,
          params: idParams,
          responses: { 200: { description: 'Detail', schema: z.object({ consultation: consultationSchema, draft: z.object({ version: z.number(), title: z.string(), units: z.array(unitSchema) }), versions: z.array(z.object({ version: z.number(), title: z.string(), sourceName: z.string(), createdAt: z.string() })), stats: z.record(z.string(), z.unknown()) }) }, 404: nf },
        }),
        patch: operation('patch', { summary: 'Change period, questions, officers …', description: `${editorsNote} Officers are assigned by administrators.`, tags, roles: editors, params: idParams, body: consultationPatchSchema, responses: { 200: { description: 'Updated', schema: one }, 404: nf } }),
      },
      '/consultations/{id}/versions': {
        post: operation('post', {
          summary: 'Publish a revised draft',
          description: `Comments are carried to the new units by heading, text similarity and number; each keeps the version it was made on. ${editorsNote}`,
          tags,
          roles: editors,
          params: idParams,
          body: revisionSchema,
          responses: { 201: { description: 'The new version and its mapping', schema: z.object({ version: z.number(), title: z.string(), mapping: z.record(z.string(), z.object({ to: z.string(), score: z.number(), by: z.string() })) }) }, 409: { description: 'Another revision came first', schema: errorSchema }, 404: nf },
        }),
      },
      '/consultations/{id}/versions/{version}/diff': {
        get: operation('get', { summary: 'What changed from the previous version, unit by unit', tags, roles: ANY_ROLE, params: versionParams, responses: { 200: { description: 'Word diff per article', schema: z.object({ from: z.number(), to: z.number(), changes: z.array(z.record(z.string(), z.unknown())) }) }, 404: nf } }),
      },
      '/consultations/{id}/comments': {
        get: operation('get', { summary: 'Comments (with contact details)', description: editorsNote, tags, roles: editors, params: idParams, query: commentQuery, responses: { 200: { description: 'Comments', schema: z.object({ items: z.array(commentSchema), total: z.number() }) }, 404: nf } }),
      },
      '/consultations/{id}/comments/{commentId}/moderation': {
        post: operation('post', { summary: 'Hide (with a reason) or show a comment', description: `Audited as consultation.comment_hide / comment_show. ${editorsNote}`, tags, roles: editors, params: commentParams, body: moderationSchema, responses: { 200: { description: 'The comment', schema: z.object({ comment: commentSchema }) }, 404: nf } }),
      },
      '/consultations/{id}/themes': {
        get: operation('get', { summary: 'Themes per article', tags, roles: editors, params: idParams, responses: { 200: { description: 'Themes', schema: z.object({ items: z.array(themeSchema) }) }, 404: nf } }),
        post: operation('post', { summary: 'A theme from chosen comments (also: split a theme)', tags, roles: editors, params: idParams, body: themeCreateSchema, responses: { 201: { description: 'Created', schema: z.object({ theme: themeSchema.omit({ comments: true, commentIds: true }) }) }, 404: nf } }),
      },
      '/consultations/{id}/themes/auto': {
        post: operation('post', { summary: 'Group comments not yet in a theme, by text similarity', description: 'Identical texts (campaigns) collapse first; existing themes stay.', tags, roles: editors, params: idParams, responses: { 200: { description: 'Themes', schema: z.object({ created: z.number(), items: z.array(themeSchema) }) }, 404: nf } }),
      },
      '/consultations/{id}/themes/assign': {
        post: operation('post', { summary: 'Move comments into a theme (or out of any)', tags, roles: editors, params: idParams, body: assignSchema, responses: { 200: { description: 'Moved', schema: z.object({ moved: z.number() }) }, 404: nf } }),
      },
      '/consultations/{id}/themes/{themeId}': {
        patch: operation('patch', { summary: 'Rename a theme or answer it (tiếp thu / giải trình)', description: 'Every comment of the theme inherits the answer. Audited.', tags, roles: editors, params: themeParams, body: themePatchSchema, responses: { 200: { description: 'The theme', schema: z.object({ theme: themeSchema.omit({ comments: true, commentIds: true }) }) }, 404: nf } }),
        delete: operation('delete', { summary: 'Dissolve a theme (its comments become ungrouped)', tags, roles: editors, params: themeParams, responses: { 204: { description: 'Deleted' }, 404: nf } }),
      },
      '/consultations/{id}/themes/{themeId}/merge': {
        post: operation('post', { summary: 'Merge other themes into this one', tags, roles: editors, params: themeParams, body: mergeSchema, responses: { 200: { description: 'The theme', schema: z.object({ theme: themeSchema.omit({ comments: true, commentIds: true }) }) }, 404: nf } }),
      },
      '/consultations/{id}/synthesis': {
        get: operation('get', { summary: 'The synthesis (counts, then per article: who, what, tiếp thu / giải trình)', tags, roles: ANY_ROLE, params: idParams, responses: { 200: { description: 'Synthesis', schema: z.object({ synthesis: z.record(z.string(), z.unknown()) }) }, 404: nf } }),
      },
      '/consultations/{id}/export.{format}': {
        get: operation('get', {
          summary: 'Download the synthesis as DOCX, XLSX or CSV',
          tags,
          roles: ANY_ROLE,
          params: exportParams,
          responses: { 200: { description: 'The file', schema: z.string(), contentType: 'application/octet-stream' }, 404: nf },
        }),
      },
      '/consultations/{id}/publish': {
        post: operation('post', {
          summary: 'Publish the synthesis after the close, and tell participants',
          description: 'Shown on /gop-y/<slug>; chat participants are told on their channel (Zalo only within the 48-hour reply window). Audited.',
          tags,
          roles: editors,
          params: idParams,
          responses: { 200: { description: 'Published', schema: one.extend({ notified: z.object({ sent: z.number(), outsideWindow: z.number(), onPage: z.number() }) }) }, 409: { description: 'Not closed yet, or already published', schema: errorSchema }, 404: nf },
        }),
      },
      '/consultations/{id}/forget-personal-data': {
        post: operation('post', { summary: 'Clear names, organisations, contacts and channel addresses', description: 'After publication, once the consultation no longer needs them. Audited.', tags, roles: ['admin'], params: idParams, responses: { 200: { description: 'Cleared', schema: z.object({ cleared: z.number() }) }, 409: { description: 'Not published yet', schema: errorSchema }, 404: nf } }),
      },
    },
  };
}
