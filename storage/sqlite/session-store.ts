import type { SessionStore, StaffSession } from '../session-store.ts';
import { migrate, type SqliteDatabase } from './database.ts';

const MIGRATIONS = [
  `CREATE TABLE staff_sessions (
     id_hash TEXT PRIMARY KEY,
     user_id TEXT NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
     created_at TEXT NOT NULL,
     last_seen_at TEXT NOT NULL,
     expires_at TEXT NOT NULL
   ) WITHOUT ROWID;
   CREATE INDEX staff_sessions_user ON staff_sessions (user_id);`,
];

interface SessionRow {
  id_hash: string;
  user_id: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

const toSession = (row: SessionRow): StaffSession => ({
  idHash: row.id_hash,
  userId: row.user_id,
  createdAt: row.created_at,
  lastSeenAt: row.last_seen_at,
  expiresAt: row.expires_at,
});

/** Console sessions in SQLite (keyed by the hash of the session id). Needs the staff_users table. */
export class SqliteSessionStore implements SessionStore {
  private readonly insert;
  private readonly byHash;
  private readonly touchRow;
  private readonly deleteRow;
  private readonly deleteUser;
  private readonly deleteOld;
  private readonly byUser;

  constructor(db: SqliteDatabase) {
    migrate(db, 'staff_sessions', MIGRATIONS);
    this.insert = db.prepare(
      'INSERT INTO staff_sessions (id_hash, user_id, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?)',
    );
    this.byHash = db.prepare('SELECT * FROM staff_sessions WHERE id_hash = ?');
    this.touchRow = db.prepare('UPDATE staff_sessions SET last_seen_at = ? WHERE id_hash = ?');
    this.deleteRow = db.prepare('DELETE FROM staff_sessions WHERE id_hash = ?');
    this.deleteUser = db.prepare('DELETE FROM staff_sessions WHERE user_id = ? AND id_hash IS NOT ?');
    this.deleteOld = db.prepare('DELETE FROM staff_sessions WHERE last_seen_at < ? OR expires_at <= ?');
    this.byUser = db.prepare('SELECT * FROM staff_sessions WHERE user_id = ? ORDER BY last_seen_at DESC');
  }

  async create(session: { idHash: string; userId: string; expiresAt: string }, now: Date): Promise<StaffSession> {
    const at = now.toISOString();
    this.insert.run(session.idHash, session.userId, at, at, session.expiresAt);
    return { idHash: session.idHash, userId: session.userId, createdAt: at, lastSeenAt: at, expiresAt: session.expiresAt };
  }

  async get(idHash: string): Promise<StaffSession | undefined> {
    const row = this.byHash.get(idHash) as SessionRow | undefined;
    return row && toSession(row);
  }

  async touch(idHash: string, now: Date): Promise<void> {
    this.touchRow.run(now.toISOString(), idHash);
  }

  async delete(idHash: string): Promise<boolean> {
    return this.deleteRow.run(idHash).changes > 0;
  }

  async deleteForUser(userId: string, keepIdHash?: string): Promise<number> {
    return this.deleteUser.run(userId, keepIdHash ?? null).changes;
  }

  async listForUser(userId: string): Promise<StaffSession[]> {
    return (this.byUser.all(userId) as SessionRow[]).map(toSession);
  }

  async deleteExpired(idleBefore: Date, now: Date): Promise<number> {
    return this.deleteOld.run(idleBefore.toISOString(), now.toISOString()).changes;
  }
}
