import Database from 'better-sqlite3';
import { dirname } from 'node:path';
import { startupError } from '../startup-errors.ts';
import { ensurePrivateDir, ensurePrivateFile, privatizeIfExists } from '../private-files.ts';

export type SqliteDatabase = Database.Database;

/**
 * Opens (creating if needed) the SQLite file that holds Loa's embedded state.
 * WAL lets readers (the bot) proceed while a writer (ingestion, the console) works. The
 * folder is 0700 and the database, WAL and shared-memory files 0600 (private-files.ts).
 */
export function openSqlite(file: string): SqliteDatabase {
  const onDisk = file !== ':memory:';
  try {
    if (onDisk) ensurePrivateDir(dirname(file));
  } catch (err) {
    throw startupError('Cannot create the data directory (LOA_DATA_DIR)', dirname(file), err);
  }
  let db: SqliteDatabase | undefined;
  try {
    if (onDisk) ensurePrivateFile(file);
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    // SQLite copies the database file's mode to these; files from an older version are tightened.
    if (onDisk) for (const suffix of ['-wal', '-shm']) privatizeIfExists(file + suffix);
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
