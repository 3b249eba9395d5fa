import type { ExpressionBuilder, Selectable } from 'kysely';
import type { AuditEntryInput } from '../../domain/audit.ts';
import type { AuditEntry, AuditFilter, AuditStore } from '../audit-store.ts';
import { likeLiteral } from '../like-literal.ts';
import type { SqlDatabase } from './connect.ts';
import { likeEscaped } from './dialect.ts';
import { toJson } from './json.ts';
import type { AuditLogTable, Database } from './schema.ts';

const toEntry = (row: Selectable<AuditLogTable>): AuditEntry => ({
  id: row.id,
  at: row.at,
  actor: row.actor,
  action: row.action,
  ...(row.target !== null ? { target: row.target } : {}),
  ...(row.details !== null ? { details: JSON.parse(row.details) as Record<string, unknown> } : {}),
});

/** The filter's conditions: an action matches itself and its dotted sub-actions ('escalation' → 'escalation.reply'). */
function matches(filter: AuditFilter) {
  return (eb: ExpressionBuilder<Database, 'audit_log'>) => {
    const parts = [];
    if (filter.actor) parts.push(eb('actor', '=', filter.actor));
    if (filter.action) {
      const prefix = `${likeLiteral(filter.action)}.%`;
      parts.push(eb.or([eb('action', '=', filter.action), likeEscaped('action', prefix)]));
    }
    if (filter.target) parts.push(eb('target', '=', filter.target));
    return eb.and(parts);
  };
}

/** The audit trail, on SQLite or PostgreSQL; triggers make the table refuse UPDATE and DELETE. */
export class SqlAuditStore implements AuditStore {
  constructor(private readonly sql: SqlDatabase) {}

  async append(entry: AuditEntryInput, now: Date): Promise<AuditEntry> {
    const row = await this.sql.db
      .insertInto('audit_log')
      .values({
        at: now.toISOString(),
        actor: entry.actor,
        action: entry.action,
        target: entry.target ?? null,
        details: entry.details === undefined ? null : toJson(entry.details),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toEntry(row);
  }

  async list(filter: AuditFilter = {}): Promise<{ items: AuditEntry[]; total: number }> {
    const limit = Math.min(Math.max(1, Math.trunc(filter.limit ?? 50)), 500);
    const offset = Math.max(0, Math.trunc(filter.offset ?? 0));
    const { db } = this.sql;
    const rows = await db.selectFrom('audit_log').selectAll().where(matches(filter)).orderBy('id', 'desc').limit(limit).offset(offset).execute();
    const { n } = await db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(matches(filter))
      .executeTakeFirstOrThrow();
    return { items: rows.map(toEntry), total: Number(n) };
  }
}
