import type { ReviewFilter } from './review-store.ts';

/**
 * The review queue's WHERE clause, shared by both backends: `?` placeholders, in order,
 * for the confidence bar(s). `param(i)` spells the i-th placeholder for the backend.
 */
export function reviewWhere(filter: ReviewFilter, param: (i: number) => string, firstIndex = 1): { sql: string; params: number[] } {
  let i = firstIndex;
  const params: number[] = [];
  const bar = () => {
    params.push(filter.confidenceBelow);
    return param(i++);
  };
  const low = () => `(t.outcome = 'answer' AND t.confidence < ${bar()})`;
  const parts = [
    // Citizens' questions that got an answer (spokesperson replies carry answer ids too, but are not Loa's).
    `t.answer_id IS NOT NULL AND t.intent IN ('question', 'choice')`,
    `(t.feedback = 'down' OR ${low()})`,
  ];
  if (filter.cause === 'down') parts.push(`t.feedback = 'down'`);
  if (filter.cause === 'low_confidence') parts.push(low());
  const status = filter.status ?? 'pending';
  if (status === 'pending') parts.push('r.turn_id IS NULL');
  if (status === 'reviewed') parts.push('r.turn_id IS NOT NULL');
  return { sql: parts.join(' AND '), params };
}

export const REVIEW_FROM = 'conversation_turns t LEFT JOIN answer_reviews r ON r.turn_id = t.id';
