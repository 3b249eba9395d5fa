import type { ChannelName, OutgoingMessage, Recipient } from '../../bots/core/types.ts';
import type { NewOutboxItem, OutboxItem, OutboxStatus, OutboxStore } from '../outbox-store.ts';
import { iso, isoOrUndefined, migrate, query, toJson, type PgPool } from './database.ts';
import { instanceAliveSql, type InstanceLock } from './instance-lock.ts';

const MIGRATIONS = [
  `CREATE TABLE outbox (
     id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     key text NOT NULL UNIQUE,
     channel text NOT NULL,
     user_id text NOT NULL,
     recipient jsonb NOT NULL,
     kind text NOT NULL,
     message jsonb NOT NULL,
     status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
     attempts integer NOT NULL DEFAULT 0,
     next_attempt_at timestamptz NOT NULL,
     last_error text,
     channel_message_ids jsonb,
     turn_id text,
     escalation_id text,
     claimed_by integer,
     created_at timestamptz NOT NULL,
     updated_at timestamptz NOT NULL,
     sent_at timestamptz
   );
   CREATE INDEX outbox_status ON outbox (status, next_attempt_at);
   CREATE INDEX outbox_escalation ON outbox (escalation_id, id) WHERE escalation_id IS NOT NULL;
   CREATE INDEX outbox_created ON outbox (created_at, channel);`,
];

interface OutboxRow {
  id: string;
  key: string;
  channel: string;
  recipient: Recipient;
  message: OutgoingMessage;
  status: string;
  attempts: number;
  next_attempt_at: Date;
  last_error: string | null;
  channel_message_ids: string[] | null;
  turn_id: string | null;
  escalation_id: string | null;
  created_at: Date;
  updated_at: Date;
  sent_at: Date | null;
}

function toItem(row: OutboxRow): OutboxItem {
  return {
    id: Number(row.id),
    key: row.key,
    channel: row.channel as ChannelName,
    recipient: row.recipient,
    message: row.message,
    status: row.status as OutboxStatus,
    attempts: row.attempts,
    nextAttemptAt: iso(row.next_attempt_at),
    lastError: row.last_error ?? undefined,
    channelMessageIds: row.channel_message_ids ?? undefined,
    turnId: row.turn_id ?? undefined,
    escalationId: row.escalation_id ?? undefined,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    sentAt: isoOrUndefined(row.sent_at),
  };
}

/**
 * The outbox in PostgreSQL, shared by every instance. Each status change is one conditional
 * UPDATE … RETURNING: when two instances claim the same item, the second waits for the
 * first's row lock, finds the item no longer pending, and gets nothing. A claim records the
 * claiming instance (see `instance-lock.ts`), so an instance starting up puts back in line
 * only what a dead instance left in `sending`.
 */
export class PostgresOutboxStore implements OutboxStore {
  private constructor(
    private readonly pool: PgPool,
    private readonly instance: Pick<InstanceLock, 'key'>,
  ) {}

  static async open(pool: PgPool, instance: Pick<InstanceLock, 'key'>): Promise<PostgresOutboxStore> {
    await migrate(pool, 'outbox', MIGRATIONS);
    return new PostgresOutboxStore(pool, instance);
  }

  async enqueue(item: NewOutboxItem, now: Date): Promise<OutboxItem> {
    const inserted = await query<OutboxRow>(
      this.pool,
      `INSERT INTO outbox (key, channel, user_id, recipient, kind, message, next_attempt_at, turn_id, escalation_id, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $7, $7)
       ON CONFLICT (key) DO NOTHING
       RETURNING *`,
      [
        item.key, item.recipient.channel, item.recipient.userId, toJson(item.recipient), item.message.kind,
        toJson(item.message), now, item.turnId ?? null, item.escalationId ?? null,
      ],
    );
    if (inserted.rows[0]) return toItem(inserted.rows[0]);
    // The key existed (ON CONFLICT waited for its inserter to commit, so it is visible now).
    const { rows } = await query<OutboxRow>(this.pool, 'SELECT * FROM outbox WHERE key = $1', [item.key]);
    return toItem(rows[0]);
  }

  async get(id: number): Promise<OutboxItem | undefined> {
    const { rows } = await query<OutboxRow>(this.pool, 'SELECT * FROM outbox WHERE id = $1', [id]);
    return rows[0] && toItem(rows[0]);
  }

  async pending(limit = 1000): Promise<OutboxItem[]> {
    const { rows } = await query<OutboxRow>(
      this.pool,
      `SELECT * FROM outbox WHERE status = 'pending' ORDER BY next_attempt_at, id LIMIT $1`,
      [limit],
    );
    return rows.map(toItem);
  }

  async latestReply(escalationId: string): Promise<OutboxItem | undefined> {
    const { rows } = await query<OutboxRow>(
      this.pool,
      `SELECT * FROM outbox WHERE escalation_id = $1 AND kind = 'spokesperson_reply' ORDER BY id DESC LIMIT 1`,
      [escalationId],
    );
    return rows[0] && toItem(rows[0]);
  }

  async claim(id: number, now: Date): Promise<OutboxItem | undefined> {
    const { rows } = await query<OutboxRow>(
      this.pool,
      `UPDATE outbox SET status = 'sending', attempts = attempts + 1, claimed_by = $1, updated_at = $2
       WHERE id = $3 AND status = 'pending'
       RETURNING *`,
      [this.instance.key, now, id],
    );
    return rows[0] && toItem(rows[0]);
  }

  async markSent(id: number, channelMessageIds: string[], now: Date): Promise<void> {
    await query(
      this.pool,
      `UPDATE outbox SET status = 'sent', channel_message_ids = $1, last_error = NULL, sent_at = $2, updated_at = $2
       WHERE id = $3 AND status = 'sending'`,
      [toJson(channelMessageIds), now, id],
    );
  }

  async markRetry(id: number, error: string, nextAttemptAt: Date, now: Date): Promise<void> {
    await query(
      this.pool,
      `UPDATE outbox SET status = 'pending', last_error = $1, next_attempt_at = $2, updated_at = $3
       WHERE id = $4 AND status = 'sending'`,
      [error, nextAttemptAt, now, id],
    );
  }

  async markFailed(id: number, error: string, now: Date): Promise<void> {
    await query(this.pool, `UPDATE outbox SET status = 'failed', last_error = $1, updated_at = $2 WHERE id = $3 AND status = 'sending'`, [
      error,
      now,
      id,
    ]);
  }

  /** Leaves alone only what another live instance is sending; the rest is put back, as with SQLite. */
  async requeueInterrupted(now: Date): Promise<number> {
    const { rowCount } = await query(
      this.pool,
      `UPDATE outbox o SET status = 'pending', next_attempt_at = $1, updated_at = $1
       WHERE o.status = 'sending'
         AND (o.claimed_by IS NULL OR o.claimed_by = $2 OR NOT ${instanceAliveSql('o.claimed_by')})`,
      [now, this.instance.key],
    );
    return rowCount ?? 0;
  }
}
