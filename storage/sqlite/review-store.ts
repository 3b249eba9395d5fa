import type { Outcome } from '../../domain/answer.ts';
import type { ChannelName } from '../../domain/channel.ts';
import type { Citation } from '../../domain/citation.ts';
import type { FeedbackReason, FeedbackValue } from '../conversation-store.ts';
import { REVIEW_FROM, reviewWhere } from '../review-sql.ts';
import { FAQ_CLAIM_MS, type AnswerReview, type ReviewCounts, type ReviewFilter, type ReviewItem, type ReviewStore } from '../review-store.ts';
import { migrate, type SqliteDatabase } from './database.ts';

const MIGRATIONS = [
  `CREATE TABLE answer_reviews (
     turn_id TEXT PRIMARY KEY,
     reviewed_by TEXT NOT NULL,
     reviewed_at TEXT NOT NULL,
     faq_claimed INTEGER NOT NULL DEFAULT 0 CHECK (faq_claimed IN (0, 1)),
     faq_claimed_at TEXT,
     faq_id TEXT
   );
   CREATE INDEX conversation_turns_review ON conversation_turns (feedback, outcome, confidence) WHERE answer_id IS NOT NULL;`,
];

interface ItemRow {
  id: string;
  channel: string;
  user_text: string | null;
  reply_text: string | null;
  citations: string;
  confidence: number | null;
  outcome: string | null;
  feedback: string | null;
  feedback_reason: string | null;
  created_at: string;
  reviewed_by: string | null;
  reviewed_at: string | null;
  faq_id: string | null;
}

interface ReviewRow {
  turn_id: string;
  reviewed_by: string;
  reviewed_at: string;
  faq_id: string | null;
}

const SELECT = `t.id, t.channel, t.user_text, t.reply_text, t.citations, t.confidence, t.outcome, t.feedback, t.feedback_reason, t.created_at,
  r.reviewed_by, r.reviewed_at, r.faq_id`;

function toReview(row: ReviewRow): AnswerReview {
  return { turnId: row.turn_id, reviewedBy: row.reviewed_by, reviewedAt: row.reviewed_at, ...(row.faq_id ? { faqId: row.faq_id } : {}) };
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
    citations: JSON.parse(row.citations) as Citation[],
    ...(row.confidence !== null ? { confidence: row.confidence } : {}),
    ...(row.outcome !== null ? { outcome: row.outcome as Outcome } : {}),
    ...(row.feedback !== null ? { feedback: row.feedback as FeedbackValue } : {}),
    ...(row.feedback_reason !== null ? { feedbackReason: row.feedback_reason as FeedbackReason } : {}),
    causes,
    createdAt: row.created_at,
    ...(row.reviewed_by !== null && row.reviewed_at !== null
      ? { review: toReview({ turn_id: row.id, reviewed_by: row.reviewed_by, reviewed_at: row.reviewed_at, faq_id: row.faq_id }) }
      : {}),
  };
}

/** The review queue over SQLite's conversation turns. Open after the conversation store (it indexes its table). */
export class SqliteReviewStore implements ReviewStore {
  private readonly insertReview;
  private readonly claim;
  private readonly byTurn;
  private readonly setFaq;
  private readonly release;

  constructor(private readonly db: SqliteDatabase) {
    migrate(db, 'reviews', MIGRATIONS);
    this.insertReview = db.prepare('INSERT INTO answer_reviews (turn_id, reviewed_by, reviewed_at) VALUES (?, ?, ?) ON CONFLICT (turn_id) DO NOTHING');
    this.claim = db.prepare(
      `INSERT INTO answer_reviews (turn_id, reviewed_by, reviewed_at, faq_claimed, faq_claimed_at) VALUES (?, ?, ?, 1, ?)
       ON CONFLICT (turn_id) DO UPDATE SET faq_claimed = 1, faq_claimed_at = excluded.faq_claimed_at
       WHERE answer_reviews.faq_claimed = 0 OR (answer_reviews.faq_id IS NULL AND answer_reviews.faq_claimed_at < ?)`,
    );
    this.byTurn = db.prepare('SELECT turn_id, reviewed_by, reviewed_at, faq_id FROM answer_reviews WHERE turn_id = ?');
    this.setFaq = db.prepare('UPDATE answer_reviews SET faq_id = ? WHERE turn_id = ?');
    this.release = db.prepare('UPDATE answer_reviews SET faq_claimed = 0 WHERE turn_id = ? AND faq_id IS NULL');
  }

  async list(filter: ReviewFilter, page: { limit: number; offset: number }): Promise<{ items: ReviewItem[]; total: number }> {
    const where = reviewWhere(filter, () => '?');
    const rows = this.db
      .prepare(`SELECT ${SELECT} FROM ${REVIEW_FROM} WHERE ${where.sql} ORDER BY t.created_at DESC, t.seq DESC LIMIT ? OFFSET ?`)
      .all(...where.params, page.limit, page.offset) as ItemRow[];
    const { n } = this.db.prepare(`SELECT count(*) AS n FROM ${REVIEW_FROM} WHERE ${where.sql}`).get(...where.params) as { n: number };
    return { items: rows.map((r) => toItem(r, filter.confidenceBelow)), total: n };
  }

  async counts(filter: Pick<ReviewFilter, 'confidenceBelow'>): Promise<ReviewCounts> {
    const count = (f: ReviewFilter) => {
      const where = reviewWhere(f, () => '?');
      return (this.db.prepare(`SELECT count(*) AS n FROM ${REVIEW_FROM} WHERE ${where.sql}`).get(...where.params) as { n: number }).n;
    };
    const bar = filter.confidenceBelow;
    return {
      pending: {
        down: count({ confidenceBelow: bar, cause: 'down' }),
        lowConfidence: count({ confidenceBelow: bar, cause: 'low_confidence' }),
        total: count({ confidenceBelow: bar }),
      },
      reviewed: count({ confidenceBelow: bar, status: 'reviewed' }),
    };
  }

  async get(turnId: string, filter: Pick<ReviewFilter, 'confidenceBelow'>): Promise<ReviewItem | undefined> {
    const where = reviewWhere({ ...filter, status: 'all' }, () => '?');
    const row = this.db.prepare(`SELECT ${SELECT} FROM ${REVIEW_FROM} WHERE ${where.sql} AND t.id = ?`).get(...where.params, turnId) as ItemRow | undefined;
    return row && toItem(row, filter.confidenceBelow);
  }

  async markReviewed(turnId: string, by: string, at: Date): Promise<{ review: AnswerReview; created: boolean }> {
    const created = this.insertReview.run(turnId, by, at.toISOString()).changes > 0;
    return { review: toReview(this.byTurn.get(turnId) as ReviewRow), created };
  }

  async claimFaqDraft(turnId: string, by: string, at: Date): Promise<boolean> {
    const now = at.toISOString();
    return this.claim.run(turnId, by, now, now, new Date(at.getTime() - FAQ_CLAIM_MS).toISOString()).changes > 0;
  }

  async setFaqDraft(turnId: string, faqId: string): Promise<void> {
    this.setFaq.run(faqId, turnId);
  }

  async releaseFaqDraft(turnId: string): Promise<void> {
    this.release.run(turnId);
  }
}
