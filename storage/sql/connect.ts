import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql, type DatabaseIntrospector, type TableMetadata, type PostgresPool, type PostgresPoolClient, type SqliteDatabase as KyselySqliteDatabase } from 'kysely';
import pg from 'pg';
import { fold } from '../../domain/fold.ts';
import { cleanText, noteError, openPostgresPool, type PgPool } from '../postgres/database.ts';
import { openSqlite, type SqliteDatabase } from '../sqlite/database.ts';
import { postgresDialect, sqliteDialect, type SqlDialect } from './dialect.ts';
import type { Database } from './schema.ts';

/** An open database: the query builder, what differs between its dialects, and how to close it. */
export interface SqlDatabase {
  db: Kysely<Database>;
  dialect: SqlDialect;
  /** The SQLite handle (SQLite only): scripts that are several statements, and user functions. */
  sqlite?: SqliteDatabase;
  /** The PostgreSQL pool (PostgreSQL only): advisory locks. */
  pool?: PgPool;
  close(): Promise<void>;
}

/** Case- and diacritic-free text, as the escalation search compares it (`loa_fold` in SQL on SQLite). */
export const foldForSearch = (text: string): string => fold(text).toLowerCase();

/**
 * Kysely prepares every statement it runs; better-sqlite3 statements are reusable, so the
 * few hundred distinct statements Loa runs are prepared once each.
 */
function cachingStatements(db: SqliteDatabase, max = 500): KyselySqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => db.close(),
    prepare(sqlText: string) {
      let stmt = cache.get(sqlText);
      if (!stmt) {
        if (cache.size >= max) cache.delete(cache.keys().next().value as string);
        stmt = db.prepare(sqlText);
        cache.set(sqlText, stmt);
      }
      return stmt;
    },
  };
}

const openFiles = new Map<string, { database: SqlDatabase; refs: number }>();

/**
 * Opens (creating if needed) the SQLite file (0600 in a 0700 folder, see `sqlite/database.ts`).
 * Handles on one file in one process share one connection: Kysely queues its queries, so a
 * transaction waiting for a query never meets another connection of the same thread holding
 * the write lock (better-sqlite3 would wait for it synchronously, for ever). Other processes
 * wait for the lock as SQLite does (`busy_timeout`).
 */
export function openSqliteDatabase(file: string): SqlDatabase {
  const shared = file === ':memory:' ? undefined : openFiles.get(file);
  if (shared) {
    shared.refs += 1;
    return handle(shared.database, file);
  }
  const sqlite = openSqlite(file);
  sqlite.function('loa_fold', { deterministic: true }, (text: unknown) => (typeof text === 'string' ? foldForSearch(text) : null));
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cachingStatements(sqlite) }) });
  const database: SqlDatabase = { db, dialect: sqliteDialect, sqlite, close: () => db.destroy() };
  if (file === ':memory:') return database;
  openFiles.set(file, { database, refs: 1 });
  return handle(database, file);
}

/** One holder's view of a shared SQLite connection: closing it closes the connection with the last holder. */
function handle(database: SqlDatabase, file: string): SqlDatabase {
  let closed = false;
  return {
    ...database,
    close: async () => {
      const shared = openFiles.get(file);
      if (closed || !shared) return;
      closed = true;
      shared.refs -= 1;
      if (shared.refs > 0) return;
      openFiles.delete(file);
      await database.close();
    },
  };
}

/** PostgreSQL types read as SQLite gives them (see `schema.ts`): ISO text, JSON text, 0/1, numbers. */
const timestamptz = pg.types.getTypeParser(pg.types.builtins.TIMESTAMPTZ);
const PARSERS = new Map<number, (value: string) => unknown>([
  [pg.types.builtins.INT8, Number],
  [pg.types.builtins.NUMERIC, Number],
  [pg.types.builtins.BOOL, (v) => (v === 't' ? 1 : 0)],
  [pg.types.builtins.TIMESTAMPTZ, (v) => (timestamptz(v) as Date).toISOString()],
  [pg.types.builtins.JSONB, (v) => v],
  [pg.types.builtins.JSON, (v) => v],
]);
const types = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') => PARSERS.get(oid) ?? pg.types.getTypeParser(oid, format ?? 'text'),
} as pg.CustomTypesConfig;

function cleanParam(p: unknown): unknown {
  if (typeof p === 'string') return cleanText(p);
  if (Array.isArray(p)) return p.map(cleanParam);
  return p;
}

/**
 * The pool as Kysely sees it: every string parameter cleaned (NUL and lone surrogates, which
 * PostgreSQL refuses and SQLite stores: `cleanText`) and every failure counted for `/metrics`.
 */
function kyselyPool(pool: PgPool): PostgresPool {
  const wrapped = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  return {
    end: () => pool.end(),
    async connect() {
      const client = await pool.connect().catch((err: unknown) => {
        noteError(err);
        throw err;
      });
      let w = wrapped.get(client);
      if (!w) {
        const c = client;
        w = {
          query: ((text: string, params: readonly unknown[]) =>
            c.query(text, params.map(cleanParam)).catch((err: unknown) => {
              noteError(err);
              throw err;
            })) as unknown as PostgresPoolClient['query'],
          release: (destroy?: boolean) => c.release(destroy),
        };
        wrapped.set(client, w);
      }
      return w;
    },
  };
}

/**
 * Kysely's migrator asks the introspector whether its tables exist; PostgreSQL's looks
 * through every schema, and fails when another one is dropped meanwhile (tests drop theirs).
 * This one looks in the current schema only, which is where the migrator's tables are.
 */
class CurrentSchemaIntrospector implements DatabaseIntrospector {
  constructor(private readonly db: Kysely<unknown>) {}

  async getSchemas() {
    const { rows } = await sql<{ name: string }>`SELECT current_schema() AS name`.execute(this.db);
    return rows;
  }

  async getTables(): Promise<TableMetadata[]> {
    const { rows } = await sql<{ name: string; schema: string }>`
      SELECT table_name AS name, table_schema AS schema FROM information_schema.tables WHERE table_schema = current_schema()`.execute(this.db);
    return rows.map((r) => ({ ...r, isView: false, columns: [] }));
  }

  async getMetadata() {
    return { tables: await this.getTables() };
  }
}

class LoaPostgresDialect extends PostgresDialect {
  override createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new CurrentSchemaIntrospector(db);
  }
}

export interface PostgresOptions {
  poolSize?: number;
  statementTimeoutMs?: number;
  onError?: (err: Error) => void;
}

/** Opens a pool to the PostgreSQL database at `url` (see `postgres/database.ts` for its settings). */
export function openPostgresDatabase(url: string, opts: PostgresOptions = {}): SqlDatabase {
  const pool = openPostgresPool(url, { max: opts.poolSize, onError: opts.onError, statementTimeoutMs: opts.statementTimeoutMs, types });
  const db = new Kysely<Database>({ dialect: new LoaPostgresDialect({ pool: kyselyPool(pool) }) });
  return { db, dialect: postgresDialect, pool, close: () => db.destroy() };
}
