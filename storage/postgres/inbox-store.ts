import type { ChannelName, IncomingMessage } from '../../domain/channel.ts';
import type { InboxItem, InboxStatus, InboxStore } from '../inbox-store.ts';
import type { Lease } from '../lease.ts';
import { iso, isoOrUndefined, migrate, query, toJson, type PgPool } from './database.ts';

const MIGRATIONS = [
  `CREATE TABLE inbox (
     id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     channel text NOT NULL,
     channel_message_id text NOT NULL,
     user_id text NOT NULL,
     kind text NOT NULL,
     message jsonb NOT NULL,
     status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
     outcome text,
     error text,
     received_at timestamptz NOT NULL,
     processed_at timestamptz,
     UNIQUE (channel, channel_message_id)
   );
   CREATE INDEX inbox_pending ON inbox (id) WHERE status = 'pending';
   CREATE INDEX inbox_received ON inbox (received_at, channel);`,
  // Leases (issue 9): an item is claimed by one instance at a time, and taken over when its lease runs out.
  `ALTER TABLE inbox ADD COLUMN claimed_by text, ADD COLUMN lease_until timestamptz, ADD COLUMN attempts integer NOT NULL DEFAULT 0;
   CREATE INDEX inbox_processed ON inbox (processed_at) WHERE status <> 'pending';`,
];

interface InboxRow {
  id: string;
  channel: string;
  channel_message_id: string;
  user_id: string;
  message: IncomingMessage;
  status: string;
  outcome: string | null;
  error: string | null;
  received_at: Date;
  processed_at: Date | null;
  claimed_by: string | null;
  lease_until: Date | null;
  attempts: number;
}

function toItem(row: InboxRow): InboxItem {
  return {
    id: Number(row.id),
    channel: row.channel as ChannelName,
    channelMessageId: row.channel_message_id,
    userId: row.user_id,
    message: row.message,
    status: row.status as InboxStatus,
    receivedAt: iso(row.received_at),
    processedAt: isoOrUndefined(row.processed_at),
    outcome: row.outcome ?? undefined,
    error: row.error ?? undefined,
    attempts: row.attempts,
    claimedBy: row.claimed_by ?? undefined,
    leaseUntil: isoOrUndefined(row.lease_until),
  };
}

/**
 * The inbox in PostgreSQL. The UNIQUE constraint does the deduplication, across instances
 * too: when two instances receive the same re-delivery at once, one insert wins and the
 * other sees a duplicate.
 */
export class PostgresInboxStore implements InboxStore {
  private constructor(private readonly pool: PgPool) {}

  static async open(pool: PgPool): Promise<PostgresInboxStore> {
    await migrate(pool, 'inbox', MIGRATIONS);
    return new PostgresInboxStore(pool);
  }

  async add(message: IncomingMessage, receivedAt: Date, lease?: Lease): Promise<{ duplicate: true } | { duplicate: false; item: InboxItem }> {
    const { rows } = await query<InboxRow>(
      this.pool,
      `INSERT INTO inbox (channel, channel_message_id, user_id, kind, message, received_at, claimed_by, lease_until, attempts)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (channel, channel_message_id) DO NOTHING
       RETURNING *`,
      [message.channel, message.channelMessageId, message.from.userId, message.kind, toJson(message), receivedAt, lease?.owner ?? null, lease?.until ?? null, lease ? 1 : 0],
    );
    return rows[0] ? { duplicate: false, item: toItem(rows[0]) } : { duplicate: true };
  }

  async get(id: number): Promise<InboxItem | undefined> {
    const { rows } = await query<InboxRow>(this.pool, 'SELECT * FROM inbox WHERE id = $1', [id]);
    return rows[0] && toItem(rows[0]);
  }

  async pending(limit = 1000): Promise<InboxItem[]> {
    const { rows } = await query<InboxRow>(this.pool, `SELECT * FROM inbox WHERE status = 'pending' ORDER BY id LIMIT $1`, [limit]);
    return rows.map(toItem);
  }

  /** SKIP LOCKED: instances claiming at once take different rows instead of waiting for each other. */
  async claimNext(lease: Lease, now: Date, limit: number): Promise<InboxItem[]> {
    if (limit <= 0) return [];
    const { rows } = await query<InboxRow>(
      this.pool,
      `UPDATE inbox SET claimed_by = $1, lease_until = $2, attempts = attempts + 1
       WHERE id IN (SELECT id FROM inbox WHERE status = 'pending' AND (lease_until IS NULL OR lease_until <= $3)
                    ORDER BY id LIMIT $4 FOR UPDATE SKIP LOCKED)
         AND status = 'pending'
       RETURNING *`,
      [lease.owner, lease.until, now, limit],
    );
    return rows.map(toItem).sort((a, b) => a.id - b.id);
  }

  async renew(ids: number[], lease: Lease): Promise<number> {
    if (!ids.length) return 0;
    const { rowCount } = await query(
      this.pool,
      `UPDATE inbox SET lease_until = $1 WHERE id = ANY($2::bigint[]) AND claimed_by = $3 AND status = 'pending'`,
      [lease.until, ids, lease.owner],
    );
    return rowCount ?? 0;
  }

  async retryLater(id: number, owner: string, error: string, notBefore: Date): Promise<void> {
    await query(
      this.pool,
      `UPDATE inbox SET claimed_by = NULL, lease_until = $1, error = $2 WHERE id = $3 AND claimed_by = $4 AND status = 'pending'`,
      [notBefore, error, id, owner],
    );
  }

  async release(owner: string, ids?: number[]): Promise<number> {
    if (ids?.length === 0) return 0;
    const { rowCount } = await query(
      this.pool,
      `UPDATE inbox SET claimed_by = NULL, lease_until = NULL
       WHERE claimed_by = $1 AND status = 'pending' AND ($2::bigint[] IS NULL OR id = ANY($2::bigint[]))`,
      [owner, ids ?? null],
    );
    return rowCount ?? 0;
  }

  async prune(before: Date): Promise<number> {
    const { rowCount } = await query(this.pool, `DELETE FROM inbox WHERE status <> 'pending' AND processed_at < $1`, [before]);
    return rowCount ?? 0;
  }

  async markDone(id: number, outcome: string, at: Date): Promise<void> {
    await this.finish(id, 'done', outcome, null, at);
  }

  async markFailed(id: number, error: string, at: Date): Promise<void> {
    await this.finish(id, 'failed', null, error, at);
  }

  private async finish(id: number, status: InboxStatus, outcome: string | null, error: string | null, at: Date): Promise<void> {
    await query(
      this.pool,
      `UPDATE inbox SET status = $1, outcome = $2, error = $3, processed_at = $4, claimed_by = NULL, lease_until = NULL
       WHERE id = $5 AND status = 'pending'`,
      [status, outcome, error, at, id],
    );
  }
}
