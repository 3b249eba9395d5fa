import type { AuditEntryInput } from '../../domain/audit.ts';
import type { AuditEntry, AuditFilter, AuditStore } from '../audit-store.ts';
import { likeLiteral } from '../like-literal.ts';
import { iso, migrate, query, toJson, type PgParam, type PgPool } from './database.ts';

const MIGRATIONS = [
  `CREATE TABLE audit_log (
     id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     at timestamptz NOT NULL,
     actor text NOT NULL,
     action text NOT NULL,
     target text,
     details jsonb
   );
   CREATE INDEX audit_log_actor ON audit_log (actor, id);
   CREATE INDEX audit_log_action ON audit_log (action text_pattern_ops, id);
   CREATE INDEX audit_log_target ON audit_log (target, id);
   CREATE FUNCTION loa_audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$;
   CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
     FOR EACH ROW EXECUTE FUNCTION loa_audit_log_append_only();
   CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
     FOR EACH STATEMENT EXECUTE FUNCTION loa_audit_log_append_only();`,
];

interface AuditRow {
  id: string;
  at: Date;
  actor: string;
  action: string;
  target: string | null;
  details: Record<string, unknown> | null;
}

const toEntry = (row: AuditRow): AuditEntry => ({
  id: Number(row.id),
  at: iso(row.at),
  actor: row.actor,
  action: row.action,
  ...(row.target !== null ? { target: row.target } : {}),
  ...(row.details !== null ? { details: row.details } : {}),
});

/** The audit trail in PostgreSQL; triggers make the table refuse UPDATE, DELETE and TRUNCATE. */
export class PostgresAuditStore implements AuditStore {
  private constructor(private readonly pool: PgPool) {}

  static async open(pool: PgPool): Promise<PostgresAuditStore> {
    await migrate(pool, 'audit_log', MIGRATIONS);
    return new PostgresAuditStore(pool);
  }

  async append(entry: AuditEntryInput, now: Date): Promise<AuditEntry> {
    const { rows } = await query<AuditRow>(
      this.pool,
      'INSERT INTO audit_log (at, actor, action, target, details) VALUES ($1, $2, $3, $4, $5) RETURNING *',
      [now, entry.actor, entry.action, entry.target ?? null, entry.details === undefined ? null : toJson(entry.details)],
    );
    return toEntry(rows[0]);
  }

  async list(filter: AuditFilter = {}): Promise<{ items: AuditEntry[]; total: number }> {
    const where: string[] = [];
    const params: PgParam[] = [];
    const param = (v: PgParam) => {
      params.push(v);
      return `$${params.length}`;
    };
    if (filter.actor) where.push(`actor = ${param(filter.actor)}`);
    if (filter.action) where.push(`(action = ${param(filter.action)} OR action LIKE ${param(`${likeLiteral(filter.action)}.%`)} ESCAPE '\\')`);
    if (filter.target) where.push(`target = ${param(filter.target)}`);
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const limit = Math.min(Math.max(1, Math.trunc(filter.limit ?? 50)), 500);
    const offset = Math.max(0, Math.trunc(filter.offset ?? 0));
    const n = params.length;
    const items = await query<AuditRow>(this.pool, `SELECT * FROM audit_log ${clause} ORDER BY id DESC LIMIT $${n + 1} OFFSET $${n + 2}`, [
      ...params,
      limit,
      offset,
    ]);
    const total = await query<{ n: number }>(this.pool, `SELECT count(*)::int AS n FROM audit_log ${clause}`, params);
    return { items: items.rows.map(toEntry), total: total.rows[0].n };
  }
}
