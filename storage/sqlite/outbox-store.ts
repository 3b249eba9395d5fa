import type { ChannelName, OutgoingMessage, Recipient } from '../../bots/core/types.ts';
import type { NewOutboxItem, OutboxItem, OutboxStatus, OutboxStore } from '../outbox-store.ts';
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
  };
}

/** The outbox in SQLite. Each status change is one conditional UPDATE. */
export class SqliteOutboxStore implements OutboxStore {
  private readonly insert;
  private readonly byId;
  private readonly byKey;
  private readonly pendingRows;
  private readonly latestReplyRow;
  private readonly claimRow;
  private readonly sentRow;
  private readonly retryRow;
  private readonly failRow;
  private readonly requeue;

  constructor(db: SqliteDatabase) {
    migrate(db, 'outbox', MIGRATIONS);
    this.insert = db.prepare(
      `INSERT INTO outbox (key, channel, user_id, recipient, kind, message, next_attempt_at, turn_id, escalation_id, created_at, updated_at)
       VALUES (@key, @channel, @userId, @recipient, @kind, @message, @now, @turnId, @escalationId, @now, @now)
       ON CONFLICT (key) DO NOTHING`,
    );
    this.byId = db.prepare('SELECT * FROM outbox WHERE id = ?');
    this.byKey = db.prepare('SELECT * FROM outbox WHERE key = ?');
    this.pendingRows = db.prepare(`SELECT * FROM outbox WHERE status = 'pending' ORDER BY next_attempt_at, id LIMIT ?`);
    this.latestReplyRow = db.prepare(`SELECT * FROM outbox WHERE escalation_id = ? AND kind = 'spokesperson_reply' ORDER BY id DESC LIMIT 1`);
    this.claimRow = db.prepare(
      `UPDATE outbox SET status = 'sending', attempts = attempts + 1, updated_at = ? WHERE id = ? AND status = 'pending'`,
    );
    this.sentRow = db.prepare(
      `UPDATE outbox SET status = 'sent', channel_message_ids = ?, last_error = NULL, sent_at = ?, updated_at = ? WHERE id = ? AND status = 'sending'`,
    );
    this.retryRow = db.prepare(
      `UPDATE outbox SET status = 'pending', last_error = ?, next_attempt_at = ?, updated_at = ? WHERE id = ? AND status = 'sending'`,
    );
    this.failRow = db.prepare(
      `UPDATE outbox SET status = 'failed', last_error = ?, updated_at = ? WHERE id = ? AND status = 'sending'`,
    );
    this.requeue = db.prepare(`UPDATE outbox SET status = 'pending', next_attempt_at = ?, updated_at = ? WHERE status = 'sending'`);
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

  async claim(id: number, now: Date): Promise<OutboxItem | undefined> {
    if (this.claimRow.run(now.toISOString(), id).changes === 0) return undefined;
    return toItem(this.byId.get(id) as OutboxRow);
  }

  async markSent(id: number, channelMessageIds: string[], now: Date): Promise<void> {
    const at = now.toISOString();
    this.sentRow.run(JSON.stringify(channelMessageIds), at, at, id);
  }

  async markRetry(id: number, error: string, nextAttemptAt: Date, now: Date): Promise<void> {
    this.retryRow.run(error, nextAttemptAt.toISOString(), now.toISOString(), id);
  }

  async markFailed(id: number, error: string, now: Date): Promise<void> {
    this.failRow.run(error, now.toISOString(), id);
  }

  async requeueInterrupted(now: Date): Promise<number> {
    const at = now.toISOString();
    return this.requeue.run(at, at).changes;
  }
}
