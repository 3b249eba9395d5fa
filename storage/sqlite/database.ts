import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { startupError } from '../../app/startup-errors.ts';

export type SqliteDatabase = Database.Database;

/**
 * Opens (creating if needed) the SQLite file that holds Loa's embedded state.
 * WAL lets readers (the bot) proceed while a writer (ingestion, the console) works.
 */
export function openSqlite(file: string): SqliteDatabase {
  try {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  } catch (err) {
    throw startupError('Cannot create the data directory (LOA_DATA_DIR)', dirname(file), err);
  }
  let db: SqliteDatabase | undefined;
  try {
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    return db;
  } catch (err) {
    db?.close();
    throw startupError('Cannot open the database', file, err);
  }
}

/**
 * Applies a store's migrations once each, in order. Each store owns a `scope` so stores can
 * evolve their own tables independently.
 */
export function migrate(db: SqliteDatabase, scope: string, steps: string[]): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (scope TEXT NOT NULL, step INTEGER NOT NULL, PRIMARY KEY (scope, step))');
  const done = new Set(
    db.prepare('SELECT step FROM schema_migrations WHERE scope = ?').all(scope).map((r) => (r as { step: number }).step),
  );
  const record = db.prepare('INSERT INTO schema_migrations (scope, step) VALUES (?, ?)');
  steps.forEach((sql, i) => {
    if (done.has(i)) return;
    db.transaction(() => {
      db.exec(sql);
      record.run(scope, i);
    })();
  });
}
