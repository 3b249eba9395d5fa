import { Migrator, sql, type Kysely, type Migration } from 'kysely';
import type { SqlDatabase } from '../connect.ts';
import type { Database } from '../schema.ts';
import { applyLegacySteps } from './baseline.ts';
import { outboxTurnReference } from './outbox-turn-reference.ts';

/**
 * Loa's schema history, in order; Kysely's `Migrator` records each name in
 * `kysely_migration` once applied and refuses to run with an unknown one recorded. Add new
 * migrations at the end, with the next number, and never change one that has shipped.
 */
function migrations(target: SqlDatabase): Record<string, Migration> {
  return {
    // The schema of the pre-Kysely stores, exactly (see baseline.ts): a database they created
    // has every step recorded in `schema_migrations`, so this only records itself there.
    '0001-baseline': { up: (db) => applyLegacySteps(target, db as Kysely<Database>) },
    // One search column on both backends: SQLite folded the question at query time.
    '0002-escalation-search-column': {
      up: async (db) => {
        if (target.dialect.name !== 'sqlite') return;
        await sql`ALTER TABLE escalations ADD COLUMN question_folded TEXT`.execute(db);
        await sql`UPDATE escalations SET question_folded = loa_fold(question)`.execute(db);
      },
    },
    // Issue 9 retention: a reply's text and citations are read from its turn, not copied.
    '0003-outbox-turn-reference': { up: (db) => outboxTurnReference(target, db as Kysely<Database>) },
  };
}

/**
 * Brings the database up to date. Several instances may start at once on PostgreSQL:
 * Kysely's migrator takes an advisory lock and runs each migration in a transaction (DDL is
 * transactional there); SQLite has one writer at a time.
 */
export async function migrateToLatest(target: SqlDatabase): Promise<string[]> {
  // Kysely looks for its own tables in every schema it can see: name this one (each test has its own).
  const schema =
    target.dialect.name === 'postgres' ? (await sql<{ s: string }>`SELECT current_schema() AS s`.execute(target.db)).rows[0]?.s : undefined;
  const migrator = new Migrator({
    db: target.db,
    provider: { getMigrations: async () => migrations(target) },
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    const cause = error instanceof Error ? error : new Error(String(error));
    throw new Error(`database migration ${failed ?? ''} failed: ${cause.message}`, { cause });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
