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
import { iso, isoOrUndefined, migrate, query, toJson, type PgPool } from './database.ts';

/** Report fields (channel, intent, created_at, abstained, escalated, feedback) are plain, indexed columns. */
const MIGRATIONS = [
  `CREATE TABLE conversation_turns (
     seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     id text NOT NULL UNIQUE,
     inbox_id bigint UNIQUE,
     channel text NOT NULL,
     user_id text NOT NULL,
     intent text NOT NULL,
     user_text text,
     reply_kind text,
     reply_text text,
     citations jsonb NOT NULL DEFAULT '[]',
     citation_count integer NOT NULL DEFAULT 0,
     answer_id text UNIQUE,
     confidence double precision,
     abstained boolean NOT NULL DEFAULT false,
     abstain_reason text,
     escalated boolean NOT NULL DEFAULT false,
     escalation_id text,
     feedback text CHECK (feedback IN ('up', 'down')),
     feedback_at timestamptz,
     delivery_error text,
     created_at timestamptz NOT NULL
   );
   CREATE INDEX conversation_turns_user ON conversation_turns (channel, user_id, seq);
   CREATE INDEX conversation_turns_created ON conversation_turns (created_at, channel, intent);
   CREATE INDEX conversation_turns_feedback ON conversation_turns (feedback_at) WHERE feedback IS NOT NULL;`,
  // The four outcomes: what retrieval decided, the reply's menu (buttons) and who used it, why 👎.
  `ALTER TABLE conversation_turns ADD COLUMN outcome text;
   ALTER TABLE conversation_turns ADD COLUMN menu jsonb;
   ALTER TABLE conversation_turns ADD COLUMN menu_used_by bigint;
   ALTER TABLE conversation_turns ADD COLUMN feedback_reason text CHECK (feedback_reason IN ('wrong', 'incomplete', 'unclear'));`,
];

interface TurnRow {
  id: string;
  inbox_id: string | null;
  channel: string;
  user_id: string;
  intent: string;
  user_text: string | null;
  reply_kind: string | null;
  reply_text: string | null;
  citations: Citation[];
  answer_id: string | null;
  confidence: number | null;
  abstained: boolean;
  abstain_reason: string | null;
  escalated: boolean;
  escalation_id: string | null;
  feedback: string | null;
  feedback_at: Date | null;
  delivery_error: string | null;
  outcome: string | null;
  menu: TurnMenu | null;
  menu_used_by: string | null;
  feedback_reason: string | null;
  created_at: Date;
}

function toTurn(row: TurnRow): ConversationTurn {
  return {
    id: row.id,
    inboxId: row.inbox_id === null ? undefined : Number(row.inbox_id),
    channel: row.channel as ChannelName,
    userId: row.user_id,
    intent: row.intent as TurnIntent,
    userText: row.user_text ?? undefined,
    replyKind: (row.reply_kind ?? undefined) as OutgoingKind | undefined,
    replyText: row.reply_text ?? undefined,
    citations: row.citations,
    answerId: row.answer_id ?? undefined,
    confidence: row.confidence ?? undefined,
    abstained: row.abstained,
    abstainReason: (row.abstain_reason ?? undefined) as AbstainReason | undefined,
    escalated: row.escalated,
    escalationId: row.escalation_id ?? undefined,
    feedback: (row.feedback ?? undefined) as FeedbackValue | undefined,
    feedbackAt: isoOrUndefined(row.feedback_at),
    deliveryError: row.delivery_error ?? undefined,
    ...(row.feedback_reason !== null ? { feedbackReason: row.feedback_reason as FeedbackReason } : {}),
    ...(row.outcome !== null ? { outcome: row.outcome as Outcome } : {}),
    ...(row.menu !== null ? { menu: row.menu } : {}),
    ...(row.menu_used_by !== null ? { menuUsedBy: Number(row.menu_used_by) } : {}),
    createdAt: iso(row.created_at),
  };
}

/** Conversation turns in PostgreSQL. A turn per inbox event is recorded once, whichever instance gets there first. */
export class PostgresConversationStore implements ConversationStore {
  private constructor(private readonly pool: PgPool) {}

  static async open(pool: PgPool): Promise<PostgresConversationStore> {
    await migrate(pool, 'conversations', MIGRATIONS);
    return new PostgresConversationStore(pool);
  }

  async recordTurn(turn: NewConversationTurn): Promise<ConversationTurn> {
    const citations = turn.citations ?? [];
    const inserted = await query<TurnRow>(
      this.pool,
      `INSERT INTO conversation_turns (id, inbox_id, channel, user_id, intent, user_text, reply_kind, reply_text, citations,
         citation_count, answer_id, confidence, abstained, abstain_reason, escalated, escalation_id, outcome, menu, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
       ON CONFLICT (inbox_id) DO NOTHING
       RETURNING *`,
      [
        randomUUID(), turn.inboxId ?? null, turn.channel, turn.userId, turn.intent, turn.userText ?? null,
        turn.replyKind ?? null, turn.replyText ?? null, toJson(citations), citations.length, turn.answerId ?? null,
        turn.confidence ?? null, turn.abstained ?? false, turn.abstainReason ?? null, turn.escalated ?? false,
        turn.escalationId ?? null, turn.outcome ?? null, turn.menu ? toJson(turn.menu) : null, turn.createdAt,
      ],
    );
    if (inserted.rows[0]) return toTurn(inserted.rows[0]);
    // Nothing inserted: this inbox event already has its turn.
    return (await this.turnForInbox(turn.inboxId as number)) as ConversationTurn;
  }

  async turnForInbox(inboxId: number): Promise<ConversationTurn | undefined> {
    const { rows } = await query<TurnRow>(this.pool, 'SELECT * FROM conversation_turns WHERE inbox_id = $1', [inboxId]);
    return rows[0] && toTurn(rows[0]);
  }

  async recentTurns(channel: ChannelName, userId: string, n: number): Promise<ConversationTurn[]> {
    const { rows } = await query<TurnRow>(
      this.pool,
      'SELECT * FROM conversation_turns WHERE channel = $1 AND user_id = $2 ORDER BY seq DESC LIMIT $3',
      [channel, userId, n],
    );
    return rows.map(toTurn).reverse();
  }

  async latestAnswer(channel: ChannelName, userId: string): Promise<ConversationTurn | undefined> {
    const { rows } = await query<TurnRow>(
      this.pool,
      'SELECT * FROM conversation_turns WHERE channel = $1 AND user_id = $2 AND answer_id IS NOT NULL ORDER BY seq DESC LIMIT 1',
      [channel, userId],
    );
    return rows[0] && toTurn(rows[0]);
  }

  async findByAnswerId(answerId: string): Promise<ConversationTurn | undefined> {
    const { rows } = await query<TurnRow>(this.pool, 'SELECT * FROM conversation_turns WHERE answer_id = $1', [answerId]);
    return rows[0] && toTurn(rows[0]);
  }

  async recordFeedback(answerId: string, value: FeedbackValue, at: Date): Promise<boolean> {
    const { rowCount } = await query(this.pool, 'UPDATE conversation_turns SET feedback = $1, feedback_reason = NULL, feedback_at = $2 WHERE answer_id = $3', [
      value,
      at,
      answerId,
    ]);
    return (rowCount ?? 0) > 0;
  }

  async recordDeliveryError(turnId: string, error: string): Promise<void> {
    await query(this.pool, 'UPDATE conversation_turns SET delivery_error = $1 WHERE id = $2', [error, turnId]);
  }

  async getTurn(id: string): Promise<ConversationTurn | undefined> {
    const { rows } = await query<TurnRow>(this.pool, 'SELECT * FROM conversation_turns WHERE id = $1', [id]);
    return rows[0] && toTurn(rows[0]);
  }

  async recordFeedbackReason(answerId: string, reason: FeedbackReason, at: Date): Promise<boolean> {
    const { rowCount } = await query(
      this.pool,
      "UPDATE conversation_turns SET feedback = 'down', feedback_reason = $1, feedback_at = $2 WHERE answer_id = $3",
      [reason, at, answerId],
    );
    return (rowCount ?? 0) > 0;
  }

  async claimMenu(turnId: string, inboxId: number): Promise<boolean> {
    // One conditional update: the row lock makes a second press wait, then see the first one's mark.
    const { rowCount } = await query(
      this.pool,
      'UPDATE conversation_turns SET menu_used_by = $2 WHERE id = $1 AND menu IS NOT NULL AND (menu_used_by IS NULL OR menu_used_by = $2)',
      [turnId, inboxId],
    );
    return (rowCount ?? 0) > 0;
  }
}
