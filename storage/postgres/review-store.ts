import type { Outcome } from '../../domain/answer.ts';
import type { ChannelName } from '../../domain/channel.ts';
import type { Citation } from '../../domain/citation.ts';
import type { FeedbackReason, FeedbackValue } from '../conversation-store.ts';
import { REVIEW_FROM, reviewWhere } from '../review-sql.ts';
import { FAQ_CLAIM_MS, type AnswerReview, type ReviewCounts, type ReviewFilter, type ReviewItem, type ReviewStore } from '../review-store.ts';
import { iso, migrate, query, type PgPool } from './database.ts';

const MIGRATIONS = [
  `CREATE TABLE answer_reviews (
     turn_id text PRIMARY KEY,
     reviewed_by text NOT NULL,
     reviewed_at timestamptz NOT NULL,
     faq_claimed boolean NOT NULL DEFAULT false,
     faq_claimed_at timestamptz,
     faq_id text
   );
   CREATE INDEX conversation_turns_review ON conversation_turns (feedback, outcome, confidence) WHERE answer_id IS NOT NULL;`,
];

interface ItemRow {
  id: string;
  channel: string;
  user_text: string | null;
  reply_text: string | null;
  citations: Citation[];
  confidence: number | null;
  outcome: string | null;
  feedback: string | null;
  feedback_reason: string | null;
  created_at: Date;
  reviewed_by: string | null;
  reviewed_at: Date | null;
  faq_id: string | null;
}

interface ReviewRow {
  turn_id: string;
  reviewed_by: string;
  reviewed_at: Date;
  faq_id: string | null;
}

const SELECT = `t.id, t.channel, t.user_text, t.reply_text, t.citations, t.confidence, t.outcome, t.feedback, t.feedback_reason, t.created_at,
  r.reviewed_by, r.reviewed_at, r.faq_id`;

function toReview(row: ReviewRow): AnswerReview {
  return { turnId: row.turn_id, reviewedBy: row.reviewed_by, reviewedAt: iso(row.reviewed_at), ...(row.faq_id ? { faqId: row.faq_id } : {}) };
}

function toItem(row: ItemRow, bar: number): ReviewItem {
  const causes: ReviewItem['causes'] = [];
  if (row.feedback === 'down') causes.push('down');
  if (row.outcome === 'answer' && row.confidence !== null && row.confidence < bar) causes.push('low_confidence');
  return {
    turnId: row.id,
    channel: row.channel as ChannelName,
    ...(row.user_text !== null ? { question: row.user_text } : {}),
    ...(row.reply_text !== null ? { answer: row.reply_text } : {}),
    citations: row.citations,
    ...(row.confidence !== null ? { confidence: row.confidence } : {}),
    ...(row.outcome !== null ? { outcome: row.outcome as Outcome } : {}),
    ...(row.feedback !== null ? { feedback: row.feedback as FeedbackValue } : {}),
    ...(row.feedback_reason !== null ? { feedbackReason: row.feedback_reason as FeedbackReason } : {}),
    causes,
    createdAt: iso(row.created_at),
    ...(row.reviewed_by !== null && row.reviewed_at !== null
      ? { review: toReview({ turn_id: row.id, reviewed_by: row.reviewed_by, reviewed_at: row.reviewed_at, faq_id: row.faq_id }) }
      : {}),
  };
}

const dollar = (i: number) => `$${i}`;

/** The review queue over PostgreSQL's conversation turns. Open after the conversation store. */
export class PostgresReviewStore implements ReviewStore {
  private constructor(private readonly pool: PgPool) {}

  static async open(pool: PgPool): Promise<PostgresReviewStore> {
    await migrate(pool, 'reviews', MIGRATIONS);
    return new PostgresReviewStore(pool);
  }

  private async count(filter: ReviewFilter): Promise<number> {
    const where = reviewWhere(filter, dollar);
    const { rows } = await query<{ n: string }>(this.pool, `SELECT count(*) AS n FROM ${REVIEW_FROM} WHERE ${where.sql}`, where.params);
    return Number(rows[0].n);
  }

  async list(filter: ReviewFilter, page: { limit: number; offset: number }): Promise<{ items: ReviewItem[]; total: number }> {
    const where = reviewWhere(filter, dollar);
    const n = where.params.length;
    const { rows } = await query<ItemRow>(
      this.pool,
      `SELECT ${SELECT} FROM ${REVIEW_FROM} WHERE ${where.sql} ORDER BY t.created_at DESC, t.seq DESC LIMIT $${n + 1} OFFSET $${n + 2}`,
      [...where.params, page.limit, page.offset],
    );
    return { items: rows.map((r) => toItem(r, filter.confidenceBelow)), total: await this.count(filter) };
  }

  async counts(filter: Pick<ReviewFilter, 'confidenceBelow'>): Promise<ReviewCounts> {
    const bar = filter.confidenceBelow;
    const [down, lowConfidence, total, reviewed] = await Promise.all([
      this.count({ confidenceBelow: bar, cause: 'down' }),
      this.count({ confidenceBelow: bar, cause: 'low_confidence' }),
      this.count({ confidenceBelow: bar }),
      this.count({ confidenceBelow: bar, status: 'reviewed' }),
    ]);
    return { pending: { down, lowConfidence, total }, reviewed };
  }

  async get(turnId: string, filter: Pick<ReviewFilter, 'confidenceBelow'>): Promise<ReviewItem | undefined> {
    const where = reviewWhere({ ...filter, status: 'all' }, dollar);
    const { rows } = await query<ItemRow>(this.pool, `SELECT ${SELECT} FROM ${REVIEW_FROM} WHERE ${where.sql} AND t.id = $${where.params.length + 1}`, [
      ...where.params,
      turnId,
    ]);
    return rows[0] && toItem(rows[0], filter.confidenceBelow);
  }

  async markReviewed(turnId: string, by: string, at: Date): Promise<{ review: AnswerReview; created: boolean }> {
    const inserted = await query<ReviewRow>(
      this.pool,
      `INSERT INTO answer_reviews (turn_id, reviewed_by, reviewed_at) VALUES ($1, $2, $3) ON CONFLICT (turn_id) DO NOTHING
       RETURNING turn_id, reviewed_by, reviewed_at, faq_id`,
      [turnId, by, at],
    );
    if (inserted.rows[0]) return { review: toReview(inserted.rows[0]), created: true };
    const { rows } = await query<ReviewRow>(this.pool, 'SELECT turn_id, reviewed_by, reviewed_at, faq_id FROM answer_reviews WHERE turn_id = $1', [turnId]);
    return { review: toReview(rows[0]), created: false };
  }

  async claimFaqDraft(turnId: string, by: string, at: Date): Promise<boolean> {
    const { rowCount } = await query(
      this.pool,
      `INSERT INTO answer_reviews (turn_id, reviewed_by, reviewed_at, faq_claimed, faq_claimed_at) VALUES ($1, $2, $3, true, $3)
       ON CONFLICT (turn_id) DO UPDATE SET faq_claimed = true, faq_claimed_at = excluded.faq_claimed_at
       WHERE answer_reviews.faq_claimed = false OR (answer_reviews.faq_id IS NULL AND answer_reviews.faq_claimed_at < $4)`,
      [turnId, by, at, new Date(at.getTime() - FAQ_CLAIM_MS)],
    );
    return (rowCount ?? 0) > 0;
  }

  async setFaqDraft(turnId: string, faqId: string): Promise<void> {
    await query(this.pool, 'UPDATE answer_reviews SET faq_id = $1 WHERE turn_id = $2', [faqId, turnId]);
  }

  async releaseFaqDraft(turnId: string): Promise<void> {
    await query(this.pool, 'UPDATE answer_reviews SET faq_claimed = false WHERE turn_id = $1 AND faq_id IS NULL', [turnId]);
  }
}
