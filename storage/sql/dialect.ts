import { sql, type Expression, type Kysely, type RawBuilder, type SelectQueryBuilder, type Transaction } from 'kysely';
import type { Database } from './schema.ts';

/**
 * Everything the stores must spell differently on SQLite and PostgreSQL, in one place. The
 * rest (RETURNING, ON CONFLICT, LIKE … ESCAPE, JSON text, 0/1 flags, ISO timestamps) is
 * the same on both: `connect.ts` makes PostgreSQL hand back the values SQLite does.
 */
export interface SqlDialect {
  readonly name: 'sqlite' | 'postgres';
  /**
   * Runs `fn` in one write transaction: committed when it resolves, rolled back when it
   * throws. SQLite takes the database's write lock at BEGIN (IMMEDIATE), so a read-then-write
   * cannot be overtaken by another connection; PostgreSQL uses row locks (`lockForClaim`).
   */
  writeTransaction<T>(db: Kysely<Database>, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T>;
  /** A read-only snapshot: several statements see the same data. */
  snapshot<T>(db: Kysely<Database>, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T>;
  /**
   * Locks the selected rows for a claim, skipping rows another claimer holds (PostgreSQL
   * `FOR UPDATE SKIP LOCKED`); SQLite has one writer at a time, which already serialises claims.
   */
  lockForClaim<QB extends SelectQueryBuilder<Database, keyof Database, object>>(qb: QB): QB;
  /** Locks the selected rows until the transaction ends (`FOR UPDATE`; SQLite's write transaction already holds the database). */
  lockRows<QB extends SelectQueryBuilder<Database, keyof Database, object>>(qb: QB): QB;
  /**
   * Inside a write transaction, waits until no other transaction holds the lock `name`
   * (PostgreSQL `pg_advisory_xact_lock`, per schema; SQLite's write transaction already excludes the others).
   */
  serialize(trx: Kysely<Database>, name: string): Promise<void>;
  /** The larger of two numbers (`max(a, b)` / `greatest(a, b)`). */
  greatest(a: Expression<number>, b: Expression<number>): RawBuilder<number>;
  /** The column that orders a table's rows by insertion where it has no id of its own (SQLite's rowid, PostgreSQL's seq). */
  readonly insertionOrder: 'rowid' | 'seq';
  /** Seconds between two ISO timestamp columns. */
  secondsBetween(from: Expression<string | null>, to: Expression<string | null>): RawBuilder<number>;
  /** The agency's calendar day (yyyy-mm-dd) of a timestamp column, `offsetMinutes` east of UTC. */
  localDay(column: Expression<string>, offsetMinutes: number): RawBuilder<string>;
  /** Counts the rows where `condition` holds (`sum(cond)` / `count(*) FILTER (WHERE cond)`). */
  countWhere(condition: RawBuilder<unknown>): RawBuilder<number>;
  /** `a IS b` with NULLs equal (SQLite `IS`, PostgreSQL `IS NOT DISTINCT FROM`). */
  isSame(a: Expression<unknown>, b: Expression<unknown>): RawBuilder<boolean>;
  /** Whether the JSON array in `column` has an element whose `id` is `id` (PostgreSQL uses the GIN index). */
  jsonArrayHasId(column: Expression<string>, id: Expression<string>): RawBuilder<boolean>;
}

async function inTransaction<T>(db: Kysely<Database>, begin: string, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  // One connection for the whole transaction (SQLite has only one; PostgreSQL checks one out of the pool).
  return db.connection().execute(async (conn) => {
    await sql.raw(begin).execute(conn);
    try {
      const result = await fn(conn);
      await sql.raw('COMMIT').execute(conn);
      return result;
    } catch (err) {
      await sql.raw('ROLLBACK').execute(conn).catch(() => undefined);
      throw err;
    }
  });
}

export const sqliteDialect: SqlDialect = {
  name: 'sqlite',
  writeTransaction: (db, fn) => inTransaction(db, 'BEGIN IMMEDIATE', fn),
  snapshot: (db, fn) => inTransaction(db, 'BEGIN', fn),
  lockForClaim: (qb) => qb,
  lockRows: (qb) => qb,
  serialize: async () => undefined,
  greatest: (a, b) => sql<number>`max(${a}, ${b})`,
  insertionOrder: 'rowid',
  secondsBetween: (from, to) => sql<number>`(julianday(${to}) - julianday(${from})) * 86400.0`,
  localDay: (column, offsetMinutes) => {
    const shift = `${offsetMinutes >= 0 ? '+' : ''}${Math.trunc(offsetMinutes)} minutes`;
    return sql<string>`substr(datetime(${column}, ${shift}), 1, 10)`;
  },
  countWhere: (condition) => sql<number>`coalesce(sum(CASE WHEN ${condition} THEN 1 ELSE 0 END), 0)`,
  isSame: (a, b) => sql<boolean>`${a} IS ${b}`,
  jsonArrayHasId: (column, id) => sql<boolean>`EXISTS (SELECT 1 FROM json_each(${column}) c WHERE json_extract(c.value, '$.id') = ${id})`,
};

export const postgresDialect: SqlDialect = {
  name: 'postgres',
  writeTransaction: (db, fn) => db.transaction().execute((trx: Transaction<Database>) => fn(trx)),
  snapshot: (db, fn) => inTransaction(db, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', fn),
  lockForClaim: <QB extends SelectQueryBuilder<Database, keyof Database, object>>(qb: QB) => qb.forUpdate().skipLocked() as QB,
  lockRows: <QB extends SelectQueryBuilder<Database, keyof Database, object>>(qb: QB) => qb.forUpdate() as QB,
  serialize: async (trx, name) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext(${`loa.${name}:`} || coalesce(current_schema(), '')))`.execute(trx);
  },
  greatest: (a, b) => sql<number>`greatest(${a}, ${b})`,
  insertionOrder: 'seq',
  secondsBetween: (from, to) => sql<number>`extract(epoch FROM (${to}::timestamptz - ${from}::timestamptz))::float8`,
  localDay: (column, offsetMinutes) =>
    sql<string>`to_char((${column}::timestamptz AT TIME ZONE 'UTC') + make_interval(mins => ${Math.trunc(offsetMinutes)}::int), 'YYYY-MM-DD')`,
  countWhere: (condition) => sql<number>`count(*) FILTER (WHERE ${condition})`,
  isSame: (a, b) => sql<boolean>`${a} IS NOT DISTINCT FROM ${b}`,
  jsonArrayHasId: (column, id) => sql<boolean>`${column}::jsonb @> jsonb_build_array(jsonb_build_object('id', ${id}::text))`,
};

/** `column LIKE pattern ESCAPE '\'` (the same on both): with `likeLiteral`, wildcards in user input match themselves. */
export function likeEscaped(column: Expression<string | null> | string, pattern: string): RawBuilder<boolean> {
  const ref = typeof column === 'string' ? sql.ref(column) : column;
  return sql<boolean>`${ref} LIKE ${pattern} ESCAPE '\\'`;
}
