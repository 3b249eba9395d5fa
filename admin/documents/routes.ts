import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import { documentIdFromPath } from '../../knowledge/document-id.ts';
import type { DocumentMeta, DocumentStatus, KnowledgeDocument } from '../../knowledge/types.ts';
import type { DocumentSummary } from '../../storage/knowledge-store.ts';
import { ANY_ROLE, requireRole } from '../auth/middleware.ts';
import { FAQ_DOCUMENT_ID, FAQ_DOCUMENT_SOURCE } from '../faqs/faq-knowledge.ts';
import { reviewFaqsCitingDocument } from '../faqs/review.ts';
import { parseOr400, sendError } from '../http.ts';
import { errorSchema, operation } from '../openapi.ts';
import { currentUser, type AdminDeps, type AdminModule } from '../types.ts';
import {
  changeResultSchema,
  documentDetailSchema,
  indexStatusSchema,
  documentIdParams,
  documentSummarySchema,
  metaPatchSchema,
  statusChangeSchema,
  uploadResultSchema,
} from './schemas.ts';

/** The header that names an uploaded file (URL-encoded, since names are Vietnamese). */
export const FILENAME_HEADER = 'X-Filename';

/** Statuses that make answers resting on a document questionable. */
const NOT_CURRENT: ReadonlySet<DocumentStatus> = new Set(['superseded', 'amended', 'expired']);

type SummaryView = z.infer<typeof documentSummarySchema>;

function summaryView(d: DocumentSummary | KnowledgeDocument): SummaryView {
  const units = 'units' in d ? d.units : undefined;
  return {
    id: d.id,
    title: d.title,
    source: d.source,
    meta: d.meta,
    unitCount: units ? units.length : (d as DocumentSummary).unitCount,
    articleCount: units ? units.filter((u) => u.kind === 'article').length : (d as DocumentSummary).articleCount,
    ingestedAt: d.ingestedAt,
    ...(d.id === FAQ_DOCUMENT_ID && d.source === FAQ_DOCUMENT_SOURCE ? { managedBy: 'faqs' as const } : {}),
  };
}

/** "Luật Cư trú (68/2020/QH14)". */
const docLabel = (d: { title: string; meta: DocumentMeta }) => `${d.title}${d.meta.number && !d.title.includes(d.meta.number) ? ` (${d.meta.number})` : ''}`;

/** Why FAQs citing a document whose status changed need review, in the officer's words. */
function statusReason(d: { title: string; meta: DocumentMeta }, status: DocumentStatus): string {
  const by = d.meta.supersededBy ? ` bởi ${d.meta.supersededBy}` : '';
  if (status === 'superseded') return `Văn bản ${docLabel(d)} đã được thay thế${by}.`;
  if (status === 'amended') return `Văn bản ${docLabel(d)} đã được sửa đổi, bổ sung${by}.`;
  return `Văn bản ${docLabel(d)} đã hết hiệu lực.`;
}

/** The uploaded file's name: URL-decoded, without any folder part. */
function uploadName(req: Request): string | undefined {
  const raw = req.get(FILENAME_HEADER);
  if (!raw) return undefined;
  let name: string;
  try {
    name = decodeURIComponent(raw);
  } catch {
    return undefined;
  }
  name = (name.split(/[\\/]/u).pop() ?? '').normalize('NFC').trim();
  if (!name || name.length > 255 || [...name].some((c) => c.charCodeAt(0) < 32)) return undefined;
  return name;
}

/**
 * Official documents: list and read their parsed structure (every role); upload, correct
 * metadata, change legal status and delete (administrators). Every change is audited and
 * followed by a refresh of the bot's index; a document that stops being current law sends
 * the approved FAQs citing it to review.
 */
export function documentModule(deps: AdminDeps): AdminModule {
  const { runtime, audit, config } = deps;
  const { knowledge } = runtime.storage;
  const { library } = runtime;
  const router = express.Router();
  const json = express.json({ limit: '64kb' });
  const admin = requireRole('admin');
  const maxFileBytes = config.LOA_MAX_FILE_MB * 1024 * 1024;
  // Any content type: the file's name, not its MIME type, decides the format.
  const raw = express.raw({ type: () => true, limit: maxFileBytes });

  /** The document, or a 404 / 409 answer (the FAQ document changes only through /faqs). */
  const changeable = async (id: string, res: Response): Promise<KnowledgeDocument | undefined> => {
    const doc = await library.changeable(id);
    if (doc === 'not_found') return void sendError(res, 404, 'not_found', 'Không tìm thấy văn bản này.');
    if (doc === 'managed_by_faqs') {
      return void sendError(res, 409, 'managed_by_faqs', 'Văn bản này chứa các câu trả lời đã duyệt; hãy thay đổi chúng ở mục Câu hỏi thường gặp.');
    }
    return doc;
  };

  /** Applies new metadata; a change to a non-current status sends citing FAQs to review. */
  const applyMeta = async (doc: KnowledgeDocument, meta: DocumentMeta, actor: string): Promise<string[]> => {
    // Nothing changed: no write, so no index rebuild.
    if (!(await library.setMeta(doc, meta))) return [];
    let marked: string[] = [];
    if (meta.status !== doc.meta.status && NOT_CURRENT.has(meta.status)) {
      const unitIds = new Set(doc.units.map((u) => u.id));
      marked = await reviewFaqsCitingDocument(deps, { docId: doc.id, unitIds }, statusReason({ ...doc, meta }, meta.status), actor);
    }
    return marked;
  };

  router.get('/documents', requireRole(...ANY_ROLE), async (_req, res) => {
    res.json({ items: (await knowledge.listDocuments()).map(summaryView) });
  });

  router.get('/documents/index-status', requireRole(...ANY_ROLE), (_req, res) => {
    res.json({ index: library.status() });
  });

  router.get('/documents/:id', requireRole(...ANY_ROLE), async (req, res) => {
    const params = parseOr400(documentIdParams, req.params, res);
    if (!params) return;
    const doc = await knowledge.getDocument(params.id);
    if (!doc) return sendError(res, 404, 'not_found', 'Không tìm thấy văn bản này.');
    res.json({ document: { ...summaryView(doc), units: doc.units } });
  });

  router.post('/documents', admin, raw, async (req, res) => {
    const name = uploadName(req);
    if (!name) return sendError(res, 400, 'missing_filename', `Thiếu hoặc sai tên tệp (tiêu đề ${FILENAME_HEADER}, mã hoá URL).`);
    if (!Buffer.isBuffer(req.body)) return sendError(res, 400, 'invalid_body', 'Nội dung tệp phải được gửi nguyên dạng (application/octet-stream).');
    if (documentIdFromPath(name) === FAQ_DOCUMENT_ID) {
      return sendError(res, 422, 'reserved_id', `Tên "${name}" trùng với mã dành riêng cho câu hỏi thường gặp; hãy đổi tên tệp.`);
    }
    const me = currentUser(res);
    const { summary, written, before, reservedId } = await library.upload(name, req.body);
    if (reservedId) {
      return sendError(res, 422, 'reserved_id', `Mã văn bản "${FAQ_DOCUMENT_ID}" dành riêng cho câu hỏi thường gặp; hãy đặt mã khác (id) cho tệp.`);
    }
    const stored = summary.documents.added + summary.documents.replaced + summary.documents.unchanged;
    if (stored === 0) {
      const reasons = summary.skipped.map((s) => s.reason).join('; ');
      await audit.record({ actor: me.email, action: 'document.upload_rejected', target: `upload:${name}`, details: { skipped: summary.skipped } });
      res.status(422).json({ error: 'unreadable', message: `Không đọc được tệp "${name}": ${reasons}`, summary });
      return;
    }

    // New versions: FAQs citing a provision the new text no longer has, or the whole document if it is no longer current.
    const marked: string[] = [];
    const anyApproved = (await runtime.storage.faqs.count({ status: 'approved' })) > 0;
    for (const d of anyApproved ? written : []) {
      const prev = before.get(d.id);
      const full = await knowledge.getDocument(d.id);
      if (!full) continue;
      const unitIds = new Set(full.units.map((u) => u.id));
      if (NOT_CURRENT.has(full.meta.status) && prev?.meta.status !== full.meta.status) {
        marked.push(...(await reviewFaqsCitingDocument(deps, { docId: d.id, unitIds }, statusReason(full, full.meta.status), me.email)));
      } else if (prev) {
        const reason = `Văn bản ${docLabel(full)} vừa được cập nhật và không còn điều, khoản được dẫn.`;
        const gone = (id: string) => id.startsWith(`${d.id}::`) && !unitIds.has(id);
        marked.push(...(await reviewFaqsCitingDocument(deps, { docId: d.id, only: gone }, reason, me.email)));
      }
    }
    const shown = written.length ? written : [await knowledge.findBySource(`upload:${name}`)].filter((d): d is DocumentSummary => d !== undefined);
    await audit.record({
      actor: me.email,
      action: 'document.upload',
      target: shown.length === 1 ? `document:${shown[0].id}` : `upload:${name}`,
      details: { file: name, bytes: req.body.length, documents: summary.documents, ids: written.map((d) => d.id), skipped: summary.skipped },
    });
    res.status(summary.documents.added > 0 ? 201 : 200).json({ summary, documents: shown.map(summaryView), faqsMarkedForReview: marked });
  });

  router.patch('/documents/:id/meta', admin, json, async (req, res) => {
    const params = parseOr400(documentIdParams, req.params, res);
    const patch = params && parseOr400(metaPatchSchema, req.body, res);
    if (!params || !patch) return;
    const doc = await changeable(params.id, res);
    if (!doc) return;
    const meta: DocumentMeta = { ...doc.meta };
    const changed: Record<string, { from: unknown; to: unknown }> = {};
    for (const [key, value] of Object.entries(patch) as [keyof DocumentMeta, unknown][]) {
      const from = meta[key];
      if (value === null) delete meta[key];
      else (meta as unknown as Record<string, unknown>)[key] = value;
      if (JSON.stringify(from) !== JSON.stringify(meta[key])) changed[key] = { from: from ?? null, to: meta[key] ?? null };
    }
    const me = currentUser(res);
    const marked = await applyMeta(doc, meta, me.email);
    await audit.record({ actor: me.email, action: 'document.meta', target: `document:${doc.id}`, details: { changed, faqsMarkedForReview: marked } });
    res.json({ document: summaryView({ ...doc, meta }), faqsMarkedForReview: marked });
  });

  router.post('/documents/:id/status', admin, json, async (req, res) => {
    const params = parseOr400(documentIdParams, req.params, res);
    const body = params && parseOr400(statusChangeSchema, req.body, res);
    if (!params || !body) return;
    const doc = await changeable(params.id, res);
    if (!doc) return;
    const meta: DocumentMeta = { ...doc.meta, status: body.status };
    if (body.supersededBy) meta.supersededBy = body.supersededBy;
    // Back in force: nothing replaces it any more.
    if (body.status === 'in_force') delete meta.supersededBy;
    const me = currentUser(res);
    const marked = await applyMeta(doc, meta, me.email);
    await audit.record({
      actor: me.email,
      action: 'document.status',
      target: `document:${doc.id}`,
      details: { from: doc.meta.status, to: meta.status, supersededBy: meta.supersededBy, faqsMarkedForReview: marked },
    });
    res.json({ document: summaryView({ ...doc, meta }), faqsMarkedForReview: marked });
  });

  router.delete('/documents/:id', admin, async (req, res) => {
    const params = parseOr400(documentIdParams, req.params, res);
    if (!params) return;
    const doc = await changeable(params.id, res);
    if (!doc) return;
    const me = currentUser(res);
    await library.remove(doc.id);
    const unitIds = new Set(doc.units.map((u) => u.id));
    const marked = await reviewFaqsCitingDocument(deps, { docId: doc.id, unitIds }, `Văn bản ${docLabel(doc)} đã bị xoá khỏi kho văn bản.`, me.email);
    await audit.record({
      actor: me.email,
      action: 'document.delete',
      target: `document:${doc.id}`,
      details: { title: doc.title, source: doc.source, units: doc.units.length, faqsMarkedForReview: marked },
    });
    res.json({ deleted: doc.id, faqsMarkedForReview: marked });
  });

  const tags = ['documents'];
  const notFound = { description: 'No such document', schema: errorSchema };
  const managed = { description: 'The FAQ document (managed_by_faqs): change FAQs instead', schema: errorSchema };
  return {
    router,
    paths: {
      '/documents': {
        get: operation('get', {
          summary: 'List documents',
          tags,
          roles: ANY_ROLE,
          responses: { 200: { description: 'Documents with metadata and unit/article counts', schema: z.object({ items: z.array(documentSummarySchema) }) } },
        }),
        post: {
          ...operation('post', {
            summary: 'Upload a document',
            description:
              `The raw file is the body (send \`Content-Type: application/octet-stream\`), its name in the \`${FILENAME_HEADER}\` header, URL-encoded. ` +
              'Formats: .md (front matter), .txt, .html, .docx, .pdf (with a text layer), .jsonl. Uploading the same name again replaces the earlier version. ' +
              `At most LOA_MAX_FILE_MB (${config.LOA_MAX_FILE_MB} MB).`,
            tags,
            roles: ['admin'],
            responses: {
              200: { description: 'Replaced or unchanged', schema: uploadResultSchema },
              201: { description: 'Added', schema: uploadResultSchema },
              400: { description: 'Missing file name', schema: errorSchema },
              413: { description: 'Larger than LOA_MAX_FILE_MB', schema: errorSchema },
              422: {
                description: 'Nothing could be read (error unreadable, with the ingest summary and reasons), or the reserved id "faq" (reserved_id). Stored documents are untouched.',
                schema: errorSchema.extend({ summary: uploadResultSchema.shape.summary.optional() }),
              },
            },
          }),
          parameters: [{ name: FILENAME_HEADER, in: 'header', required: true, description: 'URL-encoded file name, e.g. lu%E1%BA%ADt-c%C6%B0-tr%C3%BA.md', schema: { type: 'string' } }],
          requestBody: { required: true, content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } },
        },
      },
      '/documents/index-status': {
        get: operation('get', {
          summary: 'The retrieval index build status',
          description:
            'idle (the serving index is the newest build), building (with the stage and progress) or failed (with the reason; the previous index keeps answering). ' +
            'Builds run in a worker thread, so questions are answered throughout.',
          tags,
          roles: ANY_ROLE,
          responses: { 200: { description: 'Build status of this instance', schema: z.object({ index: indexStatusSchema }) } },
        }),
      },
      '/documents/{id}': {
        get: operation('get', {
          summary: 'A document and its parsed structure',
          tags,
          roles: ANY_ROLE,
          params: documentIdParams,
          responses: { 200: { description: 'The document with its units in order', schema: z.object({ document: documentDetailSchema }) }, 404: notFound },
        }),
        delete: operation('delete', {
          summary: 'Delete a document',
          description: 'Approved FAQs citing it are moved to needs_review.',
          tags,
          roles: ['admin'],
          params: documentIdParams,
          responses: {
            200: { description: 'Deleted', schema: z.object({ deleted: z.string(), faqsMarkedForReview: z.array(z.string()) }) },
            404: notFound,
            409: managed,
          },
        }),
      },
      '/documents/{id}/meta': {
        patch: operation('patch', {
          summary: 'Correct a document\'s metadata',
          description: '`null` removes a field. A status change to superseded, amended or expired moves approved FAQs citing the document to needs_review.',
          tags,
          roles: ['admin'],
          params: documentIdParams,
          body: metaPatchSchema,
          responses: { 200: { description: 'Updated', schema: changeResultSchema }, 400: { description: 'Invalid', schema: errorSchema }, 404: notFound, 409: managed },
        }),
      },
      '/documents/{id}/status': {
        post: operation('post', {
          summary: 'Change a document\'s legal status',
          description: 'superseded, amended or expired: approved FAQs citing it move to needs_review. in_force clears supersededBy.',
          tags,
          roles: ['admin'],
          params: documentIdParams,
          body: statusChangeSchema,
          responses: { 200: { description: 'Updated', schema: changeResultSchema }, 400: { description: 'Invalid', schema: errorSchema }, 404: notFound, 409: managed },
        }),
      },
    },
  };
}
