import type { RecoveryCodeStore } from '../recovery-code-store.ts';
import { migrate, type SqliteDatabase } from './database.ts';

const MIGRATIONS = [
  `CREATE TABLE staff_recovery_codes (
     user_id TEXT NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
     code_hash TEXT NOT NULL,
     created_at TEXT NOT NULL,
     PRIMARY KEY (user_id, code_hash)
   ) WITHOUT ROWID;`,
];

/** Recovery codes in SQLite (created after the users table). */
export class SqliteRecoveryCodeStore implements RecoveryCodeStore {
  private readonly replaceAll;
  private readonly spend;
  private readonly countFor;
  private readonly removeFor;

  constructor(db: SqliteDatabase) {
    migrate(db, 'recovery_codes', MIGRATIONS);
    const insert = db.prepare('INSERT OR IGNORE INTO staff_recovery_codes (user_id, code_hash, created_at) VALUES (?, ?, ?)');
    this.removeFor = db.prepare('DELETE FROM staff_recovery_codes WHERE user_id = ?');
    this.replaceAll = db.transaction((userId: string, hashes: string[], at: string) => {
      this.removeFor.run(userId);
      for (const h of hashes) insert.run(userId, h, at);
    });
    this.spend = db.prepare('DELETE FROM staff_recovery_codes WHERE user_id = ? AND code_hash = ?');
    this.countFor = db.prepare('SELECT count(*) AS n FROM staff_recovery_codes WHERE user_id = ?');
  }

  async replace(userId: string, codeHashes: string[], now: Date): Promise<void> {
    this.replaceAll(userId, codeHashes, now.toISOString());
  }

  async consume(userId: string, codeHash: string): Promise<boolean> {
    return this.spend.run(userId, codeHash).changes === 1;
  }

  async count(userId: string): Promise<number> {
    return (this.countFor.get(userId) as { n: number }).n;
  }

  async deleteForUser(userId: string): Promise<number> {
    return this.removeFor.run(userId).changes;
  }
}
