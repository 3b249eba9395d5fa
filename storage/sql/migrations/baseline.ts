import { sql, type Kysely } from 'kysely';
import type { SqlDatabase } from '../connect.ts';
import type { Database } from '../schema.ts';
import { LEGACY_POSTGRES_STEPS } from './legacy-postgres.ts';
import { LEGACY_SQLITE_STEPS } from './legacy-sqlite.ts';

const TRACKER = {
  sqlite: 'CREATE TABLE IF NOT EXISTS schema_migrations (scope TEXT NOT NULL, step INTEGER NOT NULL, PRIMARY KEY (scope, step))',
  postgres: `CREATE TABLE IF NOT EXISTS schema_migrations (
     scope text NOT NULL,
     step integer NOT NULL,
     applied_at timestamptz NOT NULL DEFAULT now(),
     PRIMARY KEY (scope, step)
   )`,
};

/**
 * The baseline: the schema the stores made before Kysely, step by step, as they recorded it
 * in `schema_migrations` (scope, step). A step already recorded is skipped, so a database
 * made by an older Loa (every step recorded) keeps its tables and data untouched, one made
 * half-way (an older version still) gets the steps it lacks, and a new one gets them all.
 * The record is kept up to date, so that version could still open the database.
 */
export async function applyLegacySteps(target: SqlDatabase, db: Kysely<Database>): Promise<void> {
  const steps = target.dialect.name === 'sqlite' ? LEGACY_SQLITE_STEPS : LEGACY_POSTGRES_STEPS;
  await sql.raw(TRACKER[target.dialect.name]).execute(db);
  const done = new Set((await db.selectFrom('schema_migrations').select(['scope', 'step']).execute()).map((r) => `${r.scope}:${r.step}`));
  for (const [scope, scripts] of steps) {
    for (const [i, script] of scripts.entries()) {
      if (done.has(`${scope}:${i}`)) continue;
      if (target.sqlite) {
        // A step is several statements: better-sqlite3 runs scripts with exec(), each step in its own transaction.
        const sqlite = target.sqlite;
        sqlite.transaction(() => {
          sqlite.exec(script);
          sqlite.prepare('INSERT INTO schema_migrations (scope, step) VALUES (?, ?)').run(scope, i);
        })();
      } else {
        // Inside the migrator's transaction; a parameterless query may hold several statements.
        await sql.raw(script).execute(db);
        await db.insertInto('schema_migrations').values({ scope, step: i }).execute();
      }
    }
  }
}
