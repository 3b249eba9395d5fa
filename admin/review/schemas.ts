import { z } from 'zod';
import { FEEDBACK_REASONS } from '../../bots/core/ports.ts';
import { CHANNELS } from '../../domain/channel.ts';
import { citationSchema } from '../escalations/schemas.ts';

export const reviewQuerySchema = z.object({
  status: z.enum(['pending', 'reviewed', 'all']).default('pending').describe('pending: not reviewed yet'),
  cause: z.enum(['down', 'low_confidence']).optional().describe('down: the citizen gave 👎; low_confidence: answered under LOA_REVIEW_CONFIDENCE'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export const reviewTurnParams = z.object({ turnId: z.string().min(1).max(64) });

export const answerReviewSchema = z.object({
  turnId: z.string(),
  reviewedBy: z.string(),
  reviewedAt: z.string(),
  faqId: z.string().optional().describe('The FAQ draft made from this answer'),
});

export const reviewItemSchema = z.object({
  turnId: z.string(),
  channel: z.enum(CHANNELS),
  question: z.string().optional().describe("The citizen's words"),
  answer: z.string().optional().describe("Loa's reply"),
  citations: z.array(citationSchema),
  confidence: z.number().optional(),
  outcome: z.string().optional(),
  feedback: z.enum(['up', 'down']).optional(),
  feedbackReason: z.enum(FEEDBACK_REASONS).optional().describe('Why 👎: wrong (Sai), incomplete (Chưa đủ), unclear (Khó hiểu)'),
  causes: z.array(z.enum(['down', 'low_confidence'])),
  createdAt: z.string(),
  review: answerReviewSchema.optional(),
});

export const reviewListSchema = z.object({
  items: z.array(reviewItemSchema).describe('Newest first'),
  total: z.number().int(),
  confidenceBelow: z.number().describe('LOA_REVIEW_CONFIDENCE'),
});

export const reviewCountsSchema = z.object({
  pending: z.object({ down: z.number().int(), lowConfidence: z.number().int(), total: z.number().int() }),
  reviewed: z.number().int(),
  confidenceBelow: z.number(),
});
