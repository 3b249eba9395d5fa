import type { Outcome } from '../domain/answer.ts';
import type { ChannelName } from '../domain/channel.ts';
import type { Citation } from '../domain/citation.ts';
import type { FeedbackReason, FeedbackValue } from './conversation-store.ts';

/**
 * The review queue: answers citizens gave 👎, and answers given at low confidence, for an
 * officer to check, mark reviewed or turn into an FAQ draft. Reads the conversation turns.
 */

/** How long a claim to make an FAQ draft holds without a draft being recorded. */
export const FAQ_CLAIM_MS = 60_000;

/** Why a turn is in the queue. */
export type ReviewCause = 'down' | 'low_confidence';

export interface AnswerReview {
  turnId: string;
  reviewedBy: string;
  reviewedAt: string;
  /** The FAQ draft made from the answer, once made. */
  faqId?: string;
}

export interface ReviewItem {
  turnId: string;
  channel: ChannelName;
  question?: string;
  answer?: string;
  citations: Citation[];
  confidence?: number;
  outcome?: Outcome;
  feedback?: FeedbackValue;
  feedbackReason?: FeedbackReason;
  causes: ReviewCause[];
  createdAt: string;
  review?: AnswerReview;
}

export interface ReviewFilter {
  /** Answers (outcome 'answer') with a confidence under this are in the queue. */
  confidenceBelow: number;
  /** `pending` (default): not reviewed yet; `reviewed`; `all`. */
  status?: 'pending' | 'reviewed' | 'all';
  /** Only one cause. */
  cause?: ReviewCause;
}

export interface ReviewCounts {
  /** Not reviewed yet, by cause (a turn with both causes counts in both) and in all. */
  pending: { down: number; lowConfidence: number; total: number };
  reviewed: number;
}

export interface ReviewStore {
  /** Queue items, newest first. */
  list(filter: ReviewFilter, page: { limit: number; offset: number }): Promise<{ items: ReviewItem[]; total: number }>;
  counts(filter: Pick<ReviewFilter, 'confidenceBelow'>): Promise<ReviewCounts>;
  /** One queue item by turn id (whether or not it is still pending); undefined when the turn is not reviewable. */
  get(turnId: string, filter: Pick<ReviewFilter, 'confidenceBelow'>): Promise<ReviewItem | undefined>;
  /** Marks a turn reviewed; the first review stays (`created: false` for later calls). */
  markReviewed(turnId: string, by: string, at: Date): Promise<{ review: AnswerReview; created: boolean }>;
  /**
   * Claims the right to make the FAQ draft of a turn (marking it reviewed if it was not):
   * true for exactly one caller, even on two instances at once. A claim older than
   * `FAQ_CLAIM_MS` with no draft recorded (its holder crashed) may be taken again.
   */
  claimFaqDraft(turnId: string, by: string, at: Date): Promise<boolean>;
  /** Records the draft made after a successful claim. */
  setFaqDraft(turnId: string, faqId: string): Promise<void>;
  /** Gives a claim back when making the draft failed. */
  releaseFaqDraft(turnId: string): Promise<void>;
}
