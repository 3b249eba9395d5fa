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
import { migrate, type SqliteDatabase } from './database.ts';

const MIGRATIONS = [
  `CREATE TABLE escalations (
     id TEXT PRIMARY KEY,
     source_key TEXT UNIQUE,
     status TEXT NOT NULL CHECK (status IN ('open', 'claimed', 'answered', 'closed')),
     reason TEXT NOT NULL,
     abstain_reason TEXT,
     channel TEXT NOT NULL,
     user_id TEXT NOT NULL,
     recipient TEXT NOT NULL,
     user_name TEXT,
     question TEXT NOT NULL,
     context TEXT NOT NULL DEFAULT '[]',
     candidates TEXT NOT NULL DEFAULT '[]',
     assignee TEXT,
     claimed_at TEXT,
     closed_reason TEXT,
     answer_text TEXT,
     answer_citations TEXT,
     answered_by TEXT,
     answered_at TEXT,
     delivery_status TEXT NOT NULL DEFAULT 'none' CHECK (delivery_status IN ('none', 'pending', 'sent', 'failed')),
     delivery_error TEXT,
     delivered_at TEXT,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );
   CREATE INDEX escalations_status ON escalations (status, created_at);
   CREATE INDEX escalations_channel ON escalations (channel, created_at);`,
];

interface EscalationRow {
  id: string;
  source_key: string | null;
  status: string;
  reason: string;
  abstain_reason: string | null;
  channel: string;
  recipient: string;
  user_name: string | null;
  question: string;
  context: string;
  candidates: string;
  assignee: string | null;
  claimed_at: string | null;
  closed_reason: string | null;
  answer_text: string | null;
  answer_citations: string | null;
  answered_by: string | null;
  answered_at: string | null;
  delivery_status: string;
  delivery_error: string | null;
  delivered_at: string | null;
  created_at: string;
  updated_at: string;
}

function toEscalation(row: EscalationRow): Escalation {
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

/** The WHERE clause shared by `list` and `count`. */
function whereClause(filter: EscalationFilter): { clause: string; params: (string | number)[] } {
  const where: string[] = [];
  const params: (string | number)[] = [];
  const statuses = filter.status === undefined ? [] : Array.isArray(filter.status) ? filter.status : [filter.status];
  if (statuses.length) {
    where.push(`status IN (${statuses.map(() => '?').join(', ')})`);
    params.push(...statuses);
  }
  if (filter.channel) {
    where.push('channel = ?');
    params.push(filter.channel);
  }
  if (filter.assignee) {
    where.push('assignee = ?');
    params.push(filter.assignee);
  }
  const words = filter.query ? fold(filter.query).toLowerCase().split(/\s+/).filter(Boolean).slice(0, 10) : [];
  for (const word of words) {
    where.push("loa_fold(question) LIKE ? ESCAPE '\\'");
    params.push(`%${likeLiteral(word)}%`);
  }
  return { clause: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
}

/** Escalations in SQLite. State changes are conditional UPDATEs (see `applyLifecycleEvent`), so they are atomic across connections. */
export class SqliteEscalationStore implements EscalationStore {
  private readonly db: SqliteDatabase;
  private readonly insert;
  private readonly byId;
  private readonly bySourceKey;
  private readonly setLifecycle;
  private readonly rows: LifecycleRow;

  constructor(db: SqliteDatabase) {
    this.db = db;
    migrate(db, 'escalations', MIGRATIONS);
    // Search ignores case and diacritics, as officers type "cccd" for "CCCD" and "dang ky" for "đăng ký".
    db.function('loa_fold', { deterministic: true }, (text: unknown) => (typeof text === 'string' ? fold(text).toLowerCase() : null));
    this.insert = db.prepare(
      `INSERT INTO escalations (id, source_key, status, reason, abstain_reason, channel, user_id, recipient, user_name,
         question, context, candidates, created_at, updated_at)
       VALUES (@id, @sourceKey, 'open', @reason, @abstainReason, @channel, @userId, @recipient, @userName,
         @question, @context, @candidates, @now, @now)
       ON CONFLICT (source_key) DO NOTHING`,
    );
    this.byId = db.prepare('SELECT * FROM escalations WHERE id = ?');
    this.bySourceKey = db.prepare('SELECT * FROM escalations WHERE source_key = ?');
    // Compare-and-set: written only if the row still is as the decision read it.
    this.setLifecycle = db.prepare(
      `UPDATE escalations SET status = @status, assignee = @assignee, claimed_at = @claimedAt, closed_reason = @closedReason,
         answer_text = @answerText, answer_citations = @answerCitations, answered_by = @answeredBy, answered_at = @answeredAt,
         delivery_status = @deliveryStatus, delivery_error = @deliveryError, delivered_at = @deliveredAt, updated_at = @now
       WHERE id = @id AND status = @wasStatus AND assignee IS @wasAssignee AND delivery_status = @wasDelivery`,
    );
    this.rows = {
      read: (id) => this.get(id),
      compareAndSet: async (id, was, next, now) => {
        const changed = this.setLifecycle.run({
          id,
          wasStatus: was.status,
          wasAssignee: was.assignee ?? null,
          wasDelivery: was.deliveryStatus,
          ...lifecycleColumns(next),
          now: now.toISOString(),
        }).changes;
        return changed > 0 ? this.get(id) : undefined;
      },
    };
  }

  async create(input: NewEscalation, now: Date): Promise<Escalation> {
    const id = randomUUID();
    const result = this.insert.run({
      id,
      sourceKey: input.sourceKey ?? null,
      reason: input.reason,
      abstainReason: input.abstainReason ?? null,
      channel: input.recipient.channel,
      userId: input.recipient.userId,
      recipient: JSON.stringify(input.recipient),
      userName: input.userName ?? null,
      question: input.question,
      context: JSON.stringify(input.context),
      candidates: JSON.stringify(input.candidates),
      now: now.toISOString(),
    });
    const row = result.changes === 0 ? this.bySourceKey.get(input.sourceKey) : this.byId.get(id);
    return toEscalation(row as EscalationRow);
  }

  async get(id: string): Promise<Escalation | undefined> {
    const row = this.byId.get(id) as EscalationRow | undefined;
    return row && toEscalation(row);
  }

  async list(filter: EscalationFilter = {}): Promise<Escalation[]> {
    const { clause, params } = whereClause(filter);
    const limit = Math.min(Math.max(1, Math.trunc(filter.limit ?? 50)), 500);
    const offset = Math.max(0, Math.trunc(filter.offset ?? 0));
    const sql = `SELECT * FROM escalations ${clause} ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?`;
    return (this.db.prepare(sql).all(...params, limit, offset) as EscalationRow[]).map(toEscalation);
  }

  async count(filter: EscalationFilter = {}): Promise<number> {
    const { clause, params } = whereClause(filter);
    return (this.db.prepare(`SELECT COUNT(*) AS n FROM escalations ${clause}`).get(...params) as { n: number }).n;
  }

  async apply(id: string, event: EscalationEvent<Citation>, actor: EscalationActor, now: Date): Promise<EscalationChange> {
    return applyLifecycleEvent(this.rows, id, event, actor, now);
  }
}

/** The lifecycle's columns, as bound parameters. */
function lifecycleColumns(l: EscalationLifecycle<Citation>) {
  return {
    status: l.status,
    assignee: l.assignee ?? null,
    claimedAt: l.claimedAt ?? null,
    closedReason: l.closedReason ?? null,
    answerText: l.answerText ?? null,
    answerCitations: l.answerCitations ? JSON.stringify(l.answerCitations) : null,
    answeredBy: l.answeredBy ?? null,
    answeredAt: l.answeredAt ?? null,
    deliveryStatus: l.deliveryStatus,
    deliveryError: l.deliveryError ?? null,
    deliveredAt: l.deliveredAt ?? null,
  };
}
