import { randomUUID } from 'node:crypto';
import type { AbstainReason } from '../../domain/answer.ts';
import type { ChannelName, Recipient } from '../../domain/channel.ts';
import type { Citation } from '../../domain/citation.ts';
import { fold } from '../../domain/fold.ts';
import type { DeliveryStatus, EscalationActor, EscalationEvent, EscalationLifecycle, EscalationStatus } from '../../domain/escalation.ts';
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
import { iso, isoOrUndefined, migrate, query, toJson, type PgParam, type PgPool } from './database.ts';

/**
 * `question_folded` is the question without case and diacritics, computed in JS with the same
 * `fold` the SQLite store uses, so officers' searches match the same rows on both backends.
 * `seq` orders escalations created in the same millisecond.
 */
const MIGRATIONS = [
  `CREATE TABLE escalations (
     seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
     id text PRIMARY KEY,
     source_key text UNIQUE,
     status text NOT NULL CHECK (status IN ('open', 'claimed', 'answered', 'closed')),
     reason text NOT NULL,
     abstain_reason text,
     channel text NOT NULL,
     user_id text NOT NULL,
     recipient jsonb NOT NULL,
     user_name text,
     question text NOT NULL,
     question_folded text NOT NULL,
     context jsonb NOT NULL DEFAULT '[]',
     candidates jsonb NOT NULL DEFAULT '[]',
     assignee text,
     claimed_at timestamptz,
     closed_reason text,
     answer_text text,
     answer_citations jsonb,
     answered_by text,
     answered_at timestamptz,
     delivery_status text NOT NULL DEFAULT 'none' CHECK (delivery_status IN ('none', 'pending', 'sent', 'failed')),
     delivery_error text,
     delivered_at timestamptz,
     created_at timestamptz NOT NULL,
     updated_at timestamptz NOT NULL
   );
   CREATE INDEX escalations_status ON escalations (status, created_at);
   CREATE INDEX escalations_channel ON escalations (channel, created_at);
   CREATE INDEX escalations_assignee ON escalations (assignee, created_at) WHERE assignee IS NOT NULL;
   CREATE INDEX escalations_created ON escalations (created_at, seq);`,
];

interface EscalationRow {
  id: string;
  source_key: string | null;
  status: string;
  reason: string;
  abstain_reason: string | null;
  channel: string;
  recipient: Recipient;
  user_name: string | null;
  question: string;
  context: ContextTurn[];
  candidates: Citation[];
  assignee: string | null;
  claimed_at: Date | null;
  closed_reason: string | null;
  answer_text: string | null;
  answer_citations: Citation[] | null;
  answered_by: string | null;
  answered_at: Date | null;
  delivery_status: string;
  delivery_error: string | null;
  delivered_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

function toEscalation(row: EscalationRow): Escalation {
  return {
    id: row.id,
    sourceKey: row.source_key ?? undefined,
    status: row.status as EscalationStatus,
    reason: row.reason as EscalationReason,
    abstainReason: (row.abstain_reason ?? undefined) as AbstainReason | undefined,
    channel: row.channel as ChannelName,
    recipient: row.recipient,
    userName: row.user_name ?? undefined,
    question: row.question,
    context: row.context,
    candidates: row.candidates,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    assignee: row.assignee ?? undefined,
    claimedAt: isoOrUndefined(row.claimed_at),
    closedReason: row.closed_reason ?? undefined,
    answerText: row.answer_text ?? undefined,
    answerCitations: row.answer_citations ?? undefined,
    answeredBy: row.answered_by ?? undefined,
    answeredAt: isoOrUndefined(row.answered_at),
    deliveryStatus: row.delivery_status as DeliveryStatus,
    deliveryError: row.delivery_error ?? undefined,
    deliveredAt: isoOrUndefined(row.delivered_at),
  };
}

const foldForSearch = (text: string) => fold(text).toLowerCase();

/** The WHERE clause shared by `list` and `count`; parameters are numbered from 1. */
function whereClause(filter: EscalationFilter): { clause: string; params: PgParam[] } {
  const where: string[] = [];
  const params: PgParam[] = [];
  const param = (v: PgParam) => {
    params.push(v);
    return `$${params.length}`;
  };
  const statuses = filter.status === undefined ? [] : Array.isArray(filter.status) ? filter.status : [filter.status];
  if (statuses.length) where.push(`status = ANY(${param(statuses)}::text[])`);
  if (filter.channel) where.push(`channel = ${param(filter.channel)}`);
  if (filter.assignee) where.push(`assignee = ${param(filter.assignee)}`);
  const words = filter.query ? foldForSearch(filter.query).split(/\s+/).filter(Boolean).slice(0, 10) : [];
  for (const word of words) where.push(`question_folded LIKE ${param(`%${likeLiteral(word)}%`)} ESCAPE '\\'`);
  return { clause: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
}

/**
 * Escalations in PostgreSQL. State changes are conditional UPDATEs (see `applyLifecycleEvent`):
 * two officers (on two instances) acting at once are serialised by the row lock, and the
 * second finds the row changed and is decided again.
 */
export class PostgresEscalationStore implements EscalationStore {
  private readonly rows: LifecycleRow = {
    read: (id) => this.get(id),
    compareAndSet: async (id, was, next, now) => {
      const { rows } = await query<EscalationRow>(
        this.pool,
        `UPDATE escalations SET status = $5, assignee = $6, claimed_at = $7, closed_reason = $8, answer_text = $9,
           answer_citations = $10, answered_by = $11, answered_at = $12, delivery_status = $13, delivery_error = $14,
           delivered_at = $15, updated_at = $16
         WHERE id = $1 AND status = $2 AND assignee IS NOT DISTINCT FROM $3 AND delivery_status = $4
         RETURNING *`,
        [id, was.status, was.assignee ?? null, was.deliveryStatus, ...lifecycleParams(next), now],
      );
      return rows[0] && toEscalation(rows[0]);
    },
  };

  private constructor(private readonly pool: PgPool) {}

  static async open(pool: PgPool): Promise<PostgresEscalationStore> {
    await migrate(pool, 'escalations', MIGRATIONS);
    return new PostgresEscalationStore(pool);
  }

  async create(input: NewEscalation, now: Date): Promise<Escalation> {
    const inserted = await query<EscalationRow>(
      this.pool,
      `INSERT INTO escalations (id, source_key, status, reason, abstain_reason, channel, user_id, recipient, user_name,
         question, question_folded, context, candidates, created_at, updated_at)
       VALUES ($1, $2, 'open', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)
       ON CONFLICT (source_key) DO NOTHING
       RETURNING *`,
      [
        randomUUID(), input.sourceKey ?? null, input.reason, input.abstainReason ?? null, input.recipient.channel,
        input.recipient.userId, toJson(input.recipient), input.userName ?? null, input.question,
        foldForSearch(input.question), toJson(input.context), toJson(input.candidates), now,
      ],
    );
    if (inserted.rows[0]) return toEscalation(inserted.rows[0]);
    const { rows } = await query<EscalationRow>(this.pool, 'SELECT * FROM escalations WHERE source_key = $1', [input.sourceKey ?? null]);
    return toEscalation(rows[0]);
  }

  async get(id: string): Promise<Escalation | undefined> {
    const { rows } = await query<EscalationRow>(this.pool, 'SELECT * FROM escalations WHERE id = $1', [id]);
    return rows[0] && toEscalation(rows[0]);
  }

  async list(filter: EscalationFilter = {}): Promise<Escalation[]> {
    const { clause, params } = whereClause(filter);
    const limit = Math.min(Math.max(1, Math.trunc(filter.limit ?? 50)), 500);
    const offset = Math.max(0, Math.trunc(filter.offset ?? 0));
    const n = params.length;
    const { rows } = await query<EscalationRow>(
      this.pool,
      `SELECT * FROM escalations ${clause} ORDER BY created_at DESC, seq DESC LIMIT $${n + 1} OFFSET $${n + 2}`,
      [...params, limit, offset],
    );
    return rows.map(toEscalation);
  }

  async count(filter: EscalationFilter = {}): Promise<number> {
    const { clause, params } = whereClause(filter);
    const { rows } = await query<{ n: number }>(this.pool, `SELECT count(*)::int AS n FROM escalations ${clause}`, params);
    return rows[0].n;
  }

  async apply(id: string, event: EscalationEvent<Citation>, actor: EscalationActor, now: Date): Promise<EscalationChange> {
    return applyLifecycleEvent(this.rows, id, event, actor, now);
  }
}

/** The lifecycle's columns, in the order of the UPDATE's $5…$15. */
function lifecycleParams(l: EscalationLifecycle<Citation>): PgParam[] {
  return [
    l.status,
    l.assignee ?? null,
    l.claimedAt ?? null,
    l.closedReason ?? null,
    l.answerText ?? null,
    l.answerCitations ? toJson(l.answerCitations) : null,
    l.answeredBy ?? null,
    l.answeredAt ?? null,
    l.deliveryStatus,
    l.deliveryError ?? null,
    l.deliveredAt ?? null,
  ];
}
