import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite, type SqliteDatabase } from '../../storage/sqlite/database.ts';

/** A SQLite file in a fresh temporary folder; each `open()` is a new handle on it, and `cleanup()` closes them all. */
export function tempDatabase(prefix = 'loa-store-'): { file: string; open(): SqliteDatabase; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const file = join(dir, 'loa.sqlite');
  const handles: SqliteDatabase[] = [];
  return {
    file,
    open() {
      const db = openSqlite(file);
      handles.push(db);
      return db;
    },
    cleanup() {
      for (const db of handles) if (db.open) db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
