import type { Citation } from '../../domain/citation.ts';
import type { Faq, FaqChange, FaqFilter, FaqPatch, FaqStatus, FaqStore, NewFaq } from '../faq-store.ts';
import { migrate, type SqliteDatabase } from './database.ts';

const MIGRATIONS = [
  `CREATE TABLE faqs (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     status TEXT NOT NULL CHECK (status IN ('draft', 'approved', 'needs_review', 'retired')),
     questions TEXT NOT NULL,
     answer TEXT NOT NULL,
     citations TEXT NOT NULL DEFAULT '[]',
     created_by TEXT NOT NULL,
     approved_by TEXT,
     approved_at TEXT,
     retired_by TEXT,
     retired_at TEXT,
     review_reason TEXT,
     source_escalation_id TEXT UNIQUE,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     updated_by TEXT NOT NULL,
     version INTEGER NOT NULL DEFAULT 1
   );
   CREATE INDEX faqs_status ON faqs (status, updated_at);`,
];

interface FaqRow {
  id: number;
  status: string;
  questions: string;
  answer: string;
  citations: string;
  created_by: string;
  approved_by: string | null;
  approved_at: string | null;
  retired_by: string | null;
  retired_at: string | null;
  review_reason: string | null;
  source_escalation_id: string | null;
  created_at: string;
  updated_at: string;
  updated_by: string;
  version: number;
}

function toFaq(row: FaqRow): Faq {
  const faq: Faq = {
    id: String(row.id),
    status: row.status as FaqStatus,
    questions: JSON.parse(row.questions) as string[],
    answer: row.answer,
    citations: JSON.parse(row.citations) as Citation[],
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
    version: row.version,
  };
  if (row.approved_by !== null) faq.approvedBy = row.approved_by;
  if (row.approved_at !== null) faq.approvedAt = row.approved_at;
  if (row.retired_by !== null) faq.retiredBy = row.retired_by;
  if (row.retired_at !== null) faq.retiredAt = row.retired_at;
  if (row.review_reason !== null) faq.reviewReason = row.review_reason;
  if (row.source_escalation_id !== null) faq.sourceEscalationId = row.source_escalation_id;
  return faq;
}

/** FAQ ids are positive integers; anything else is simply not found. */
const rowId = (id: string): number | undefined => (/^[1-9]\d{0,15}$/u.test(id) ? Number(id) : undefined);

function whereClause(filter: FaqFilter): { clause: string; params: string[] } {
  const statuses = filter.status === undefined ? [] : Array.isArray(filter.status) ? filter.status : [filter.status];
  if (!statuses.length) return { clause: '', params: [] };
  return { clause: `WHERE status IN (${statuses.map(() => '?').join(', ')})`, params: statuses };
}

/** FAQs in SQLite: one row each, questions and citations as JSON. */
export class SqliteFaqStore implements FaqStore {
  private readonly db: SqliteDatabase;
  private readonly insert;
  private readonly byId;
  private readonly byEscalation;
  private readonly approveRow;
  private readonly retireRow;
  private readonly reviewRow;

  constructor(db: SqliteDatabase) {
    this.db = db;
    migrate(db, 'faqs', MIGRATIONS);
    this.insert = db.prepare(
      `INSERT INTO faqs (status, questions, answer, citations, created_by, source_escalation_id, created_at, updated_at, updated_by)
       VALUES ('draft', @questions, @answer, @citations, @createdBy, @sourceEscalationId, @now, @now, @createdBy)
       ON CONFLICT (source_escalation_id) DO NOTHING
       RETURNING *`,
    );
    this.byId = db.prepare('SELECT * FROM faqs WHERE id = ?');
    this.byEscalation = db.prepare('SELECT * FROM faqs WHERE source_escalation_id = ?');
    this.approveRow = db.prepare(
      `UPDATE faqs SET status = 'approved', approved_by = @by, approved_at = @now, review_reason = NULL,
         updated_at = @now, updated_by = @by, version = version + 1
       WHERE id = @id AND status IN ('draft', 'needs_review')`,
    );
    this.retireRow = db.prepare(
      `UPDATE faqs SET status = 'retired', retired_by = @by, retired_at = @now, updated_at = @now, updated_by = @by, version = version + 1
       WHERE id = @id AND status <> 'retired'`,
    );
    this.reviewRow = db.prepare(
      `UPDATE faqs SET status = 'needs_review', review_reason = @reason, updated_at = @now, updated_by = 'system', version = version + 1
       WHERE id = @id AND status = 'approved'`,
    );
  }

  async create(input: NewFaq, now: Date): Promise<Faq> {
    const row = this.insert.get({
      questions: JSON.stringify(input.questions),
      answer: input.answer,
      citations: JSON.stringify(input.citations),
      createdBy: input.createdBy,
      sourceEscalationId: input.sourceEscalationId ?? null,
      now: now.toISOString(),
    }) as FaqRow | undefined;
    // Nothing inserted: this escalation already became a FAQ.
    return toFaq(row ?? (this.byEscalation.get(input.sourceEscalationId) as FaqRow));
  }

  async get(id: string): Promise<Faq | undefined> {
    const n = rowId(id);
    const row = n === undefined ? undefined : (this.byId.get(n) as FaqRow | undefined);
    return row && toFaq(row);
  }

  async findByEscalation(escalationId: string): Promise<Faq | undefined> {
    const row = this.byEscalation.get(escalationId) as FaqRow | undefined;
    return row && toFaq(row);
  }

  async list(filter: FaqFilter = {}): Promise<Faq[]> {
    const { clause, params } = whereClause(filter);
    const limit = Math.min(Math.max(1, Math.trunc(filter.limit ?? 100)), 1000);
    const offset = Math.max(0, Math.trunc(filter.offset ?? 0));
    const sql = `SELECT * FROM faqs ${clause} ORDER BY updated_at DESC, id DESC LIMIT ? OFFSET ?`;
    return (this.db.prepare(sql).all(...params, limit, offset) as FaqRow[]).map(toFaq);
  }

  async count(filter: FaqFilter = {}): Promise<number> {
    const { clause, params } = whereClause(filter);
    return (this.db.prepare(`SELECT COUNT(*) AS n FROM faqs ${clause}`).get(...params) as { n: number }).n;
  }

  async update(
    id: string,
    patch: FaqPatch,
    opts: { by: string; allowed: readonly FaqStatus[]; expectedVersion?: number },
    now: Date,
  ): Promise<FaqChange> {
    const n = rowId(id);
    if (n === undefined || opts.allowed.length === 0) return this.change(id, false);
    const sets = ['updated_at = @now', 'updated_by = @by', 'version = version + 1'];
    const params: Record<string, string | number> = { id: n, now: now.toISOString(), by: opts.by };
    if (patch.questions !== undefined) {
      sets.push('questions = @questions');
      params.questions = JSON.stringify(patch.questions);
    }
    if (patch.answer !== undefined) {
      sets.push('answer = @answer');
      params.answer = patch.answer;
    }
    if (patch.citations !== undefined) {
      sets.push('citations = @citations');
      params.citations = JSON.stringify(patch.citations);
    }
    const statuses = opts.allowed.map((_, i) => `@s${i}`);
    opts.allowed.forEach((s, i) => (params[`s${i}`] = s));
    let where = `id = @id AND status IN (${statuses.join(', ')})`;
    if (opts.expectedVersion !== undefined) {
      where += ' AND version = @version';
      params.version = opts.expectedVersion;
    }
    const changed = this.db.prepare(`UPDATE faqs SET ${sets.join(', ')} WHERE ${where}`).run(params).changes > 0;
    const result = this.change(id, changed);
    if (!result.ok && result.reason === 'wrong_status' && result.faq && opts.allowed.includes(result.faq.status)) {
      return { ok: false, reason: 'version_conflict', faq: result.faq };
    }
    return result;
  }

  async approve(id: string, by: string, now: Date): Promise<FaqChange> {
    const n = rowId(id);
    return this.change(id, n !== undefined && this.approveRow.run({ id: n, by, now: now.toISOString() }).changes > 0);
  }

  async retire(id: string, by: string, now: Date): Promise<FaqChange> {
    const n = rowId(id);
    return this.change(id, n !== undefined && this.retireRow.run({ id: n, by, now: now.toISOString() }).changes > 0);
  }

  async markNeedsReview(id: string, reason: string, now: Date): Promise<FaqChange> {
    const n = rowId(id);
    return this.change(id, n !== undefined && this.reviewRow.run({ id: n, reason, now: now.toISOString() }).changes > 0);
  }

  /** Reads the row after a conditional update and says why it was refused, if it was. */
  private change(id: string, changed: boolean): FaqChange {
    const n = rowId(id);
    const row = n === undefined ? undefined : (this.byId.get(n) as FaqRow | undefined);
    if (!row) return { ok: false, reason: 'not_found' };
    const faq = toFaq(row);
    return changed ? { ok: true, faq } : { ok: false, reason: 'wrong_status', faq };
  }
}
