import type { ChannelName, IncomingMessage } from '../../domain/channel.ts';
import type { InboxItem, InboxStatus, InboxStore } from '../inbox-store.ts';
import type { Lease } from '../lease.ts';
import { migrate, type SqliteDatabase } from './database.ts';

const MIGRATIONS = [
  `CREATE TABLE inbox (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     channel TEXT NOT NULL,
     channel_message_id TEXT NOT NULL,
     user_id TEXT NOT NULL,
     kind TEXT NOT NULL,
     message TEXT NOT NULL,
     status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
     outcome TEXT,
     error TEXT,
     received_at TEXT NOT NULL,
     processed_at TEXT,
     UNIQUE (channel, channel_message_id)
   );
   CREATE INDEX inbox_status ON inbox (status, id);`,
  // Leases (issue 9): an item is claimed by one instance at a time, and taken over when its lease runs out.
  `ALTER TABLE inbox ADD COLUMN claimed_by TEXT;
   ALTER TABLE inbox ADD COLUMN lease_until TEXT;
   ALTER TABLE inbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
   CREATE INDEX inbox_processed ON inbox (processed_at) WHERE status <> 'pending';`,
];

interface InboxRow {
  id: number;
  channel: string;
  channel_message_id: string;
  user_id: string;
  message: string;
  status: string;
  outcome: string | null;
  error: string | null;
  received_at: string;
  processed_at: string | null;
  claimed_by: string | null;
  lease_until: string | null;
  attempts: number;
}

function toItem(row: InboxRow): InboxItem {
  return {
    id: row.id,
    channel: row.channel as ChannelName,
    channelMessageId: row.channel_message_id,
    userId: row.user_id,
    message: JSON.parse(row.message) as IncomingMessage,
    status: row.status as InboxStatus,
    receivedAt: row.received_at,
    processedAt: row.processed_at ?? undefined,
    outcome: row.outcome ?? undefined,
    error: row.error ?? undefined,
    attempts: row.attempts,
    claimedBy: row.claimed_by ?? undefined,
    leaseUntil: row.lease_until ?? undefined,
  };
}

/** The inbox in SQLite; the UNIQUE constraint does the deduplication, one UPDATE … RETURNING each claim. */
export class SqliteInboxStore implements InboxStore {
  private readonly insert;
  private readonly byId;
  private readonly pendingRows;
  private readonly finish;
  private readonly claimRows;
  private readonly renewRows;
  private readonly retryRow;
  private readonly releaseRows;
  private readonly pruneRows;

  constructor(db: SqliteDatabase) {
    migrate(db, 'inbox', MIGRATIONS);
    this.insert = db.prepare(
      `INSERT INTO inbox (channel, channel_message_id, user_id, kind, message, received_at, claimed_by, lease_until, attempts)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (channel, channel_message_id) DO NOTHING`,
    );
    this.byId = db.prepare('SELECT * FROM inbox WHERE id = ?');
    this.pendingRows = db.prepare(`SELECT * FROM inbox WHERE status = 'pending' ORDER BY id LIMIT ?`);
    this.finish = db.prepare(
      `UPDATE inbox SET status = ?, outcome = ?, error = ?, processed_at = ?, claimed_by = NULL, lease_until = NULL WHERE id = ? AND status = 'pending'`,
    );
    // One statement, so atomic across connections (SQLite has one writer at a time).
    this.claimRows = db.prepare(
      `UPDATE inbox SET claimed_by = @owner, lease_until = @until, attempts = attempts + 1
       WHERE id IN (SELECT id FROM inbox WHERE status = 'pending' AND (lease_until IS NULL OR lease_until <= @now) ORDER BY id LIMIT @limit)
       RETURNING *`,
    );
    this.renewRows = db.prepare(
      `UPDATE inbox SET lease_until = @until
       WHERE id IN (SELECT value FROM json_each(@ids)) AND claimed_by = @owner AND status = 'pending'`,
    );
    this.retryRow = db.prepare(
      `UPDATE inbox SET claimed_by = NULL, lease_until = ?, error = ? WHERE id = ? AND claimed_by = ? AND status = 'pending'`,
    );
    this.releaseRows = db.prepare(
      `UPDATE inbox SET claimed_by = NULL, lease_until = NULL
       WHERE claimed_by = @owner AND status = 'pending' AND (@ids IS NULL OR id IN (SELECT value FROM json_each(@ids)))`,
    );
    this.pruneRows = db.prepare(`DELETE FROM inbox WHERE status <> 'pending' AND processed_at < ?`);
  }

  async add(message: IncomingMessage, receivedAt: Date, lease?: Lease): Promise<{ duplicate: true } | { duplicate: false; item: InboxItem }> {
    const result = this.insert.run(
      message.channel,
      message.channelMessageId,
      message.from.userId,
      message.kind,
      JSON.stringify(message),
      receivedAt.toISOString(),
      lease?.owner ?? null,
      lease?.until.toISOString() ?? null,
      lease ? 1 : 0,
    );
    if (result.changes === 0) return { duplicate: true };
    return { duplicate: false, item: toItem(this.byId.get(result.lastInsertRowid) as InboxRow) };
  }

  async get(id: number): Promise<InboxItem | undefined> {
    const row = this.byId.get(id) as InboxRow | undefined;
    return row && toItem(row);
  }

  async pending(limit = 1000): Promise<InboxItem[]> {
    return (this.pendingRows.all(limit) as InboxRow[]).map(toItem);
  }

  async claimNext(lease: Lease, now: Date, limit: number): Promise<InboxItem[]> {
    if (limit <= 0) return [];
    const rows = this.claimRows.all({ owner: lease.owner, until: lease.until.toISOString(), now: now.toISOString(), limit }) as InboxRow[];
    return rows.map(toItem).sort((a, b) => a.id - b.id);
  }

  async renew(ids: number[], lease: Lease): Promise<number> {
    if (!ids.length) return 0;
    return this.renewRows.run({ ids: JSON.stringify(ids), owner: lease.owner, until: lease.until.toISOString() }).changes;
  }

  async retryLater(id: number, owner: string, error: string, notBefore: Date): Promise<void> {
    this.retryRow.run(notBefore.toISOString(), error, id, owner);
  }

  async release(owner: string, ids?: number[]): Promise<number> {
    if (ids?.length === 0) return 0;
    return this.releaseRows.run({ owner, ids: ids ? JSON.stringify(ids) : null }).changes;
  }

  async markDone(id: number, outcome: string, at: Date): Promise<void> {
    this.finish.run('done', outcome, null, at.toISOString(), id);
  }

  async markFailed(id: number, error: string, at: Date): Promise<void> {
    this.finish.run('failed', null, error, at.toISOString(), id);
  }

  async prune(before: Date): Promise<number> {
    return this.pruneRows.run(before.toISOString()).changes;
  }
}
