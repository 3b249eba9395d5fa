import type { Selectable } from 'kysely';
import type { SessionStore, StaffSession } from '../session-store.ts';
import type { SqlDatabase } from './connect.ts';
import type { StaffSessionsTable } from './schema.ts';

const toSession = (row: Selectable<StaffSessionsTable>): StaffSession => ({
  idHash: row.id_hash,
  userId: row.user_id,
  createdAt: row.created_at,
  lastSeenAt: row.last_seen_at,
  expiresAt: row.expires_at,
});

/** Console sessions, on SQLite or PostgreSQL (keyed by the hash of the session id). */
export class SqlSessionStore implements SessionStore {
  constructor(private readonly sql: SqlDatabase) {}

  async create(session: { idHash: string; userId: string; expiresAt: string }, now: Date): Promise<StaffSession> {
    const at = now.toISOString();
    const row = await this.sql.db
      .insertInto('staff_sessions')
      .values({ id_hash: session.idHash, user_id: session.userId, created_at: at, last_seen_at: at, expires_at: session.expiresAt })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toSession(row);
  }

  async get(idHash: string): Promise<StaffSession | undefined> {
    const row = await this.sql.db.selectFrom('staff_sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
    return row && toSession(row);
  }

  async touch(idHash: string, now: Date): Promise<void> {
    await this.sql.db.updateTable('staff_sessions').set({ last_seen_at: now.toISOString() }).where('id_hash', '=', idHash).execute();
  }

  async delete(idHash: string): Promise<boolean> {
    const result = await this.sql.db.deleteFrom('staff_sessions').where('id_hash', '=', idHash).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async deleteForUser(userId: string, keepIdHash?: string): Promise<number> {
    const result = await this.sql.db
      .deleteFrom('staff_sessions')
      .where('user_id', '=', userId)
      .$if(keepIdHash !== undefined, (qb) => qb.where('id_hash', '<>', keepIdHash as string))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async listForUser(userId: string): Promise<StaffSession[]> {
    const rows = await this.sql.db.selectFrom('staff_sessions').selectAll().where('user_id', '=', userId).orderBy('last_seen_at', 'desc').execute();
    return rows.map(toSession);
  }

  async deleteExpired(idleBefore: Date, now: Date): Promise<number> {
    const result = await this.sql.db
      .deleteFrom('staff_sessions')
      .where((eb) => eb.or([eb('last_seen_at', '<', idleBefore.toISOString()), eb('expires_at', '<=', now.toISOString())]))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
