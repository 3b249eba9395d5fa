import { randomUUID } from 'node:crypto';
import type { AbstainReason, Outcome } from '../../domain/answer.ts';
import type { ChannelName, OutgoingKind } from '../../domain/channel.ts';
import type { Citation } from '../../domain/citation.ts';
import type {
  ConversationStore,
  ConversationTurn,
  FeedbackReason,
  FeedbackValue,
  NewConversationTurn,
  TurnIntent,
  TurnMenu,
} from '../conversation-store.ts';
import { migrate, type SqliteDatabase } from './database.ts';

/** Report fields (channel, intent, created_at, abstained, escalated, feedback) are plain, indexed columns. */
const MIGRATIONS = [
  `CREATE TABLE conversation_turns (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     id TEXT NOT NULL UNIQUE,
     inbox_id INTEGER UNIQUE,
     channel TEXT NOT NULL,
     user_id TEXT NOT NULL,
     intent TEXT NOT NULL,
     user_text TEXT,
     reply_kind TEXT,
     reply_text TEXT,
     citations TEXT NOT NULL DEFAULT '[]',
     citation_count INTEGER NOT NULL DEFAULT 0,
     answer_id TEXT UNIQUE,
     confidence REAL,
     abstained INTEGER NOT NULL DEFAULT 0 CHECK (abstained IN (0, 1)),
     abstain_reason TEXT,
     escalated INTEGER NOT NULL DEFAULT 0 CHECK (escalated IN (0, 1)),
     escalation_id TEXT,
     feedback TEXT CHECK (feedback IN ('up', 'down')),
     feedback_at TEXT,
     delivery_error TEXT,
     created_at TEXT NOT NULL
   );
   CREATE INDEX conversation_turns_user ON conversation_turns (channel, user_id, seq);
   CREATE INDEX conversation_turns_created ON conversation_turns (created_at, channel, intent);`,
  // The four outcomes: what retrieval decided, the reply's menu (buttons) and who used it, why 👎.
  `ALTER TABLE conversation_turns ADD COLUMN outcome TEXT;
   ALTER TABLE conversation_turns ADD COLUMN menu TEXT;
   ALTER TABLE conversation_turns ADD COLUMN menu_used_by INTEGER;
   ALTER TABLE conversation_turns ADD COLUMN feedback_reason TEXT CHECK (feedback_reason IN ('wrong', 'incomplete', 'unclear'));`,
];

interface TurnRow {
  id: string;
  inbox_id: number | null;
  channel: string;
  user_id: string;
  intent: string;
  user_text: string | null;
  reply_kind: string | null;
  reply_text: string | null;
  citations: string;
  answer_id: string | null;
  confidence: number | null;
  abstained: number;
  abstain_reason: string | null;
  escalated: number;
  escalation_id: string | null;
  feedback: string | null;
  feedback_at: string | null;
  delivery_error: string | null;
  outcome: string | null;
  menu: string | null;
  menu_used_by: number | null;
  feedback_reason: string | null;
  created_at: string;
}

function toTurn(row: TurnRow): ConversationTurn {
  return {
    id: row.id,
    inboxId: row.inbox_id ?? undefined,
    channel: row.channel as ChannelName,
    userId: row.user_id,
    intent: row.intent as TurnIntent,
    userText: row.user_text ?? undefined,
    replyKind: (row.reply_kind ?? undefined) as OutgoingKind | undefined,
    replyText: row.reply_text ?? undefined,
    citations: JSON.parse(row.citations) as Citation[],
    answerId: row.answer_id ?? undefined,
    confidence: row.confidence ?? undefined,
    abstained: row.abstained === 1,
    abstainReason: (row.abstain_reason ?? undefined) as AbstainReason | undefined,
    escalated: row.escalated === 1,
    escalationId: row.escalation_id ?? undefined,
    feedback: (row.feedback ?? undefined) as FeedbackValue | undefined,
    feedbackAt: row.feedback_at ?? undefined,
    deliveryError: row.delivery_error ?? undefined,
    ...(row.feedback_reason !== null ? { feedbackReason: row.feedback_reason as FeedbackReason } : {}),
    ...(row.outcome !== null ? { outcome: row.outcome as Outcome } : {}),
    ...(row.menu !== null ? { menu: JSON.parse(row.menu) as TurnMenu } : {}),
    ...(row.menu_used_by !== null ? { menuUsedBy: row.menu_used_by } : {}),
    createdAt: row.created_at,
  };
}

/** Conversation turns in SQLite. */
export class SqliteConversationStore implements ConversationStore {
  private readonly insert;
  private readonly byId;
  private readonly byInbox;
  private readonly byAnswer;
  private readonly recent;
  private readonly latestAnswered;
  private readonly feedback;
  private readonly deliveryError;
  private readonly reason;
  private readonly claim;

  constructor(db: SqliteDatabase) {
    migrate(db, 'conversations', MIGRATIONS);
    this.insert = db.prepare(
      `INSERT INTO conversation_turns (id, inbox_id, channel, user_id, intent, user_text, reply_kind, reply_text, citations,
         citation_count, answer_id, confidence, abstained, abstain_reason, escalated, escalation_id, outcome, menu, created_at)
       VALUES (@id, @inboxId, @channel, @userId, @intent, @userText, @replyKind, @replyText, @citations,
         @citationCount, @answerId, @confidence, @abstained, @abstainReason, @escalated, @escalationId, @outcome, @menu, @createdAt)
       ON CONFLICT (inbox_id) DO NOTHING`,
    );
    this.byId = db.prepare('SELECT * FROM conversation_turns WHERE id = ?');
    this.byInbox = db.prepare('SELECT * FROM conversation_turns WHERE inbox_id = ?');
    this.byAnswer = db.prepare('SELECT * FROM conversation_turns WHERE answer_id = ?');
    this.recent = db.prepare('SELECT * FROM conversation_turns WHERE channel = ? AND user_id = ? ORDER BY seq DESC LIMIT ?');
    this.latestAnswered = db.prepare(
      'SELECT * FROM conversation_turns WHERE channel = ? AND user_id = ? AND answer_id IS NOT NULL ORDER BY seq DESC LIMIT 1',
    );
    this.feedback = db.prepare('UPDATE conversation_turns SET feedback = ?, feedback_reason = NULL, feedback_at = ? WHERE answer_id = ?');
    this.deliveryError = db.prepare('UPDATE conversation_turns SET delivery_error = ? WHERE id = ?');
    this.reason = db.prepare(
      "UPDATE conversation_turns SET feedback = 'down', feedback_reason = ?, feedback_at = ? WHERE answer_id = ?",
    );
    // One statement: the check and the mark cannot interleave with another press.
    this.claim = db.prepare(
      'UPDATE conversation_turns SET menu_used_by = @inboxId WHERE id = @id AND menu IS NOT NULL AND (menu_used_by IS NULL OR menu_used_by = @inboxId)',
    );
  }

  async recordTurn(turn: NewConversationTurn): Promise<ConversationTurn> {
    const id = randomUUID();
    const citations = turn.citations ?? [];
    const result = this.insert.run({
      id,
      inboxId: turn.inboxId ?? null,
      channel: turn.channel,
      userId: turn.userId,
      intent: turn.intent,
      userText: turn.userText ?? null,
      replyKind: turn.replyKind ?? null,
      replyText: turn.replyText ?? null,
      citations: JSON.stringify(citations),
      citationCount: citations.length,
      answerId: turn.answerId ?? null,
      confidence: turn.confidence ?? null,
      abstained: turn.abstained ? 1 : 0,
      abstainReason: turn.abstainReason ?? null,
      escalated: turn.escalated ? 1 : 0,
      escalationId: turn.escalationId ?? null,
      outcome: turn.outcome ?? null,
      menu: turn.menu ? JSON.stringify(turn.menu) : null,
      createdAt: turn.createdAt,
    });
    // Nothing inserted: this inbox event already has its turn.
    const row = result.changes === 0 ? this.byInbox.get(turn.inboxId) : this.byId.get(id);
    return toTurn(row as TurnRow);
  }

  async turnForInbox(inboxId: number): Promise<ConversationTurn | undefined> {
    const row = this.byInbox.get(inboxId) as TurnRow | undefined;
    return row && toTurn(row);
  }

  async recentTurns(channel: ChannelName, userId: string, n: number): Promise<ConversationTurn[]> {
    return (this.recent.all(channel, userId, n) as TurnRow[]).map(toTurn).reverse();
  }

  async latestAnswer(channel: ChannelName, userId: string): Promise<ConversationTurn | undefined> {
    const row = this.latestAnswered.get(channel, userId) as TurnRow | undefined;
    return row && toTurn(row);
  }

  async findByAnswerId(answerId: string): Promise<ConversationTurn | undefined> {
    const row = this.byAnswer.get(answerId) as TurnRow | undefined;
    return row && toTurn(row);
  }

  async recordFeedback(answerId: string, value: FeedbackValue, at: Date): Promise<boolean> {
    return this.feedback.run(value, at.toISOString(), answerId).changes > 0;
  }

  async recordDeliveryError(turnId: string, error: string): Promise<void> {
    this.deliveryError.run(error, turnId);
  }

  async getTurn(id: string): Promise<ConversationTurn | undefined> {
    const row = this.byId.get(id) as TurnRow | undefined;
    return row && toTurn(row);
  }

  async recordFeedbackReason(answerId: string, reason: FeedbackReason, at: Date): Promise<boolean> {
    return this.reason.run(reason, at.toISOString(), answerId).changes > 0;
  }

  async claimMenu(turnId: string, inboxId: number): Promise<boolean> {
    return this.claim.run({ id: turnId, inboxId }).changes > 0;
  }
}
