import { z } from 'zod';
import { CHANNELS } from '../../domain/channel.ts';
import { citationSchema } from '../../domain/citation.ts';
import { DOCUMENT_STATUSES } from '../../domain/document.ts';
import { ESCALATION_STATUSES } from '../../storage/escalation-store.ts';
import { emailSchema } from '../users/schemas.ts';

/** Why an officer closes a question without answering it. */
export const CLOSE_REASONS = ['duplicate', 'spam', 'out_of_remit', 'other'] as const;

const statusList = z
  .string()
  .max(100)
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
  .pipe(z.array(z.enum(ESCALATION_STATUSES)).min(1));

export const listQuerySchema = z.object({
  status: statusList.optional().describe('open, claimed, answered or closed; several separated by commas'),
  channel: z.enum(CHANNELS).optional(),
  assignee: z.string().trim().min(1).max(254).optional().describe("Officer email, or 'me'"),
  q: z.string().trim().min(1).max(200).optional().describe('Words in the question (case and diacritics ignored)'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const idParams = z.object({ id: z.string().min(1).max(100) });

export const assignSchema = z.object({ officer: emailSchema.describe('Email of an active spokesperson or administrator') });

export const closeSchema = z
  .object({
    reason: z.enum(CLOSE_REASONS),
    note: z.string().trim().max(500).optional().describe("Free text; required when reason is 'other'"),
  })
  .refine((b) => b.reason !== 'other' || (b.note !== undefined && b.note.length > 0), { message: "Cần ghi rõ lý do khi chọn 'other'", path: ['note'] });

const httpUrl = z.url({ protocol: /^https?$/ });

/**
 * A citation in a reply: the id of one of the escalation's candidates (the rest is taken
 * from it), or a complete citation (title, section and quote at least).
 */
export const citationInputSchema = z.object({
  id: z.string().min(1).max(300),
  title: z.string().max(500).optional(),
  section: z.string().max(300).optional(),
  number: z.string().max(100).optional(),
  url: httpUrl.max(2000).optional(),
  status: z.enum(DOCUMENT_STATUSES).optional(),
  quote: z.string().max(5000).optional(),
  score: z.number().min(0).max(1).optional(),
  isSummary: z.boolean().optional(),
  kind: z.enum(['document', 'faq']).optional(),
});

export const replySchema = z.object({
  text: z.string().trim().min(1).max(10_000),
  citations: z.array(citationInputSchema).max(10).optional(),
  saveAsFaq: z.boolean().optional().describe('Also propose the question and this answer as an FAQ draft'),
});

export { citationSchema };

export const inboxItemSchema = z.object({
  id: z.string(),
  sourceKey: z.string().optional().describe('What created it, e.g. inbox:<event id> (one escalation per source)'),
  status: z.enum(ESCALATION_STATUSES),
  reason: z.enum(['abstained', 'requested', 'error']),
  abstainReason: z.string().optional(),
  channel: z.enum(CHANNELS),
  recipient: z.object({ channel: z.enum(CHANNELS), userId: z.string(), address: z.record(z.string(), z.unknown()) }),
  userName: z.string().optional(),
  question: z.string().describe('The citizen\'s words, as sent: render as text, never as HTML'),
  context: z.array(z.object({ at: z.string(), userText: z.string().optional(), replyText: z.string().optional() })),
  candidates: z.array(citationSchema).describe('What retrieval found but was not confident about'),
  createdAt: z.string(),
  updatedAt: z.string(),
  assignee: z.string().optional(),
  claimedAt: z.string().optional(),
  closedReason: z.string().optional(),
  answerText: z.string().optional(),
  answerCitations: z.array(citationSchema).optional(),
  answeredBy: z.string().optional(),
  answeredAt: z.string().optional(),
  deliveryStatus: z.enum(['none', 'pending', 'sent', 'failed']),
  deliveryError: z.string().optional(),
  deliveredAt: z.string().optional(),
  waitingSeconds: z.number().int().describe('How long the citizen has waited (until answered or closed)'),
  zaloWindow: z
    .object({ expiresAt: z.string(), remainingSeconds: z.number().int() })
    .optional()
    .describe("Zalo only: the 48-hour free-reply window since the citizen's last message"),
});

export const historyTurnSchema = z.object({
  at: z.string(),
  intent: z.string(),
  userText: z.string().optional(),
  replyKind: z.string().optional(),
  replyText: z.string().optional(),
});

export const detailSchema = inboxItemSchema.extend({
  history: z.array(historyTurnSchema).describe("The citizen's latest turns on this channel, oldest first"),
});

export const replyResultSchema = z.object({
  delivered: z.boolean(),
  error: z.string().optional(),
  willRetry: z.boolean().optional().describe('Delivery failed for now; the outbox tries again by itself'),
  escalation: inboxItemSchema,
  faq: z.object({ faqId: z.string() }).optional(),
  faqError: z.string().optional(),
});
