import { ageSeconds, type OpsStore, type QueueStats } from '../ops-store.ts';
import type { SqlDatabase } from './connect.ts';

/** OpsStore over the inbox and outbox tables, on SQLite or PostgreSQL (see `storage/ops-store.ts`). */
export class SqlOpsStore implements OpsStore {
  constructor(private readonly sql: SqlDatabase) {}

  async ping(): Promise<void> {
    await this.sql.db.selectNoFrom((eb) => eb.val(1).as('one')).execute();
  }

  async queueStats(now: Date): Promise<{ inbox: QueueStats; outbox: QueueStats }> {
    const { db } = this.sql;
    // The partial indexes over unfinished rows (`inbox_unfinished`, `outbox_unsent`) keep these cheap.
    const [inboxCounts, inboxOldest, outboxCounts, outboxOldest] = await Promise.all([
      db.selectFrom('inbox').select((eb) => ['status', eb.fn.countAll<number>().as('n')]).where('status', '<>', 'done').groupBy('status').execute(),
      db.selectFrom('inbox').select((eb) => eb.fn.min('received_at').as('oldest')).where('status', '<>', 'done').where('status', '=', 'pending').executeTakeFirst(),
      db.selectFrom('outbox').select((eb) => ['status', eb.fn.countAll<number>().as('n')]).where('status', '<>', 'sent').groupBy('status').execute(),
      db
        .selectFrom('outbox')
        .select((eb) => eb.fn.min('created_at').as('oldest'))
        .where('status', '<>', 'sent')
        .where('status', 'in', ['pending', 'sending'])
        .executeTakeFirst(),
    ]);
    const stats = (counts: { status: string; n: number }[], oldest: string | null | undefined): QueueStats => ({
      byStatus: Object.fromEntries(counts.map((r) => [r.status, Number(r.n)])),
      oldestPendingAgeS: ageSeconds(oldest, now),
    });
    return { inbox: stats(inboxCounts, inboxOldest?.oldest), outbox: stats(outboxCounts, outboxOldest?.oldest) };
  }
}
