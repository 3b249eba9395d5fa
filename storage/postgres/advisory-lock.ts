import type { SharedLock } from '../shared-lock.ts';
import type { PgPool } from './database.ts';

/** First key of Loa's named advisory locks ("Loa" in ASCII); the second is the name's hash. */
const LOCK_CLASS = 0x4c6f61;

/**
 * A lock shared by every instance on one PostgreSQL database: a session advisory lock,
 * held on one pooled connection while `fn` runs. If the instance dies, its connection
 * closes and PostgreSQL releases the lock by itself.
 */
export class PostgresAdvisoryLock implements SharedLock {
  readonly scope = 'postgres' as const;

  constructor(private readonly pool: PgPool) {}

  async withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('SELECT pg_advisory_lock($1, hashtext($2))', [LOCK_CLASS, name]);
      try {
        return await fn();
      } finally {
        await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [LOCK_CLASS, name]).catch((err: unknown) => {
          // A connection that could not unlock must not go back to the pool still holding the lock.
          broken = err instanceof Error ? err : new Error(String(err));
        });
      }
    } finally {
      client.release(broken);
    }
  }
}
