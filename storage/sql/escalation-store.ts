import { randomUUID } from 'node:crypto';
import { sql, type ExpressionBuilder, type Selectable } from 'kysely';
import type { ChannelName, Recipient } from '../../domain/channel.ts';
import type { DeliveryStatus, EscalationActor, EscalationEvent, EscalationLifecycle, EscalationStatus } from '../../domain/escalation.ts';
import type { AbstainReason } from '../../domain/answer.ts';
import type { Citation } from '../../domain/citation.ts';
import {
  applyLifecycleEvent,
  type ContextTurn,
  type Escalation,
  type EscalationChange,
  type EscalationFilter,
  type EscalationReason,
  type EscalationStore,
  type LifecycleRow,
  type NewEscalation,
} from '../escalation-store.ts';
import { likeLiteral } from '../like-literal.ts';
import { foldForSearch, type SqlDatabase } from './connect.ts';
import { likeEscaped } from './dialect.ts';
import { toJson } from './json.ts';
import type { Database, EscalationsTable } from './schema.ts';

function toEscalation(row: Selectable<EscalationsTable>): Escalation {
  return {
    id: row.id,
    sourceKey: row.source_key ?? undefined,
    status: row.status as EscalationStatus,
    reason: row.reason as EscalationReason,
    abstainReason: (row.abstain_reason ?? undefined) as AbstainReason | undefined,
    channel: row.channel as ChannelName,
    recipient: JSON.parse(row.recipient) as Recipient,
    userName: row.user_name ?? undefined,
    question: row.question,
    context: JSON.parse(row.context) as ContextTurn[],
    candidates: JSON.parse(row.candidates) as Citation[],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    assignee: row.assignee ?? undefined,
    claimedAt: row.claimed_at ?? undefined,
    closedReason: row.closed_reason ?? undefined,
    answerText: row.answer_text ?? undefined,
    answerCitations: row.answer_citations ? (JSON.parse(row.answer_citations) as Citation[]) : undefined,
    answeredBy: row.answered_by ?? undefined,
    answeredAt: row.answered_at ?? undefined,
    deliveryStatus: row.delivery_status as DeliveryStatus,
    deliveryError: row.delivery_error ?? undefined,
    deliveredAt: row.delivered_at ?? undefined,
  };
}

/**
 * The conditions shared by `list` and `count`. Search ignores case and diacritics (officers
 * type "cccd" for "CCCD" and "dang ky" for "đăng ký"): `question_folded` holds the question folded.
 */
function matches(filter: EscalationFilter) {
  return (eb: ExpressionBuilder<Database, 'escalations'>) => {
    const parts = [];
    const statuses = filter.status === undefined ? [] : Array.isArray(filter.status) ? filter.status : [filter.status];
    if (statuses.length) parts.push(eb('status', 'in', statuses));
    if (filter.channel) parts.push(eb('channel', '=', filter.channel));
    if (filter.assignee) parts.push(eb('assignee', '=', filter.assignee));
    const words = filter.query ? foldForSearch(filter.query).split(/\s+/).filter(Boolean).slice(0, 10) : [];
    for (const word of words) parts.push(likeEscaped('question_folded', `%${likeLiteral(word)}%`));
    return eb.and(parts);
  };
}

/** The lifecycle's columns. */
function lifecycleColumns(l: EscalationLifecycle<Citation>) {
  return {
    status: l.status,
    assignee: l.assignee ?? null,
    claimed_at: l.claimedAt ?? null,
    closed_reason: l.closedReason ?? null,
    answer_text: l.answerText ?? null,
    answer_citations: l.answerCitations ? toJson(l.answerCitations) : null,
    answered_by: l.answeredBy ?? null,
    answered_at: l.answeredAt ?? null,
    delivery_status: l.deliveryStatus,
    delivery_error: l.deliveryError ?? null,
    delivered_at: l.deliveredAt ?? null,
  };
}

/**
 * Escalations, on SQLite or PostgreSQL. State changes are compare-and-set UPDATEs (see
 * `applyLifecycleEvent`): two officers (on two instances) acting at once are serialised by
 * the row lock (SQLite's write lock), and the second finds the row changed and is decided again.
 */
export class SqlEscalationStore implements EscalationStore {
  private readonly rows: LifecycleRow = {
    read: (id) => this.get(id),
    compareAndSet: async (id, was, next, now) => {
      const { db, dialect } = this.sql;
      const row = await db
        .updateTable('escalations')
        .set({ ...lifecycleColumns(next), updated_at: now.toISOString() })
        .where('id', '=', id)
        .where('status', '=', was.status)
        .where(dialect.isSame(sql.ref('assignee'), sql.val(was.assignee ?? null)))
        .where('delivery_status', '=', was.deliveryStatus)
        .returningAll()
        .executeTakeFirst();
      return row && toEscalation(row);
    },
  };

  constructor(private readonly sql: SqlDatabase) {}

  async create(input: NewEscalation, now: Date): Promise<Escalation> {
    const { db } = this.sql;
    const at = now.toISOString();
    const inserted = await db
      .insertInto('escalations')
      .values({
        id: randomUUID(),
        source_key: input.sourceKey ?? null,
        status: 'open',
        reason: input.reason,
        abstain_reason: input.abstainReason ?? null,
        channel: input.recipient.channel,
        user_id: input.recipient.userId,
        recipient: toJson(input.recipient),
        user_name: input.userName ?? null,
        question: input.question,
        question_folded: foldForSearch(input.question),
        context: toJson(input.context),
        candidates: toJson(input.candidates),
        created_at: at,
        updated_at: at,
      })
      .onConflict((oc) => oc.column('source_key').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (inserted) return toEscalation(inserted);
    const row = await db.selectFrom('escalations').selectAll().where('source_key', '=', input.sourceKey ?? null).executeTakeFirstOrThrow();
    return toEscalation(row);
  }

  async get(id: string): Promise<Escalation | undefined> {
    const row = await this.sql.db.selectFrom('escalations').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toEscalation(row);
  }

  async list(filter: EscalationFilter = {}): Promise<Escalation[]> {
    const limit = Math.min(Math.max(1, Math.trunc(filter.limit ?? 50)), 500);
    const offset = Math.max(0, Math.trunc(filter.offset ?? 0));
    const rows = await this.sql.db
      .selectFrom('escalations')
      .selectAll()
      .where(matches(filter))
      .orderBy('created_at', 'desc')
      // Escalations created in the same millisecond, newest first.
      .orderBy(sql.ref(this.sql.dialect.insertionOrder), 'desc')
      .limit(limit)
      .offset(offset)
      .execute();
    return rows.map(toEscalation);
  }

  async count(filter: EscalationFilter = {}): Promise<number> {
    const { n } = await this.sql.db
      .selectFrom('escalations')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(matches(filter))
      .executeTakeFirstOrThrow();
    return Number(n);
  }

  async apply(id: string, event: EscalationEvent<Citation>, actor: EscalationActor, now: Date): Promise<EscalationChange> {
    return applyLifecycleEvent(this.rows, id, event, actor, now);
  }
}
