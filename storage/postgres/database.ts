import pg from 'pg';

export type PgPool = pg.Pool;

/** How long one statement may run unless LOA_DB_STATEMENT_TIMEOUT_MS says otherwise. */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 15_000;
/** A pool or one of its checked-out clients (inside a transaction). */
export type PgQueryable = pg.Pool | pg.PoolClient;

const errorListeners = new Set<(err: unknown) => void>();

/**
 * Calls `listener` for every failed PostgreSQL statement, transaction or dropped idle
 * connection in this process (counted by `/metrics`). Returns the function that unsubscribes.
 */
export function onPostgresError(listener: (err: unknown) => void): () => void {
  errorListeners.add(listener);
  return () => errorListeners.delete(listener);
}

/** Counts a failure for the `onPostgresError` listeners (`/metrics`). */
export function noteError(err: unknown): void {
  for (const listener of errorListeners) listener(err);
}

/** True for the URLs that select the PostgreSQL backend. */
export function isPostgresUrl(url: string | undefined): url is string {
  return url !== undefined && /^postgres(ql)?:\/\//i.test(url);
}

/**
 * A connection pool to the database in `url`. The pool's `error` event (an idle connection
 * dropped, e.g. by a server restart) must have a listener or Node stops the process; the
 * broken connection is discarded and the next query opens a new one, so a note is enough.
 * A schema other than `public` is chosen in the URL: `?options=-c%20search_path%3Dloa`.
 */
export function openPostgresPool(
  url: string,
  opts: { max?: number; onError?: (err: Error) => void; statementTimeoutMs?: number; connectTimeoutMs?: number; types?: pg.CustomTypesConfig } = {},
): PgPool {
  const statementTimeoutMs = opts.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
  // Timestamps given as text without an offset then mean UTC, as the ISO strings of the store
  // interfaces do. Set as a startup option (kept alongside any `options` in the URL) rather than
  // by a query on connect, which would race the pool's first query on that connection.
  // statement_timeout makes the server cancel a runaway statement; query_timeout (client side,
  // a little longer) frees the caller when the server does not answer at all (a partition).
  const urlOptions = new URL(url).searchParams.get('options') ?? '';
  const pool = new pg.Pool({
    connectionString: url,
    options: `${urlOptions} -c TimeZone=UTC -c statement_timeout=${statementTimeoutMs} -c idle_in_transaction_session_timeout=${statementTimeoutMs * 4}`.trim(),
    max: opts.max ?? 10,
    application_name: 'loa',
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 5_000,
    query_timeout: statementTimeoutMs + 2_000,
    keepAlive: true,
    ...(opts.types ? { types: opts.types } : {}),
  });
  const onError = (err: Error) => {
    noteError(err);
    opts.onError?.(err);
  };
  pool.on('error', onError);
  // A client checked out between queries (a transaction, a held lock) that loses its connection
  // emits 'error' on itself, where the pool's listener is not: without this it crashes the process.
  pool.on('connect', (client) => client.on('error', onError));
  return pool;
}

/**
 * NUL is not allowed in PostgreSQL text or jsonb, and jsonb refuses lone UTF-16 surrogates;
 * SQLite stores both. Citizens' messages are not trusted to be clean, and a webhook must not
 * fail (and be re-delivered forever) over one stray character, so both are dropped/replaced.
 */
export function cleanText(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\u0000/g, '').replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** Serialises a value for a `jsonb` parameter (pg would turn a JS array into a PostgreSQL array). */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? cleanText(v) : v));
}

/** A parameter value as pg accepts it. */
export type PgParam = string | number | boolean | null | Date | PgParam[];

function cleanParam(p: PgParam): PgParam {
  if (typeof p === 'string') return cleanText(p);
  if (Array.isArray(p)) return p.map(cleanParam);
  return p;
}

/** Runs one parameterised statement, with every string parameter cleaned (see `cleanText`). */
export async function query<R extends pg.QueryResultRow>(db: PgQueryable, sql: string, params: PgParam[] = []): Promise<pg.QueryResult<R>> {
  try {
    return await db.query<R>(sql, params.map(cleanParam));
  } catch (err) {
    noteError(err);
    throw err;
  }
}

/** A read-write transaction, or a read-only snapshot (several statements see the same data). */
export type TransactionMode = 'BEGIN' | 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY';

/** Runs `fn` in one transaction on one client: committed when it resolves, rolled back when it throws. */
export async function withTransaction<T>(pool: PgPool, fn: (client: pg.PoolClient) => Promise<T>, mode: TransactionMode = 'BEGIN'): Promise<T> {
  const client = await pool.connect().catch((err: unknown) => {
    noteError(err);
    throw err;
  });
  let broken: Error | undefined;
  try {
    await client.query(mode);
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    noteError(err);
    await client.query('ROLLBACK').catch((e: unknown) => {
      // A connection that cannot roll back is not given back to the pool.
      broken = e instanceof Error ? e : new Error(String(e));
    });
    throw err;
  } finally {
    client.release(broken);
  }
}

/** timestamptz (a Date from pg) or text, as the ISO string the store interfaces use. */
export function iso(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

export function isoOrUndefined(value: Date | string | null): string | undefined {
  return value === null ? undefined : iso(value);
}

/**
 * Applies a store's migrations once each, in order, like `storage/sqlite/database.ts`'s
 * `migrate`. Several instances may start at once: an advisory lock (per schema) makes them
 * migrate one after the other, and each scope's steps commit together (DDL is
 * transactional in PostgreSQL), so nobody sees half a schema.
 */
export async function migrate(pool: PgPool, scope: string, steps: string[]): Promise<void> {
  await withTransaction(pool, async (client) => {
    // Waiting for another instance's migration (and a long DDL step) may take longer than one statement's budget.
    await client.query('SET LOCAL statement_timeout = 0');
    await client.query("SELECT pg_advisory_xact_lock(hashtext('loa.migrate:' || coalesce(current_schema(), '')))");
    await client.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         scope text NOT NULL,
         step integer NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (scope, step)
       )`,
    );
    const { rows } = await client.query<{ step: number }>('SELECT step FROM schema_migrations WHERE scope = $1', [scope]);
    const done = new Set(rows.map((r) => r.step));
    for (const [i, sql] of steps.entries()) {
      if (done.has(i)) continue;
      await client.query(sql);
      await client.query('INSERT INTO schema_migrations (scope, step) VALUES ($1, $2)', [scope, i]);
    }
  });
}
