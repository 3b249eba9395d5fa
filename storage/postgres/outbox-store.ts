import type { ChannelName, OutgoingMessage, Recipient } from '../../domain/channel.ts';
import type { Lease } from '../lease.ts';
import type { ClaimedOutboxItem, NewOutboxItem, OutboxItem, OutboxStatus, OutboxStore } from '../outbox-store.ts';
import { iso, isoOrUndefined, migrate, query, toJson, withTransaction, type PgPool } from './database.ts';

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
  // Leases and dead letters (issue 9): the lease replaces the instance lock as the sign of a live sender.
  `ALTER TABLE outbox DROP CONSTRAINT outbox_status_check;
   ALTER TABLE outbox ADD CONSTRAINT outbox_status_check CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'unknown'));
   ALTER TABLE outbox DROP COLUMN claimed_by;
   ALTER TABLE outbox ADD COLUMN claimed_by text, ADD COLUMN lease_until timestamptz,
     ADD COLUMN unknown_outcomes integer NOT NULL DEFAULT 0, ADD COLUMN resent_at timestamptz;
   CREATE INDEX outbox_updated ON outbox (updated_at) WHERE status IN ('sent', 'failed', 'unknown');
   CREATE INDEX outbox_dead ON outbox (id) WHERE status IN ('failed', 'unknown');`,
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
  claimed_by: string | null;
  lease_until: Date | null;
  unknown_outcomes: number;
  resent_at: Date | null;
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
    claimedBy: row.claimed_by ?? undefined,
    leaseUntil: isoOrUndefined(row.lease_until),
    unknownOutcomes: row.unknown_outcomes,
    resentAt: isoOrUndefined(row.resent_at),
  };
}

type ClaimRow = OutboxRow & { previous_status: string };

const claimed = (row: ClaimRow): ClaimedOutboxItem => ({ ...toItem(row), interrupted: row.previous_status === 'sending' });

/** A sending item whose holder's lease ran out (or that an old version left without one); `$now` is the parameter. */
const expired = (now: string) => `(status = 'sending' AND (lease_until IS NULL OR lease_until <= ${now}))`;

/**
 * The outbox in PostgreSQL, shared by every instance. Each status change is one conditional
 * UPDATE … RETURNING. Claims lock the rows they take (FOR UPDATE SKIP LOCKED), so instances
 * claiming at once take different items, and record the claimer and its lease: an item
 * whose claimer died is taken over by any instance once the lease has run out.
 */
export class PostgresOutboxStore implements OutboxStore {
  private constructor(private readonly pool: PgPool) {}

  static async open(pool: PgPool): Promise<PostgresOutboxStore> {
    await migrate(pool, 'outbox', MIGRATIONS);
    return new PostgresOutboxStore(pool);
  }

  async enqueue(item: NewOutboxItem, now: Date): Promise<OutboxItem> {
    const inserted = await query<OutboxRow>(
      this.pool,
      `INSERT INTO outbox (key, channel, user_id, recipient, kind, message, next_attempt_at, turn_id, escalation_id, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $10, $8, $9, $7, $7)
       ON CONFLICT (key) DO NOTHING
       RETURNING *`,
      [
        item.key, item.recipient.channel, item.recipient.userId, toJson(item.recipient), item.message.kind,
        toJson(item.message), now, item.turnId ?? null, item.escalationId ?? null, item.notBefore ?? now,
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

  async claim(id: number, lease: Lease, now: Date): Promise<ClaimedOutboxItem | undefined> {
    const { rows } = await query<ClaimRow>(
      this.pool,
      `UPDATE outbox o SET status = 'sending', attempts = o.attempts + 1, claimed_by = $1, lease_until = $2, updated_at = $3,
         unknown_outcomes = o.unknown_outcomes + CASE WHEN p.status = 'sending' THEN 1 ELSE 0 END
       FROM (SELECT id, status FROM outbox WHERE id = $4 AND (status = 'pending' OR ${expired('$3')}) FOR UPDATE) p
       WHERE o.id = p.id
       RETURNING o.*, p.status AS previous_status`,
      [lease.owner, lease.until, now, id],
    );
    return rows[0] && claimed(rows[0]);
  }

  async claimDue(lease: Lease, now: Date, limit: number, channels?: readonly ChannelName[]): Promise<ClaimedOutboxItem[]> {
    if (limit <= 0 || channels?.length === 0) return [];
    const { rows } = await query<ClaimRow>(
      this.pool,
      `UPDATE outbox o SET status = 'sending', attempts = o.attempts + 1, claimed_by = $1, lease_until = $2, updated_at = $3,
         unknown_outcomes = o.unknown_outcomes + CASE WHEN p.status = 'sending' THEN 1 ELSE 0 END
       FROM (SELECT id, status FROM outbox
             WHERE ((status = 'pending' AND next_attempt_at <= $3) OR ${expired('$3')})
               AND ($5::text[] IS NULL OR channel = ANY($5::text[]))
             ORDER BY next_attempt_at, id LIMIT $4 FOR UPDATE SKIP LOCKED) p
       WHERE o.id = p.id
       RETURNING o.*, p.status AS previous_status`,
      [lease.owner, lease.until, now, limit, channels ? [...channels] : null],
    );
    return rows.map(claimed).sort((a, b) => Date.parse(a.nextAttemptAt) - Date.parse(b.nextAttemptAt) || a.id - b.id);
  }

  async renew(ids: number[], lease: Lease): Promise<number> {
    if (!ids.length) return 0;
    const { rowCount } = await query(
      this.pool,
      `UPDATE outbox SET lease_until = $1 WHERE id = ANY($2::bigint[]) AND claimed_by = $3 AND status = 'sending'`,
      [lease.until, ids, lease.owner],
    );
    return rowCount ?? 0;
  }

  async markSent(id: number, channelMessageIds: string[], now: Date): Promise<void> {
    await query(
      this.pool,
      `UPDATE outbox SET status = 'sent', channel_message_ids = $1, last_error = NULL, sent_at = $2, updated_at = $2, claimed_by = NULL, lease_until = NULL
       WHERE id = $3 AND status <> 'sent'`,
      [toJson(channelMessageIds), now, id],
    );
  }

  async markRetry(id: number, error: string, nextAttemptAt: Date, now: Date, opts: { unknown?: boolean; notAttempted?: boolean } = {}): Promise<void> {
    await query(
      this.pool,
      `UPDATE outbox SET status = 'pending', last_error = $1, next_attempt_at = $2, updated_at = $3, claimed_by = NULL, lease_until = NULL,
         unknown_outcomes = unknown_outcomes + $4, attempts = greatest(0, attempts - $5)
       WHERE id = $6 AND status = 'sending'`,
      [error, nextAttemptAt, now, opts.unknown ? 1 : 0, opts.notAttempted ? 1 : 0, id],
    );
  }

  async markFailed(id: number, error: string, now: Date): Promise<void> {
    await this.finish(id, 'failed', error, now, 0);
  }

  async markUnknown(id: number, error: string, now: Date): Promise<void> {
    await this.finish(id, 'unknown', error, now, 1);
  }

  private async finish(id: number, status: 'failed' | 'unknown', error: string, now: Date, unknown: number): Promise<void> {
    await query(
      this.pool,
      `UPDATE outbox SET status = $1, last_error = $2, updated_at = $3, claimed_by = NULL, lease_until = NULL, unknown_outcomes = unknown_outcomes + $4
       WHERE id = $5 AND status = 'sending'`,
      [status, error, now, unknown, id],
    );
  }

  async release(owner: string, now: Date): Promise<number> {
    const { rowCount } = await query(
      this.pool,
      `UPDATE outbox SET status = 'pending', claimed_by = NULL, lease_until = NULL, updated_at = $1 WHERE claimed_by = $2 AND status = 'sending'`,
      [now, owner],
    );
    return rowCount ?? 0;
  }

  async deadLetters(opts: { limit: number; beforeId?: number }): Promise<OutboxItem[]> {
    const { rows } = await query<OutboxRow>(
      this.pool,
      `SELECT * FROM outbox WHERE status IN ('failed', 'unknown') AND ($1::bigint IS NULL OR id < $1) ORDER BY id DESC LIMIT $2`,
      [opts.beforeId ?? null, opts.limit],
    );
    return rows.map(toItem);
  }

  async resend(ids: number[], now: Date): Promise<number[]> {
    if (!ids.length) return [];
    return withTransaction(this.pool, async (client) => {
      const { rows } = await query<{ id: string }>(
        client,
        `UPDATE outbox SET status = 'pending', next_attempt_at = $1, resent_at = $1, updated_at = $1
         WHERE id = ANY($2::bigint[]) AND status IN ('failed', 'unknown') RETURNING id`,
        [now, ids],
      );
      return rows.map((r) => Number(r.id)).sort((a, b) => a - b);
    });
  }

  async countByStatus(): Promise<Record<OutboxStatus, number>> {
    const counts: Record<OutboxStatus, number> = { pending: 0, sending: 0, sent: 0, failed: 0, unknown: 0 };
    const { rows } = await query<{ status: OutboxStatus; n: string }>(this.pool, 'SELECT status, count(*) AS n FROM outbox GROUP BY status');
    for (const r of rows) counts[r.status] = Number(r.n);
    return counts;
  }

  async prune(before: Date): Promise<number> {
    const { rowCount } = await query(this.pool, `DELETE FROM outbox WHERE status IN ('sent', 'failed', 'unknown') AND updated_at < $1`, [before]);
    return rowCount ?? 0;
  }
}
