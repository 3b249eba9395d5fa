import { randomInt } from 'node:crypto';
import pg from 'pg';

/** First key of the advisory locks that mark live Loa instances ("Loa" in ASCII). */
export const INSTANCE_LOCK_CLASS = 0x4c6f61;

/**
 * Which instances are alive, as PostgreSQL sees it: each instance holds a session advisory
 * lock `(INSTANCE_LOCK_CLASS, key)` on a connection of its own for as long as it runs. The
 * lock goes away with the connection, so a crashed instance stops holding it by itself.
 *
 * The outbox records the key of the instance that claimed an item, and at start-up puts
 * back in line only the items whose claimer no longer holds its lock; items another live
 * instance is sending right now are left alone (they would otherwise be sent twice).
 */
export interface InstanceLock {
  /** Positive 31-bit number, stored with each claim. */
  readonly key: number;
  release(): Promise<void>;
}

/** SQL condition: instance `keyExpr` holds its lock in this database (i.e. it is alive). */
export function instanceAliveSql(keyExpr: string): string {
  return `EXISTS (SELECT 1 FROM pg_locks l
    WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
      AND l.classid = ${INSTANCE_LOCK_CLASS}::oid AND l.objid = (${keyExpr})::oid
      AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()))`;
}

/**
 * Takes a fresh instance key and holds its lock on a dedicated connection. If that
 * connection drops, the lock is taken again on a new one (same key) a few seconds later;
 * in between, another instance starting up may re-send what this one was sending: a rare
 * duplicate, never a lost message.
 */
export async function acquireInstanceLock(url: string, opts: { onError?: (err: Error) => void; retryMs?: number } = {}): Promise<InstanceLock> {
  let key = 0;
  let client: pg.Client | undefined;
  let released = false;
  let retry: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: url, application_name: 'loa-instance', connectionTimeoutMillis: 10_000, keepAlive: true });
    // Only a connection that holds the lock is re-established; a failed attempt is retried by its caller.
    const lost = (): void => {
      if (client !== c) return;
      client = undefined;
      if (!released) scheduleRetry();
    };
    c.on('error', (err) => {
      opts.onError?.(err);
      lost();
    });
    c.on('end', lost);
    await c.connect();
    try {
      // Keys are random, but a collision with a live instance must not be silent.
      for (;;) {
        key = key || randomInt(1, 2 ** 31 - 1);
        const { rows } = await c.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS ok', [INSTANCE_LOCK_CLASS, key]);
        if (rows[0]?.ok) break;
        key = 0;
      }
    } catch (err) {
      await c.end().catch(() => undefined);
      throw err;
    }
    client = c;
  };
  const scheduleRetry = (): void => {
    if (retry || released) return;
    retry = setTimeout(() => {
      retry = undefined;
      connect().catch((err: unknown) => {
        opts.onError?.(err instanceof Error ? err : new Error(String(err)));
        scheduleRetry();
      });
    }, opts.retryMs ?? 5_000);
    retry.unref();
  };

  await connect();
  return {
    get key() {
      return key;
    },
    async release() {
      released = true;
      if (retry) clearTimeout(retry);
      const c = client;
      client = undefined;
      // Ending the session releases its advisory locks.
      await c?.end().catch(() => undefined);
    },
  };
}
