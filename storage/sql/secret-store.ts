import type { SecretStore } from '../secret-store.ts';
import type { SqlDatabase } from './connect.ts';

/**
 * Key-value secrets, on SQLite or PostgreSQL. Values are stored as given: protect the
 * database as you would the tokens themselves.
 */
export class SqlSecretStore implements SecretStore {
  constructor(
    private readonly sql: SqlDatabase,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async get(key: string): Promise<string | undefined> {
    const row = await this.sql.db.selectFrom('secrets').select('value').where('key', '=', key).executeTakeFirst();
    return row?.value;
  }

  async setMany(values: Record<string, string>): Promise<void> {
    const at = this.clock().toISOString();
    // Rows in key order: two writers lock them in the same order, so PostgreSQL never deadlocks them.
    const rows = Object.entries(values)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, value]) => ({ key, value, updated_at: at }));
    if (!rows.length) return;
    // One statement: a rotated token pair is never half written.
    await this.sql.db
      .insertInto('secrets')
      .values(rows)
      .onConflict((oc) => oc.column('key').doUpdateSet((eb) => ({ value: eb.ref('excluded.value'), updated_at: eb.ref('excluded.updated_at') })))
      .execute();
  }
}
