import type { RecoveryCodeStore } from '../recovery-code-store.ts';
import { migrate, query, withTransaction, type PgPool } from './database.ts';

const MIGRATIONS = [
  `CREATE TABLE staff_recovery_codes (
     user_id text NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
     code_hash text NOT NULL,
     created_at timestamptz NOT NULL,
     PRIMARY KEY (user_id, code_hash)
   );`,
];

/** Recovery codes in PostgreSQL (opened after the users store). */
export class PostgresRecoveryCodeStore implements RecoveryCodeStore {
  private constructor(private readonly pool: PgPool) {}

  static async open(pool: PgPool): Promise<PostgresRecoveryCodeStore> {
    await migrate(pool, 'recovery_codes', MIGRATIONS);
    return new PostgresRecoveryCodeStore(pool);
  }

  async replace(userId: string, codeHashes: string[], now: Date): Promise<void> {
    await withTransaction(this.pool, async (client) => {
      await query(client, 'DELETE FROM staff_recovery_codes WHERE user_id = $1', [userId]);
      await query(
        client,
        `INSERT INTO staff_recovery_codes (user_id, code_hash, created_at)
         SELECT $1, h, $3 FROM unnest($2::text[]) AS t (h) ON CONFLICT DO NOTHING`,
        [userId, codeHashes, now],
      );
    });
  }

  async consume(userId: string, codeHash: string): Promise<boolean> {
    // The row lock makes a second, simultaneous DELETE wait and then find nothing.
    const { rowCount } = await query(this.pool, 'DELETE FROM staff_recovery_codes WHERE user_id = $1 AND code_hash = $2', [userId, codeHash]);
    return rowCount === 1;
  }

  async count(userId: string): Promise<number> {
    const { rows } = await query<{ n: string }>(this.pool, 'SELECT count(*) AS n FROM staff_recovery_codes WHERE user_id = $1', [userId]);
    return Number(rows[0]?.n ?? 0);
  }

  async deleteForUser(userId: string): Promise<number> {
    const { rowCount } = await query(this.pool, 'DELETE FROM staff_recovery_codes WHERE user_id = $1', [userId]);
    return rowCount ?? 0;
  }
}
