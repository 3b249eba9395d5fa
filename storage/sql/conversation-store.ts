import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { ChannelName, OutgoingKind } from '../../domain/channel.ts';
import type { AbstainReason, Outcome } from '../../domain/answer.ts';
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
import { toJson } from './json.ts';
import type { SqlDatabase } from './connect.ts';
import type { ConversationTurnsTable } from './schema.ts';

function toTurn(row: Selectable<ConversationTurnsTable>): ConversationTurn {
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

/**
 * Conversation turns, on SQLite or PostgreSQL. Report fields (channel, intent, created_at,
 * abstained, escalated, feedback) are plain, indexed columns. A turn per inbox event is
 * recorded once, whichever instance gets there first.
 */
export class SqlConversationStore implements ConversationStore {
  constructor(private readonly sql: SqlDatabase) {}

  private async turnWhere(column: 'id' | 'inbox_id' | 'answer_id', value: string | number): Promise<ConversationTurn | undefined> {
    const row = await this.sql.db.selectFrom('conversation_turns').selectAll().where(column, '=', value).executeTakeFirst();
    return row && toTurn(row);
  }

  async recordTurn(turn: NewConversationTurn): Promise<ConversationTurn> {
    const citations = turn.citations ?? [];
    const row = await this.sql.db
      .insertInto('conversation_turns')
      .values({
        id: randomUUID(),
        inbox_id: turn.inboxId ?? null,
        channel: turn.channel,
        user_id: turn.userId,
        intent: turn.intent,
        user_text: turn.userText ?? null,
        reply_kind: turn.replyKind ?? null,
        reply_text: turn.replyText ?? null,
        citations: toJson(citations),
        citation_count: citations.length,
        answer_id: turn.answerId ?? null,
        confidence: turn.confidence ?? null,
        abstained: turn.abstained ? 1 : 0,
        abstain_reason: turn.abstainReason ?? null,
        escalated: turn.escalated ? 1 : 0,
        escalation_id: turn.escalationId ?? null,
        outcome: turn.outcome ?? null,
        menu: turn.menu ? toJson(turn.menu) : null,
        created_at: turn.createdAt,
      })
      .onConflict((oc) => oc.column('inbox_id').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (row) return toTurn(row);
    // Nothing inserted: this inbox event already has its turn.
    return (await this.turnForInbox(turn.inboxId as number)) as ConversationTurn;
  }

  async turnForInbox(inboxId: number): Promise<ConversationTurn | undefined> {
    return this.turnWhere('inbox_id', inboxId);
  }

  async recentTurns(channel: ChannelName, userId: string, n: number): Promise<ConversationTurn[]> {
    const rows = await this.sql.db
      .selectFrom('conversation_turns')
      .selectAll()
      .where('channel', '=', channel)
      .where('user_id', '=', userId)
      .orderBy('seq', 'desc')
      .limit(n)
      .execute();
    return rows.map(toTurn).reverse();
  }

  async latestAnswer(channel: ChannelName, userId: string): Promise<ConversationTurn | undefined> {
    const row = await this.sql.db
      .selectFrom('conversation_turns')
      .selectAll()
      .where('channel', '=', channel)
      .where('user_id', '=', userId)
      .where('answer_id', 'is not', null)
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row && toTurn(row);
  }

  async findByAnswerId(answerId: string): Promise<ConversationTurn | undefined> {
    return this.turnWhere('answer_id', answerId);
  }

  async recordFeedback(answerId: string, value: FeedbackValue, at: Date): Promise<boolean> {
    const result = await this.sql.db
      .updateTable('conversation_turns')
      .set({ feedback: value, feedback_reason: null, feedback_at: at.toISOString() })
      .where('answer_id', '=', answerId)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async recordDeliveryError(turnId: string, error: string): Promise<void> {
    await this.sql.db.updateTable('conversation_turns').set({ delivery_error: error }).where('id', '=', turnId).execute();
  }

  async getTurn(id: string): Promise<ConversationTurn | undefined> {
    return this.turnWhere('id', id);
  }

  async recordFeedbackReason(answerId: string, reason: FeedbackReason, at: Date): Promise<boolean> {
    const result = await this.sql.db
      .updateTable('conversation_turns')
      .set({ feedback: 'down', feedback_reason: reason, feedback_at: at.toISOString() })
      .where('answer_id', '=', answerId)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async claimMenu(turnId: string, inboxId: number): Promise<boolean> {
    // One conditional update: the check and the mark cannot interleave with another press.
    const result = await this.sql.db
      .updateTable('conversation_turns')
      .set({ menu_used_by: inboxId })
      .where('id', '=', turnId)
      .where('menu', 'is not', null)
      .where((eb) => eb.or([eb('menu_used_by', 'is', null), eb('menu_used_by', '=', inboxId)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }
}
