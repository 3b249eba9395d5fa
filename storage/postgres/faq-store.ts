import type { Citation } from '../../domain/citation.ts';
import type { Faq, FaqChange, FaqFilter, FaqPatch, FaqStatus, FaqStore, NewFaq } from '../faq-store.ts';
import { iso, isoOrUndefined, migrate, query, toJson, type PgParam, type PgPool } from './database.ts';

const MIGRATIONS = [
  `CREATE TABLE faqs (
     id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     status text NOT NULL CHECK (status IN ('draft', 'approved', 'needs_review', 'retired')),
     questions jsonb NOT NULL,
     answer text NOT NULL,
     citations jsonb NOT NULL DEFAULT '[]',
     created_by text NOT NULL,
     approved_by text,
     approved_at timestamptz,
     retired_by text,
     retired_at timestamptz,
     review_reason text,
     source_escalation_id text UNIQUE,
     created_at timestamptz NOT NULL,
     updated_at timestamptz NOT NULL,
     updated_by text NOT NULL,
     version integer NOT NULL DEFAULT 1
   );
   CREATE INDEX faqs_status ON faqs (status, updated_at);
   CREATE INDEX faqs_updated ON faqs (updated_at, id);`,
];

interface FaqRow {
  id: string;
  status: string;
  questions: string[];
  answer: string;
  citations: Citation[];
  created_by: string;
  approved_by: string | null;
  approved_at: Date | null;
  retired_by: string | null;
  retired_at: Date | null;
  review_reason: string | null;
  source_escalation_id: string | null;
  created_at: Date;
  updated_at: Date;
  updated_by: string;
  version: number;
}

function toFaq(row: FaqRow): Faq {
  const faq: Faq = {
    id: String(row.id),
    status: row.status as FaqStatus,
    questions: row.questions,
    answer: row.answer,
    citations: row.citations,
    createdBy: row.created_by,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    updatedBy: row.updated_by,
    version: row.version,
  };
  if (row.approved_by !== null) faq.approvedBy = row.approved_by;
  const approvedAt = isoOrUndefined(row.approved_at);
  if (approvedAt) faq.approvedAt = approvedAt;
  if (row.retired_by !== null) faq.retiredBy = row.retired_by;
  const retiredAt = isoOrUndefined(row.retired_at);
  if (retiredAt) faq.retiredAt = retiredAt;
  if (row.review_reason !== null) faq.reviewReason = row.review_reason;
  if (row.source_escalation_id !== null) faq.sourceEscalationId = row.source_escalation_id;
  return faq;
}

/** FAQ ids are positive integers; anything else is simply not found. */
const rowId = (id: string): string | undefined => (/^[1-9]\d{0,15}$/u.test(id) ? id : undefined);

function statusesOf(filter: FaqFilter): FaqStatus[] {
  return filter.status === undefined ? [] : Array.isArray(filter.status) ? filter.status : [filter.status];
}

/** FAQs in PostgreSQL: one row each, questions and citations as jsonb. Every change is one conditional UPDATE. */
export class PostgresFaqStore implements FaqStore {
  private constructor(private readonly pool: PgPool) {}

  static async open(pool: PgPool): Promise<PostgresFaqStore> {
    await migrate(pool, 'faqs', MIGRATIONS);
    return new PostgresFaqStore(pool);
  }

  async create(input: NewFaq, now: Date): Promise<Faq> {
    const { rows } = await query<FaqRow>(
      this.pool,
      `INSERT INTO faqs (status, questions, answer, citations, created_by, source_escalation_id, created_at, updated_at, updated_by)
       VALUES ('draft', $1, $2, $3, $4, $5, $6, $6, $4)
       ON CONFLICT (source_escalation_id) DO NOTHING
       RETURNING *`,
      [toJson(input.questions), input.answer, toJson(input.citations), input.createdBy, input.sourceEscalationId ?? null, now],
    );
    // Nothing inserted: this escalation already became a FAQ.
    return rows[0] ? toFaq(rows[0]) : ((await this.findByEscalation(input.sourceEscalationId as string)) as Faq);
  }

  async get(id: string): Promise<Faq | undefined> {
    const n = rowId(id);
    if (n === undefined) return undefined;
    const { rows } = await query<FaqRow>(this.pool, 'SELECT * FROM faqs WHERE id = $1', [n]);
    return rows[0] && toFaq(rows[0]);
  }

  async findByEscalation(escalationId: string): Promise<Faq | undefined> {
    const { rows } = await query<FaqRow>(this.pool, 'SELECT * FROM faqs WHERE source_escalation_id = $1', [escalationId]);
    return rows[0] && toFaq(rows[0]);
  }

  async list(filter: FaqFilter = {}): Promise<Faq[]> {
    const statuses = statusesOf(filter);
    const limit = Math.min(Math.max(1, Math.trunc(filter.limit ?? 100)), 1000);
    const offset = Math.max(0, Math.trunc(filter.offset ?? 0));
    const { rows } = await query<FaqRow>(
      this.pool,
      `SELECT * FROM faqs WHERE (cardinality($1::text[]) = 0 OR status = ANY($1::text[]))
       ORDER BY updated_at DESC, id DESC LIMIT $2 OFFSET $3`,
      [statuses, limit, offset],
    );
    return rows.map(toFaq);
  }

  async count(filter: FaqFilter = {}): Promise<number> {
    const { rows } = await query<{ n: number }>(
      this.pool,
      'SELECT count(*)::int AS n FROM faqs WHERE (cardinality($1::text[]) = 0 OR status = ANY($1::text[]))',
      [statusesOf(filter)],
    );
    return rows[0].n;
  }

  async update(
    id: string,
    patch: FaqPatch,
    opts: { by: string; allowed: readonly FaqStatus[]; expectedVersion?: number },
    now: Date,
  ): Promise<FaqChange> {
    const n = rowId(id);
    if (n === undefined || opts.allowed.length === 0) return this.refused(id);
    const params: PgParam[] = [n, now, opts.by, [...opts.allowed]];
    const sets = ['updated_at = $2', 'updated_by = $3', 'version = version + 1'];
    const set = (column: string, value: PgParam) => {
      params.push(value);
      sets.push(`${column} = $${params.length}`);
    };
    if (patch.questions !== undefined) set('questions', toJson(patch.questions));
    if (patch.answer !== undefined) set('answer', patch.answer);
    if (patch.citations !== undefined) set('citations', toJson(patch.citations));
    let where = 'id = $1 AND status = ANY($4::text[])';
    if (opts.expectedVersion !== undefined) {
      params.push(opts.expectedVersion);
      where += ` AND version = $${params.length}`;
    }
    const updated = await query<FaqRow>(this.pool, `UPDATE faqs SET ${sets.join(', ')} WHERE ${where} RETURNING *`, params);
    if (updated.rows[0]) return { ok: true, faq: toFaq(updated.rows[0]) };
    const result = await this.refused(id);
    if (!result.ok && result.reason === 'wrong_status' && result.faq && opts.allowed.includes(result.faq.status)) {
      return { ok: false, reason: 'version_conflict', faq: result.faq };
    }
    return result;
  }

  async approve(id: string, by: string, now: Date): Promise<FaqChange> {
    return this.change(
      id,
      `UPDATE faqs SET status = 'approved', approved_by = $2, approved_at = $3, review_reason = NULL,
         updated_at = $3, updated_by = $2, version = version + 1
       WHERE id = $1 AND status IN ('draft', 'needs_review')`,
      [by, now],
    );
  }

  async retire(id: string, by: string, now: Date): Promise<FaqChange> {
    return this.change(
      id,
      `UPDATE faqs SET status = 'retired', retired_by = $2, retired_at = $3, updated_at = $3, updated_by = $2, version = version + 1
       WHERE id = $1 AND status <> 'retired'`,
      [by, now],
    );
  }

  async markNeedsReview(id: string, reason: string, now: Date): Promise<FaqChange> {
    return this.change(
      id,
      `UPDATE faqs SET status = 'needs_review', review_reason = $2, updated_at = $3, updated_by = 'system', version = version + 1
       WHERE id = $1 AND status = 'approved'`,
      [reason, now],
    );
  }

  /** Runs a conditional update (`$1` is the id); says why it was refused when nothing changed. */
  private async change(id: string, sql: string, params: PgParam[]): Promise<FaqChange> {
    const n = rowId(id);
    if (n === undefined) return { ok: false, reason: 'not_found' };
    const { rows } = await query<FaqRow>(this.pool, `${sql} RETURNING *`, [n, ...params]);
    return rows[0] ? { ok: true, faq: toFaq(rows[0]) } : this.refused(id);
  }

  private async refused(id: string): Promise<FaqChange> {
    const faq = await this.get(id);
    return faq ? { ok: false, reason: 'wrong_status', faq } : { ok: false, reason: 'not_found' };
  }
}
