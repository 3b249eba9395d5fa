import Database from 'better-sqlite3';
import { chmodSync, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';

/**
 * Backup and restore of the embedded SQLite database. The backup uses SQLite's online backup
 * API (through better-sqlite3), so it is a consistent copy even while `loa serve` writes; the
 * restore checks the file first and keeps the database it replaces next to it.
 */

/** Tables every Loa database has; a file without them is not a Loa backup. */
const REQUIRED_TABLES = ['schema_migrations', 'inbox', 'outbox'];

export interface BackupResult {
  file: string;
  bytes: number;
  pages: number;
}

/** Copies the live database at `source` to `destination` (which must not exist). */
export async function backupSqlite(source: string, destination: string): Promise<BackupResult> {
  if (!existsSync(source)) throw new Error(`${source}: no database here (check LOA_DATA_DIR)`);
  if (existsSync(destination)) throw new Error(`${destination}: already exists; choose a new file name`);
  const db = new Database(source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const { totalPages } = await db.backup(destination);
    // Citizens' messages and channel tokens: readable by the owner only.
    chmodSync(destination, 0o600);
    return { file: destination, bytes: statSync(destination).size, pages: totalPages };
  } catch (err) {
    rmSync(destination, { force: true });
    throw new Error(`backup to ${destination} failed: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    db.close();
  }
}

/** Throws unless `file` is an intact SQLite database with Loa's tables. */
export function checkBackup(file: string): void {
  if (!existsSync(file)) throw new Error(`${file}: no such file`);
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') throw new Error(`integrity check failed (${String(integrity)})`);
    const tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name));
    const missing = REQUIRED_TABLES.filter((t) => !tables.has(t));
    if (missing.length) throw new Error(`not a Loa database (no ${missing.join(', ')} table)`);
  } catch (err) {
    throw new Error(`${file}: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    db?.close();
  }
}

/**
 * Replaces the database at `target` with the backup `file`. Loa must be stopped. The current
 * database (with its WAL) is moved to `<target>.before-restore-<time>`, never deleted; the
 * backup is copied next to the target first and renamed into place, so a failure half-way
 * leaves the old database where it was.
 */
export async function restoreSqlite(file: string, target: string, now = new Date()): Promise<{ previous?: string }> {
  checkBackup(file);
  const staging = join(dirname(target), `.${basename(target)}.restoring`);
  rmSync(staging, { force: true });
  // The backup API again: a consistent single file even if the backup was taken in WAL mode.
  const src = new Database(file, { readonly: true, fileMustExist: true });
  try {
    await src.backup(staging);
  } finally {
    src.close();
  }
  let previous: string | undefined;
  if (existsSync(target)) {
    previous = `${target}.before-restore-${now.toISOString().replace(/[:.]/g, '-')}`;
    // Fold the WAL into the old file so the kept copy is complete on its own.
    const old = new Database(target, { fileMustExist: true });
    try {
      old.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      old.close();
    }
    renameSync(target, previous);
    for (const suffix of ['-wal', '-shm']) rmSync(`${target}${suffix}`, { force: true });
  }
  chmodSync(staging, 0o600);
  renameSync(staging, target);
  return previous ? { previous } : {};
}
