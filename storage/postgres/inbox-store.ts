import type { ChannelName, IncomingMessage } from '../../bots/core/types.ts';
import type { InboxItem, InboxStatus, InboxStore } from '../inbox-store.ts';
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

  async add(message: IncomingMessage, receivedAt: Date): Promise<{ duplicate: true } | { duplicate: false; item: InboxItem }> {
    const { rows } = await query<InboxRow>(
      this.pool,
      `INSERT INTO inbox (channel, channel_message_id, user_id, kind, message, received_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (channel, channel_message_id) DO NOTHING
       RETURNING *`,
      [message.channel, message.channelMessageId, message.from.userId, message.kind, toJson(message), receivedAt],
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

  async markDone(id: number, outcome: string, at: Date): Promise<void> {
    await this.finish(id, 'done', outcome, null, at);
  }

  async markFailed(id: number, error: string, at: Date): Promise<void> {
    await this.finish(id, 'failed', null, error, at);
  }

  private async finish(id: number, status: InboxStatus, outcome: string | null, error: string | null, at: Date): Promise<void> {
    await query(
      this.pool,
      `UPDATE inbox SET status = $1, outcome = $2, error = $3, processed_at = $4 WHERE id = $5 AND status = 'pending'`,
      [status, outcome, error, at, id],
    );
  }
}
