import { z } from 'zod';
import { FAQ_STATUSES } from '../ports.ts';
import { citationInputSchema, citationSchema } from '../escalations/schemas.ts';
import { fold } from '../../domain/fold.ts';

/** Collapses whitespace and composes accents, so "Thủ tục" typed two ways is one question. */
const cleanText = (s: string) => s.normalize('NFC').replace(/\s+/gu, ' ').trim();

const question = z.string().transform(cleanText).pipe(z.string().min(3, 'Câu hỏi quá ngắn').max(1000));
const answer = z
  .string()
  .transform((s) => s.normalize('NFC').trim())
  .pipe(z.string().min(1, 'Cần nội dung câu trả lời').max(10_000));

/** Folded (no case, no diacritics) form, to drop variants that differ only in accents or case. */
const foldedKey = (s: string) => fold(s).toLowerCase();

const questions = z
  .array(question)
  .min(1, 'Cần ít nhất một cách hỏi')
  .max(20)
  .transform((qs) => qs.filter((q, i) => qs.findIndex((o) => foldedKey(o) === foldedKey(q)) === i))
  .describe('Ways citizens ask it; the first is the heading. Variants differing only in case or accents are merged.');

const citations = z
  .array(citationInputSchema)
  .max(10)
  .describe('Legal basis: the id of a knowledge unit (e.g. "luat-cu-tru::20.2"; the rest is filled in from the document), or a complete citation');

const statusList = z
  .string()
  .max(100)
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
  .pipe(z.array(z.enum(FAQ_STATUSES)).min(1));

export const faqIdParams = z.object({ id: z.string().min(1).max(20) });

export const faqListQuery = z.object({
  status: statusList.optional().describe('draft, approved, needs_review or retired; several separated by commas'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

export const newFaqSchema = z.object({
  questions,
  answer,
  citations: citations.optional(),
});

export const faqPatchSchema = z
  .object({
    questions: questions.optional(),
    answer: answer.optional(),
    citations: citations.optional(),
    version: z.number().int().min(1).optional().describe('The version the editor started from: a different current version answers 409'),
  })
  .refine((p) => p.questions !== undefined || p.answer !== undefined || p.citations !== undefined, { message: 'Không có gì để sửa' });

export const faqSchema = z.object({
  id: z.string(),
  status: z.enum(FAQ_STATUSES),
  questions: z.array(z.string()),
  answer: z.string(),
  citations: z.array(citationSchema),
  createdBy: z.string(),
  approvedBy: z.string().optional(),
  approvedAt: z.string().optional(),
  retiredBy: z.string().optional(),
  retiredAt: z.string().optional(),
  reviewReason: z.string().optional().describe('Why it needs review, e.g. which cited document was superseded'),
  sourceEscalationId: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string(),
  version: z.number().int(),
  unitId: z.string().describe('Citation id of the FAQ in answers: faq::<id>'),
  usage: z
    .object({ count: z.number().int(), lastUsedAt: z.string().optional() })
    .describe('Conversation turns that cited this FAQ since its (latest) approval'),
});

export type FaqView = z.infer<typeof faqSchema>;
