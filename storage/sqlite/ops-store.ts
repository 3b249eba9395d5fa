import { ageSeconds, type OpsStore, type QueueStats } from '../ops-store.ts';
import { migrate, type SqliteDatabase } from './database.ts';

/** Partial indexes over unfinished rows: handled ones accumulate and must not be scanned per probe. */
const MIGRATIONS = [
  `CREATE INDEX IF NOT EXISTS inbox_unfinished ON inbox (status, received_at) WHERE status <> 'done';
   CREATE INDEX IF NOT EXISTS outbox_unsent ON outbox (status, created_at) WHERE status <> 'sent';`,
];

/** OpsStore over the SQLite inbox and outbox tables (see `storage/ops-store.ts`); open it after their stores. */
export class SqliteOpsStore implements OpsStore {
  constructor(private readonly db: SqliteDatabase) {
    migrate(db, 'ops', MIGRATIONS);
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  async queueStats(now: Date): Promise<{ inbox: QueueStats; outbox: QueueStats }> {
    return {
      inbox: this.stats(
        "SELECT status, count(*) AS n FROM inbox WHERE status <> 'done' GROUP BY status",
        "SELECT min(received_at) AS oldest FROM inbox WHERE status <> 'done' AND status = 'pending'",
        now,
      ),
      outbox: this.stats(
        "SELECT status, count(*) AS n FROM outbox WHERE status <> 'sent' GROUP BY status",
        "SELECT min(created_at) AS oldest FROM outbox WHERE status <> 'sent' AND status IN ('pending', 'sending')",
        now,
      ),
    };
  }

  private stats(countSql: string, oldestSql: string, now: Date): QueueStats {
    const rows = this.db.prepare(countSql).all() as { status: string; n: number }[];
    const oldest = (this.db.prepare(oldestSql).get() as { oldest: string | null }).oldest;
    return { byStatus: Object.fromEntries(rows.map((r) => [r.status, r.n])), oldestPendingAgeS: ageSeconds(oldest, now) };
  }
}
