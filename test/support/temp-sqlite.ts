import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SqlDatabase } from '../../storage/sql/connect.ts';
import { openSqlDatabase } from '../../storage/sql/index.ts';
import { openStorage, type Storage } from '../../storage/index.ts';
import { openSqlite, type SqliteDatabase } from '../../storage/sqlite/database.ts';

/** A SQLite file in a fresh temporary folder; each `open()` is a new handle on it, and `cleanup()` closes them all. */
export function tempDatabase(prefix = 'loa-store-'): { file: string; open(): SqliteDatabase; openSql(): Promise<SqlDatabase>; storage(): Promise<Storage>; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const file = join(dir, 'loa.sqlite');
  const handles: SqliteDatabase[] = [];
  const sqlHandles: SqlDatabase[] = [];
  return {
    file,
    open() {
      const db = openSqlite(file);
      handles.push(db);
      return db;
    },
    /** Opens the database through Kysely, migrated (the stores of `storage/sql/`). */
    async openSql() {
      const database = await openSqlDatabase({ sqliteFile: file });
      sqlHandles.push(database);
      return database;
    },
    /** Every store over the file, as `loa serve` opens them. */
    async storage() {
      const storage = await openStorage({ sqliteFile: file, DATABASE_URL: undefined });
      sqlHandles.push({ close: () => storage.close() } as SqlDatabase);
      return storage;
    },
    cleanup() {
      for (const database of sqlHandles) void database.close();
      for (const db of handles) if (db.open) db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
