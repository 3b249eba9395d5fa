import { ageSeconds, type OpsStore, type QueueStats } from '../ops-store.ts';
import { query, type PgPool } from './database.ts';

/** OpsStore over the PostgreSQL inbox and outbox tables (see `storage/ops-store.ts`). */
export class PostgresOpsStore implements OpsStore {
  constructor(private readonly pool: PgPool) {}

  async ping(): Promise<void> {
    await query(this.pool, 'SELECT 1');
  }

  async queueStats(now: Date): Promise<{ inbox: QueueStats; outbox: QueueStats }> {
    const [inbox, outbox] = await Promise.all([
      this.stats("SELECT status, count(*)::int AS n FROM inbox WHERE status <> 'done' GROUP BY status", "SELECT min(received_at) AS oldest FROM inbox WHERE status = 'pending'", now),
      this.stats(
        "SELECT status, count(*)::int AS n FROM outbox WHERE status <> 'sent' GROUP BY status",
        "SELECT min(created_at) AS oldest FROM outbox WHERE status IN ('pending', 'sending')",
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
