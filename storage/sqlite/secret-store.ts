import type { SecretStore } from '../secret-store.ts';
import { migrate, type SqliteDatabase } from './database.ts';

const MIGRATIONS = [
  `CREATE TABLE secrets (
     key TEXT PRIMARY KEY,
     value TEXT NOT NULL,
     updated_at TEXT NOT NULL
   ) WITHOUT ROWID;`,
];

/**
 * Key-value secrets in SQLite. Values are stored as given: protect the database file as
 * you would the tokens themselves.
 */
export class SqliteSecretStore implements SecretStore {
  private readonly read;
  private readonly write;
  private readonly writeAll;

  constructor(db: SqliteDatabase, private readonly clock: () => Date = () => new Date()) {
    migrate(db, 'secrets', MIGRATIONS);
    this.read = db.prepare('SELECT value FROM secrets WHERE key = ?');
    this.write = db.prepare(
      `INSERT INTO secrets (key, value, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    );
    // One transaction: a rotated token pair is never half written.
    this.writeAll = db.transaction((values: Record<string, string>, at: string) => {
      for (const [key, value] of Object.entries(values)) this.write.run(key, value, at);
    });
  }

  async get(key: string): Promise<string | undefined> {
    const row = this.read.get(key) as { value: string } | undefined;
    return row?.value;
  }

  async setMany(values: Record<string, string>): Promise<void> {
    this.writeAll(values, this.clock().toISOString());
  }
}
