import type { SecretStore } from '../secret-store.ts';
import { migrate, query, type PgPool } from './database.ts';

const MIGRATIONS = [
  `CREATE TABLE secrets (
     key text PRIMARY KEY,
     value text NOT NULL,
     updated_at timestamptz NOT NULL
   );`,
];

/**
 * Key-value secrets in PostgreSQL. Values are stored as given: protect the database as you
 * would the tokens themselves.
 */
export class PostgresSecretStore implements SecretStore {
  private constructor(
    private readonly pool: PgPool,
    private readonly clock: () => Date,
  ) {}

  static async open(pool: PgPool, clock: () => Date = () => new Date()): Promise<PostgresSecretStore> {
    await migrate(pool, 'secrets', MIGRATIONS);
    return new PostgresSecretStore(pool, clock);
  }

  async get(key: string): Promise<string | undefined> {
    const { rows } = await query<{ value: string }>(this.pool, 'SELECT value FROM secrets WHERE key = $1', [key]);
    return rows[0]?.value;
  }

  async setMany(values: Record<string, string>): Promise<void> {
    // One statement: a rotated token pair is never half written. Keys in a fixed order, so two
    // instances rotating at once wait for each other instead of deadlocking.
    const keys = Object.keys(values).sort();
    if (!keys.length) return;
    await query(
      this.pool,
      `INSERT INTO secrets (key, value, updated_at)
       SELECT k, v, $3 FROM unnest($1::text[], $2::text[]) AS t (k, v)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      [keys, keys.map((k) => values[k]), this.clock()],
    );
  }
}
