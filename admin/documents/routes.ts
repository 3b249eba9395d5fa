import express, { type Request } from 'express';
import { z } from 'zod';
import { documentIdFromPath } from '../../knowledge/document-id.ts';
import type { DocumentMeta, DocumentStatus, KnowledgeDocument } from '../../domain/document.ts';
import type { DocumentSummary } from '../../knowledge/ports.ts';
import { FAQ_DOCUMENT_ID, FAQ_DOCUMENT_SOURCE } from '../faqs/faq-knowledge.ts';
import { reviewFaqsCitingDocument } from '../faqs/review.ts';
import { ApiError } from '../../http/errors.ts';
import { ANY_ROLE, adminRoute, routeModule } from '../route.ts';
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
  const bodyLimit = '64kb';
  const admin = ['admin'] as const;
  const maxFileBytes = config.LOA_MAX_FILE_MB * 1024 * 1024;
  // Any content type: the file's name, not its MIME type, decides the format.
  const raw = express.raw({ type: () => true, limit: maxFileBytes });
  const NOT_FOUND = 'Không tìm thấy văn bản này.';

  /** The document, or a 404 / 409 refusal (the FAQ document changes only through /faqs). */
  const changeable = async (id: string): Promise<KnowledgeDocument> => {
    const doc = await library.changeable(id);
    if (doc === 'not_found') throw new ApiError(404, 'not_found', NOT_FOUND);
    if (doc === 'managed_by_faqs') {
      throw new ApiError(409, 'managed_by_faqs', 'Văn bản này chứa các câu trả lời đã duyệt; hãy thay đổi chúng ở mục Câu hỏi thường gặp.');
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

  const tags = ['documents'];
  const notFound = { codes: ['not_found'], description: 'No such document' };
  const managed = { codes: ['managed_by_faqs'], description: 'The FAQ document: change FAQs instead' };

  return routeModule([
    adminRoute({
      method: 'get',
      path: '/documents',
      summary: 'List documents',
      tags,
      roles: ANY_ROLE,
      responses: { 200: { description: 'Documents with metadata and unit/article counts', schema: z.object({ items: z.array(documentSummarySchema) }) } },
      handler: async () => ({ status: 200, body: { items: (await knowledge.listDocuments()).map(summaryView) } }),
    }),
    adminRoute({
      method: 'get',
      path: '/documents/index-status',
      summary: 'The retrieval index build status',
      description:
        'idle (the serving index is the newest build), building (with the stage and progress) or failed (with the reason; the previous index keeps answering). ' +
        'Builds run in a worker thread, so questions are answered throughout.',
      tags,
      roles: ANY_ROLE,
      responses: { 200: { description: 'Build status of this instance', schema: z.object({ index: indexStatusSchema }) } },
      handler: async () => ({ status: 200, body: { index: library.status() } }),
    }),
    adminRoute({
      method: 'get',
      path: '/documents/{id}',
      summary: 'A document and its parsed structure',
      tags,
      roles: ANY_ROLE,
      params: documentIdParams,
      responses: { 200: { description: 'The document with its units in order', schema: z.object({ document: documentDetailSchema }) } },
      errors: { 404: notFound },
      handler: async ({ params }) => {
        const doc = await knowledge.getDocument(params.id);
        if (!doc) throw new ApiError(404, 'not_found', NOT_FOUND);
        return { status: 200, body: { document: { ...summaryView(doc), units: doc.units } } };
      },
    }),
    adminRoute({
      method: 'post',
      path: '/documents',
      summary: 'Upload a document',
      description:
        `The raw file is the body (send \`Content-Type: application/octet-stream\`), its name in the \`${FILENAME_HEADER}\` header, URL-encoded. ` +
        'Formats: .md (front matter), .txt, .html, .docx, .pdf (with a text layer), .jsonl. Uploading the same name again replaces the earlier version. ' +
        `At most LOA_MAX_FILE_MB (${config.LOA_MAX_FILE_MB} MB). Nothing readable (unreadable, with the ingest summary) or the reserved id "faq" (reserved_id) is 422; stored documents are untouched.`,
      tags,
      roles: admin,
      before: [raw],
      parameters: [{ name: FILENAME_HEADER, in: 'header', required: true, description: 'URL-encoded file name, e.g. lu%E1%BA%ADt-c%C6%B0-tr%C3%BA.md', schema: { type: 'string' } }],
      requestBody: { required: true, content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } },
      responses: {
        200: { description: 'Replaced or unchanged', schema: uploadResultSchema },
        201: { description: 'Added', schema: uploadResultSchema },
      },
      errors: {
        400: { codes: ['missing_filename', 'invalid_body'], description: 'Missing file name, or a body that is not the raw file' },
        413: { codes: ['payload_too_large'], description: 'Larger than LOA_MAX_FILE_MB' },
        422: [
          { codes: ['reserved_id'], description: 'The reserved id "faq"' },
          { codes: ['unreadable'], description: 'Nothing could be read: `summary` has the reasons', extra: { summary: uploadResultSchema.shape.summary } },
        ],
      },
      handler: async ({ req, res }) => {
        const name = uploadName(req);
        if (!name) throw new ApiError(400, 'missing_filename', `Thiếu hoặc sai tên tệp (tiêu đề ${FILENAME_HEADER}, mã hoá URL).`);
        if (!Buffer.isBuffer(req.body)) throw new ApiError(400, 'invalid_body', 'Nội dung tệp phải được gửi nguyên dạng (application/octet-stream).');
        if (documentIdFromPath(name) === FAQ_DOCUMENT_ID) {
          throw new ApiError(422, 'reserved_id', `Tên "${name}" trùng với mã dành riêng cho câu hỏi thường gặp; hãy đổi tên tệp.`);
        }
        const file: Buffer = req.body;
        const me = currentUser(res);
        const { summary, written, before, reservedId } = await library.upload(name, file);
        if (reservedId) {
          throw new ApiError(422, 'reserved_id', `Mã văn bản "${FAQ_DOCUMENT_ID}" dành riêng cho câu hỏi thường gặp; hãy đặt mã khác (id) cho tệp.`);
        }
        const stored = summary.documents.added + summary.documents.replaced + summary.documents.unchanged;
        if (stored === 0) {
          const reasons = summary.skipped.map((s) => s.reason).join('; ');
          await audit.record({ actor: me.email, action: 'document.upload_rejected', target: `upload:${name}`, details: { skipped: summary.skipped } });
          throw new ApiError(422, 'unreadable', `Không đọc được tệp "${name}": ${reasons}`, { summary });
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
          details: { file: name, bytes: file.length, documents: summary.documents, ids: written.map((d) => d.id), skipped: summary.skipped },
        });
        const out = { summary, documents: shown.map(summaryView), faqsMarkedForReview: marked };
        return summary.documents.added > 0 ? { status: 201, body: out } : { status: 200, body: out };
      },
    }),
    adminRoute({
      method: 'patch',
      path: '/documents/{id}/meta',
      summary: "Correct a document's metadata",
      description: '`null` removes a field. A status change to superseded, amended or expired moves approved FAQs citing the document to needs_review.',
      tags,
      roles: admin,
      params: documentIdParams,
      body: metaPatchSchema,
      bodyLimit,
      responses: { 200: { description: 'Updated', schema: changeResultSchema } },
      errors: { 404: notFound, 409: managed },
      handler: async ({ params, body: patch, res }) => {
        const doc = await changeable(params.id);
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
        return { status: 200, body: { document: summaryView({ ...doc, meta }), faqsMarkedForReview: marked } };
      },
    }),
    adminRoute({
      method: 'post',
      path: '/documents/{id}/status',
      summary: "Change a document's legal status",
      description: 'superseded, amended or expired: approved FAQs citing it move to needs_review. in_force clears supersededBy.',
      tags,
      roles: admin,
      params: documentIdParams,
      body: statusChangeSchema,
      bodyLimit,
      responses: { 200: { description: 'Updated', schema: changeResultSchema } },
      errors: { 404: notFound, 409: managed },
      handler: async ({ params, body, res }) => {
        const doc = await changeable(params.id);
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
        return { status: 200, body: { document: summaryView({ ...doc, meta }), faqsMarkedForReview: marked } };
      },
    }),
    adminRoute({
      method: 'delete',
      path: '/documents/{id}',
      summary: 'Delete a document',
      description: 'Approved FAQs citing it are moved to needs_review.',
      tags,
      roles: admin,
      params: documentIdParams,
      responses: { 200: { description: 'Deleted', schema: z.object({ deleted: z.string(), faqsMarkedForReview: z.array(z.string()) }) } },
      errors: { 404: notFound, 409: managed },
      handler: async ({ params, res }) => {
        const doc = await changeable(params.id);
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
        return { status: 200, body: { deleted: doc.id, faqsMarkedForReview: marked } };
      },
    }),
  ]);
}
