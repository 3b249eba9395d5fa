import type { ChannelName, OutgoingMessage, Recipient } from '../../domain/channel.ts';
import type { Lease } from '../lease.ts';
import type { ClaimedOutboxItem, NewOutboxItem, OutboxItem, OutboxStatus, OutboxStore } from '../outbox-store.ts';
import { migrate, type SqliteDatabase } from './database.ts';

const MIGRATIONS = [
  `CREATE TABLE outbox (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     key TEXT NOT NULL UNIQUE,
     channel TEXT NOT NULL,
     user_id TEXT NOT NULL,
     recipient TEXT NOT NULL,
     kind TEXT NOT NULL,
     message TEXT NOT NULL,
     status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
     attempts INTEGER NOT NULL DEFAULT 0,
     next_attempt_at TEXT NOT NULL,
     last_error TEXT,
     channel_message_ids TEXT,
     turn_id TEXT,
     escalation_id TEXT,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     sent_at TEXT
   );
   CREATE INDEX outbox_status ON outbox (status, next_attempt_at);
   CREATE INDEX outbox_escalation ON outbox (escalation_id, id) WHERE escalation_id IS NOT NULL;`,
  // Leases and dead letters (issue 9). SQLite cannot change a CHECK constraint: the table is rebuilt.
  `CREATE TABLE outbox_v2 (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     key TEXT NOT NULL UNIQUE,
     channel TEXT NOT NULL,
     user_id TEXT NOT NULL,
     recipient TEXT NOT NULL,
     kind TEXT NOT NULL,
     message TEXT NOT NULL,
     status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'unknown')),
     attempts INTEGER NOT NULL DEFAULT 0,
     next_attempt_at TEXT NOT NULL,
     last_error TEXT,
     channel_message_ids TEXT,
     turn_id TEXT,
     escalation_id TEXT,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     sent_at TEXT,
     claimed_by TEXT,
     lease_until TEXT,
     unknown_outcomes INTEGER NOT NULL DEFAULT 0,
     resent_at TEXT
   );
   INSERT INTO outbox_v2 (id, key, channel, user_id, recipient, kind, message, status, attempts, next_attempt_at, last_error,
                          channel_message_ids, turn_id, escalation_id, created_at, updated_at, sent_at)
     SELECT id, key, channel, user_id, recipient, kind, message, status, attempts, next_attempt_at, last_error,
            channel_message_ids, turn_id, escalation_id, created_at, updated_at, sent_at FROM outbox;
   DROP TABLE outbox;
   ALTER TABLE outbox_v2 RENAME TO outbox;
   CREATE INDEX outbox_status ON outbox (status, next_attempt_at);
   CREATE INDEX outbox_escalation ON outbox (escalation_id, id) WHERE escalation_id IS NOT NULL;
   CREATE INDEX outbox_updated ON outbox (updated_at) WHERE status IN ('sent', 'failed', 'unknown');`,
];



interface OutboxRow {
  id: number;
  key: string;
  channel: string;
  recipient: string;
  message: string;
  status: string;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  channel_message_ids: string | null;
  turn_id: string | null;
  escalation_id: string | null;
  created_at: string;
  updated_at: string;
  sent_at: string | null;
  claimed_by: string | null;
  lease_until: string | null;
  unknown_outcomes: number;
  resent_at: string | null;
}

function toItem(row: OutboxRow): OutboxItem {
  return {
    id: row.id,
    key: row.key,
    channel: row.channel as ChannelName,
    recipient: JSON.parse(row.recipient) as Recipient,
    message: JSON.parse(row.message) as OutgoingMessage,
    status: row.status as OutboxStatus,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error ?? undefined,
    channelMessageIds: row.channel_message_ids ? (JSON.parse(row.channel_message_ids) as string[]) : undefined,
    turnId: row.turn_id ?? undefined,
    escalationId: row.escalation_id ?? undefined,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    sentAt: row.sent_at ?? undefined,
    claimedBy: row.claimed_by ?? undefined,
    leaseUntil: row.lease_until ?? undefined,
    unknownOutcomes: row.unknown_outcomes,
    resentAt: row.resent_at ?? undefined,
  };
}

/** A sending item whose holder's lease ran out (or that an old version left without one). */
const EXPIRED = `(status = 'sending' AND (lease_until IS NULL OR lease_until <= @now))`;

/**
 * The outbox in SQLite. Each status change is one conditional UPDATE; claims run in an
 * IMMEDIATE transaction (the database's write lock), so connections never claim the same item.
 */
export class SqliteOutboxStore implements OutboxStore {
  private readonly insert;
  private readonly byId;
  private readonly byKey;
  private readonly pendingRows;
  private readonly latestReplyRow;
  private readonly claimable;
  private readonly dueRows;
  private readonly claimRow;
  private readonly renewRows;
  private readonly sentRow;
  private readonly retryRow;
  private readonly finalRow;
  private readonly releaseRows;
  private readonly deadRows;
  private readonly resendRow;
  private readonly countRows;
  private readonly pruneRows;
  private readonly claimTx;
  private readonly claimDueTx;

  constructor(private readonly db: SqliteDatabase) {
    migrate(db, 'outbox', MIGRATIONS);
    this.insert = db.prepare(
      `INSERT INTO outbox (key, channel, user_id, recipient, kind, message, next_attempt_at, turn_id, escalation_id, created_at, updated_at)
       VALUES (@key, @channel, @userId, @recipient, @kind, @message, @nextAt, @turnId, @escalationId, @now, @now)
       ON CONFLICT (key) DO NOTHING`,
    );
    this.byId = db.prepare('SELECT * FROM outbox WHERE id = ?');
    this.byKey = db.prepare('SELECT * FROM outbox WHERE key = ?');
    this.pendingRows = db.prepare(`SELECT * FROM outbox WHERE status = 'pending' ORDER BY next_attempt_at, id LIMIT ?`);
    this.latestReplyRow = db.prepare(`SELECT * FROM outbox WHERE escalation_id = ? AND kind = 'spokesperson_reply' ORDER BY id DESC LIMIT 1`);
    this.claimable = db.prepare(`SELECT id, status FROM outbox WHERE id = @id AND (status = 'pending' OR ${EXPIRED})`);
    // Two index range scans (status, next_attempt_at) rather than one OR that scans the table.
    this.dueRows = db.prepare(
      `SELECT id, status, next_attempt_at FROM (
         SELECT id, status, next_attempt_at, channel FROM outbox WHERE status = 'pending' AND next_attempt_at <= @now
         UNION ALL
         SELECT id, status, next_attempt_at, channel FROM outbox WHERE ${EXPIRED})
       WHERE @channels IS NULL OR channel IN (SELECT value FROM json_each(@channels))
       ORDER BY next_attempt_at, id LIMIT @limit`,
    );
    this.claimRow = db.prepare(
      `UPDATE outbox SET status = 'sending', attempts = attempts + 1, claimed_by = @owner, lease_until = @until,
         unknown_outcomes = unknown_outcomes + @interrupted, updated_at = @now
       WHERE id = @id RETURNING *`,
    );
    this.renewRows = db.prepare(
      `UPDATE outbox SET lease_until = @until WHERE id IN (SELECT value FROM json_each(@ids)) AND claimed_by = @owner AND status = 'sending'`,
    );
    this.sentRow = db.prepare(
      `UPDATE outbox SET status = 'sent', channel_message_ids = ?, last_error = NULL, sent_at = ?, updated_at = ?, claimed_by = NULL, lease_until = NULL
       WHERE id = ? AND status IN ('pending', 'sending', 'unknown', 'failed')`,
    );
    this.retryRow = db.prepare(
      `UPDATE outbox SET status = 'pending', last_error = ?, next_attempt_at = ?, updated_at = ?, claimed_by = NULL, lease_until = NULL,
         unknown_outcomes = unknown_outcomes + ?, attempts = max(0, attempts - ?)
       WHERE id = ? AND status = 'sending'`,
    );
    this.finalRow = db.prepare(
      `UPDATE outbox SET status = ?, last_error = ?, updated_at = ?, claimed_by = NULL, lease_until = NULL, unknown_outcomes = unknown_outcomes + ?
       WHERE id = ? AND status = 'sending'`,
    );
    this.releaseRows = db.prepare(
      `UPDATE outbox SET status = 'pending', claimed_by = NULL, lease_until = NULL, updated_at = ? WHERE claimed_by = ? AND status = 'sending'`,
    );
    this.deadRows = db.prepare(
      `SELECT * FROM outbox WHERE status IN ('failed', 'unknown') AND (@beforeId IS NULL OR id < @beforeId) ORDER BY id DESC LIMIT @limit`,
    );
    this.resendRow = db.prepare(
      `UPDATE outbox SET status = 'pending', next_attempt_at = @now, resent_at = @now, updated_at = @now
       WHERE id = @id AND status IN ('failed', 'unknown') RETURNING id`,
    );
    this.countRows = db.prepare('SELECT status, count(*) AS n FROM outbox GROUP BY status');
    this.pruneRows = db.prepare(`DELETE FROM outbox WHERE status IN ('sent', 'failed', 'unknown') AND updated_at < ?`);
    this.claimTx = db.transaction((id: number, lease: Lease, now: string): ClaimedOutboxItem | undefined => {
      const row = this.claimable.get({ id, now }) as { id: number; status: string } | undefined;
      return row && this.claimOne(row, lease, now);
    });
    this.claimDueTx = db.transaction((lease: Lease, now: string, limit: number, channels: string | null): ClaimedOutboxItem[] => {
      const rows = this.dueRows.all({ now, limit, channels }) as { id: number; status: string }[];
      return rows.map((row) => this.claimOne(row, lease, now));
    });
  }

  private claimOne(row: { id: number; status: string }, lease: Lease, now: string): ClaimedOutboxItem {
    const interrupted = row.status === 'sending';
    const claimed = this.claimRow.get({ id: row.id, owner: lease.owner, until: lease.until.toISOString(), interrupted: interrupted ? 1 : 0, now }) as OutboxRow;
    return { ...toItem(claimed), interrupted };
  }

  async enqueue(item: NewOutboxItem, now: Date): Promise<OutboxItem> {
    this.insert.run({
      key: item.key,
      channel: item.recipient.channel,
      userId: item.recipient.userId,
      recipient: JSON.stringify(item.recipient),
      kind: item.message.kind,
      message: JSON.stringify(item.message),
      now: now.toISOString(),
      nextAt: (item.notBefore ?? now).toISOString(),
      turnId: item.turnId ?? null,
      escalationId: item.escalationId ?? null,
    });
    return toItem(this.byKey.get(item.key) as OutboxRow);
  }

  async get(id: number): Promise<OutboxItem | undefined> {
    const row = this.byId.get(id) as OutboxRow | undefined;
    return row && toItem(row);
  }

  async pending(limit = 1000): Promise<OutboxItem[]> {
    return (this.pendingRows.all(limit) as OutboxRow[]).map(toItem);
  }

  async latestReply(escalationId: string): Promise<OutboxItem | undefined> {
    const row = this.latestReplyRow.get(escalationId) as OutboxRow | undefined;
    return row && toItem(row);
  }

  async claim(id: number, lease: Lease, now: Date): Promise<ClaimedOutboxItem | undefined> {
    return this.claimTx.immediate(id, lease, now.toISOString());
  }

  async claimDue(lease: Lease, now: Date, limit: number, channels?: readonly ChannelName[]): Promise<ClaimedOutboxItem[]> {
    if (limit <= 0 || channels?.length === 0) return [];
    return this.claimDueTx.immediate(lease, now.toISOString(), limit, channels ? JSON.stringify(channels) : null);
  }

  async renew(ids: number[], lease: Lease): Promise<number> {
    if (!ids.length) return 0;
    return this.renewRows.run({ ids: JSON.stringify(ids), owner: lease.owner, until: lease.until.toISOString() }).changes;
  }

  async markSent(id: number, channelMessageIds: string[], now: Date): Promise<void> {
    const at = now.toISOString();
    this.sentRow.run(JSON.stringify(channelMessageIds), at, at, id);
  }

  async markRetry(id: number, error: string, nextAttemptAt: Date, now: Date, opts: { unknown?: boolean; notAttempted?: boolean } = {}): Promise<void> {
    this.retryRow.run(error, nextAttemptAt.toISOString(), now.toISOString(), opts.unknown ? 1 : 0, opts.notAttempted ? 1 : 0, id);
  }

  async markFailed(id: number, error: string, now: Date): Promise<void> {
    this.finalRow.run('failed', error, now.toISOString(), 0, id);
  }

  async markUnknown(id: number, error: string, now: Date): Promise<void> {
    this.finalRow.run('unknown', error, now.toISOString(), 1, id);
  }

  async release(owner: string, now: Date): Promise<number> {
    return this.releaseRows.run(now.toISOString(), owner).changes;
  }

  async deadLetters(opts: { limit: number; beforeId?: number }): Promise<OutboxItem[]> {
    return (this.deadRows.all({ limit: opts.limit, beforeId: opts.beforeId ?? null }) as OutboxRow[]).map(toItem);
  }

  async resend(ids: number[], now: Date): Promise<number[]> {
    const at = now.toISOString();
    return this.db.transaction(() => ids.filter((id) => this.resendRow.get({ id, now: at }) !== undefined))();
  }

  async countByStatus(): Promise<Record<OutboxStatus, number>> {
    const counts: Record<OutboxStatus, number> = { pending: 0, sending: 0, sent: 0, failed: 0, unknown: 0 };
    for (const r of this.countRows.all() as { status: OutboxStatus; n: number }[]) counts[r.status] = r.n;
    return counts;
  }

  async prune(before: Date): Promise<number> {
    return this.pruneRows.run(before.toISOString()).changes;
  }
}
