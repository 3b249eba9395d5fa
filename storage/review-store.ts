/**
 * Answers to check: 👎 and low confidence.
 * Declared by the console, which owns this port (admin/ports.ts);
 * re-exported here for storage's implementations.
 */
export { FAQ_CLAIM_MS } from '../admin/ports.ts';
export type { ReviewCause, AnswerReview, ReviewItem, ReviewFilter, ReviewCounts, ReviewStore } from '../admin/ports.ts';
