import type { AuditEntryInput } from '../../domain/audit.ts';
import type { AuditEntry, AuditFilter, AuditStore } from '../audit-store.ts';
import { likeLiteral } from '../like-literal.ts';
import { migrate, type SqliteDatabase } from './database.ts';

const MIGRATIONS = [
  `CREATE TABLE audit_log (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     at TEXT NOT NULL,
     actor TEXT NOT NULL,
     action TEXT NOT NULL,
     target TEXT,
     details TEXT
   );
   CREATE INDEX audit_log_actor ON audit_log (actor, id);
   CREATE INDEX audit_log_action ON audit_log (action, id);
   CREATE INDEX audit_log_target ON audit_log (target, id);
   CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
   CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;`,
];

interface AuditRow {
  id: number;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  details: string | null;
}

const toEntry = (row: AuditRow): AuditEntry => ({
  id: row.id,
  at: row.at,
  actor: row.actor,
  action: row.action,
  ...(row.target !== null ? { target: row.target } : {}),
  ...(row.details !== null ? { details: JSON.parse(row.details) as Record<string, unknown> } : {}),
});

/** The audit trail in SQLite; triggers make the table refuse UPDATE and DELETE. */
export class SqliteAuditStore implements AuditStore {
  private readonly db: SqliteDatabase;
  private readonly insert;

  constructor(db: SqliteDatabase) {
    this.db = db;
    migrate(db, 'audit_log', MIGRATIONS);
    this.insert = db.prepare('INSERT INTO audit_log (at, actor, action, target, details) VALUES (?, ?, ?, ?, ?) RETURNING *');
  }

  async append(entry: AuditEntryInput, now: Date): Promise<AuditEntry> {
    const row = this.insert.get(
      now.toISOString(),
      entry.actor,
      entry.action,
      entry.target ?? null,
      entry.details === undefined ? null : JSON.stringify(entry.details),
    ) as AuditRow;
    return toEntry(row);
  }

  async list(filter: AuditFilter = {}): Promise<{ items: AuditEntry[]; total: number }> {
    const where: string[] = [];
    const params: string[] = [];
    if (filter.actor) {
      where.push('actor = ?');
      params.push(filter.actor);
    }
    if (filter.action) {
      where.push("(action = ? OR action LIKE ? ESCAPE '\\')");
      params.push(filter.action, `${likeLiteral(filter.action)}.%`);
    }
    if (filter.target) {
      where.push('target = ?');
      params.push(filter.target);
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const limit = Math.min(Math.max(1, Math.trunc(filter.limit ?? 50)), 500);
    const offset = Math.max(0, Math.trunc(filter.offset ?? 0));
    const items = (this.db.prepare(`SELECT * FROM audit_log ${clause} ORDER BY id DESC LIMIT ? OFFSET ?`).all(...params, limit, offset) as AuditRow[]).map(
      toEntry,
    );
    const { n } = this.db.prepare(`SELECT COUNT(*) AS n FROM audit_log ${clause}`).get(...params) as { n: number };
    return { items, total: n };
  }
}
