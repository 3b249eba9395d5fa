import { z } from 'zod';
import { DOCUMENT_STATUSES, documentMetaShape } from '../../domain/document.ts';

/** Document ids may contain "/" (folders): clients send them URL-encoded in one path segment. */
export const documentIdParams = z.object({ id: z.string().min(1).max(300).describe('Document id, URL-encoded (it may contain "/")') });

const text = z.string().trim().min(1).max(500);
const isoDay = z.iso.date().describe('yyyy-mm-dd');
const httpUrl = z.url({ protocol: /^https?$/ }).max(2000);
const textList = z.array(z.string().trim().min(1).max(300)).max(50);

/**
 * Changes to a document's metadata; `null` removes a field. Changing `status` here has the
 * same effect as `POST /documents/{id}/status`.
 */
export const metaPatchSchema = z
  .strictObject({
    number: text.nullable().optional().describe('Số hiệu, e.g. 68/2020/QH14'),
    docType: text.nullable().optional().describe('Luật, Nghị định, Thông tư …'),
    issuer: text.nullable().optional(),
    issuedDate: isoDay.nullable().optional(),
    effectiveDate: isoDay.nullable().optional(),
    status: z.enum(DOCUMENT_STATUSES).optional(),
    supersededBy: text.nullable().optional(),
    url: httpUrl.nullable().optional(),
    isSummary: z.boolean().nullable().optional(),
    legalBasis: textList.nullable().optional(),
    aliases: textList.nullable().optional(),
  })
  .refine((p) => Object.keys(p).length > 0, { message: 'Không có gì để sửa' });

export const statusChangeSchema = z.object({
  status: z.enum(DOCUMENT_STATUSES),
  supersededBy: text.optional().describe('Number or title of the replacing/amending document'),
});

export const documentSummarySchema = z.object({
  id: z.string(),
  title: z.string(),
  source: z.string().describe('File path, upload:<name>, jsonl:<file>#<law id>, or loa:faqs'),
  meta: documentMetaShape,
  unitCount: z.number().int(),
  articleCount: z.number().int(),
  ingestedAt: z.string(),
  managedBy: z.literal('faqs').optional().describe('Set on the document that holds the approved FAQs: change it through /faqs'),
});

export const unitSchema = z.object({
  id: z.string().describe('Citation id'),
  docId: z.string().optional().describe('The document it belongs to'),
  kind: z.enum(['article', 'clause', 'passage', 'faq']),
  parentId: z.string().optional(),
  section: z.string(),
  articleNo: z.string().optional(),
  clauseNo: z.string().optional(),
  pointNo: z.string().optional(),
  heading: z.string().optional(),
  text: z.string(),
});

export const documentDetailSchema = documentSummarySchema.extend({ units: z.array(unitSchema) });

export const ingestSummarySchema = z.object({
  documents: z.object({ added: z.number().int(), replaced: z.number().int(), unchanged: z.number().int() }),
  articles: z.number().int(),
  units: z.number().int(),
  skipped: z.array(z.object({ source: z.string(), reason: z.string() })),
  warnings: z.array(z.string()).describe('For staff: e.g. two versions of one document both in force'),
});

export const uploadResultSchema = z.object({
  summary: ingestSummarySchema,
  documents: z.array(documentSummarySchema).describe('Documents added or replaced (or the unchanged one)'),
  faqsMarkedForReview: z.array(z.string()),
});

export const changeResultSchema = z.object({
  document: documentSummarySchema,
  faqsMarkedForReview: z.array(z.string()).describe('Approved FAQs citing the document that now need review'),
});

const buildProgressSchema = z.object({ stage: z.string(), done: z.number().int(), total: z.number().int() });

/** The retrieval index's build status (knowledge/library/index-status.ts). */
export const indexStatusSchema = z.object({
  state: z.enum(['idle', 'building', 'failed']),
  servingRevision: z.number().describe('Knowledge revision of the index answering questions now'),
  units: z.number().int().describe('Units (articles, clauses, passages, FAQs) in the serving index'),
  building: z.object({ revision: z.number(), startedAt: z.string(), progress: buildProgressSchema.optional() }).optional(),
  lastBuild: z.object({ at: z.string(), ms: z.number() }).optional().describe('The last successful build in this instance'),
  failure: z.object({ at: z.string(), reason: z.string() }).optional().describe('The last build failed: why (the previous index keeps serving)'),
});
