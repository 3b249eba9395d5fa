import { ageSeconds, type OpsStore, type QueueStats } from '../ops-store.ts';
import { migrate, query, type PgPool } from './database.ts';

/**
 * Partial indexes over the unfinished rows only: the inbox and outbox keep every handled item,
 * so counting them for each readiness probe and metrics scrape must not scan the whole table.
 * The queries below repeat each index's predicate so the planner can use it.
 */
const MIGRATIONS = [
  `CREATE INDEX IF NOT EXISTS inbox_unfinished ON inbox (status, received_at) WHERE status <> 'done';
   CREATE INDEX IF NOT EXISTS outbox_unsent ON outbox (status, created_at) WHERE status <> 'sent';`,
];

/** OpsStore over the PostgreSQL inbox and outbox tables (see `storage/ops-store.ts`). */
export class PostgresOpsStore implements OpsStore {
  private constructor(private readonly pool: PgPool) {}

  /** Opens after the inbox and outbox stores (their tables must exist). */
  static async open(pool: PgPool): Promise<PostgresOpsStore> {
    await migrate(pool, 'ops', MIGRATIONS);
    return new PostgresOpsStore(pool);
  }

  async ping(): Promise<void> {
    await query(this.pool, 'SELECT 1');
  }

  async queueStats(now: Date): Promise<{ inbox: QueueStats; outbox: QueueStats }> {
    const [inbox, outbox] = await Promise.all([
      this.stats(
        "SELECT status, count(*)::int AS n FROM inbox WHERE status <> 'done' GROUP BY status",
        "SELECT min(received_at) AS oldest FROM inbox WHERE status <> 'done' AND status = 'pending'",
        now,
      ),
      this.stats(
        "SELECT status, count(*)::int AS n FROM outbox WHERE status <> 'sent' GROUP BY status",
        "SELECT min(created_at) AS oldest FROM outbox WHERE status <> 'sent' AND status IN ('pending', 'sending')",
        now,
      ),
    ]);
    return { inbox, outbox };
  }

  private async stats(countSql: string, oldestSql: string, now: Date): Promise<QueueStats> {
    const [counts, oldest] = await Promise.all([query<{ status: string; n: number }>(this.pool, countSql), query<{ oldest: Date | null }>(this.pool, oldestSql)]);
    return { byStatus: Object.fromEntries(counts.rows.map((r) => [r.status, r.n])), oldestPendingAgeS: ageSeconds(oldest.rows[0]?.oldest, now) };
  }
}
