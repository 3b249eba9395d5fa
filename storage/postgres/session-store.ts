import type { SessionStore, StaffSession } from '../session-store.ts';
import { iso, migrate, query, type PgPool } from './database.ts';

const MIGRATIONS = [
  `CREATE TABLE staff_sessions (
     id_hash text PRIMARY KEY,
     user_id text NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
     created_at timestamptz NOT NULL,
     last_seen_at timestamptz NOT NULL,
     expires_at timestamptz NOT NULL
   );
   CREATE INDEX staff_sessions_user ON staff_sessions (user_id);
   CREATE INDEX staff_sessions_last_seen ON staff_sessions (last_seen_at);`,
];

interface SessionRow {
  id_hash: string;
  user_id: string;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
}

const toSession = (row: SessionRow): StaffSession => ({
  idHash: row.id_hash,
  userId: row.user_id,
  createdAt: iso(row.created_at),
  lastSeenAt: iso(row.last_seen_at),
  expiresAt: iso(row.expires_at),
});

/** Console sessions in PostgreSQL (keyed by the hash of the session id). Needs the staff_users table. */
export class PostgresSessionStore implements SessionStore {
  private constructor(private readonly pool: PgPool) {}

  static async open(pool: PgPool): Promise<PostgresSessionStore> {
    await migrate(pool, 'staff_sessions', MIGRATIONS);
    return new PostgresSessionStore(pool);
  }

  async create(session: { idHash: string; userId: string; expiresAt: string }, now: Date): Promise<StaffSession> {
    const { rows } = await query<SessionRow>(
      this.pool,
      'INSERT INTO staff_sessions (id_hash, user_id, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $3, $4) RETURNING *',
      [session.idHash, session.userId, now, session.expiresAt],
    );
    return toSession(rows[0]);
  }

  async get(idHash: string): Promise<StaffSession | undefined> {
    const { rows } = await query<SessionRow>(this.pool, 'SELECT * FROM staff_sessions WHERE id_hash = $1', [idHash]);
    return rows[0] && toSession(rows[0]);
  }

  async touch(idHash: string, now: Date): Promise<void> {
    await query(this.pool, 'UPDATE staff_sessions SET last_seen_at = $1 WHERE id_hash = $2', [now, idHash]);
  }

  async delete(idHash: string): Promise<boolean> {
    const { rowCount } = await query(this.pool, 'DELETE FROM staff_sessions WHERE id_hash = $1', [idHash]);
    return (rowCount ?? 0) > 0;
  }

  async deleteForUser(userId: string, keepIdHash?: string): Promise<number> {
    const { rowCount } = await query(this.pool, 'DELETE FROM staff_sessions WHERE user_id = $1 AND id_hash IS DISTINCT FROM $2', [
      userId,
      keepIdHash ?? null,
    ]);
    return rowCount ?? 0;
  }

  async listForUser(userId: string): Promise<StaffSession[]> {
    const { rows } = await query<SessionRow>(this.pool, 'SELECT * FROM staff_sessions WHERE user_id = $1 ORDER BY last_seen_at DESC', [userId]);
    return rows.map(toSession);
  }

  async deleteExpired(idleBefore: Date, now: Date): Promise<number> {
    const { rowCount } = await query(this.pool, 'DELETE FROM staff_sessions WHERE last_seen_at < $1 OR expires_at <= $2', [idleBefore, now]);
    return rowCount ?? 0;
  }
}
