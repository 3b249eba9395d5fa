import type { ChannelName, IncomingMessage } from '../../bots/core/types.ts';
import type { InboxItem, InboxStatus, InboxStore } from '../inbox-store.ts';
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
  };
}

/** The inbox in SQLite; the UNIQUE constraint does the deduplication. */
export class SqliteInboxStore implements InboxStore {
  private readonly insert;
  private readonly byId;
  private readonly pendingRows;
  private readonly finish;

  constructor(db: SqliteDatabase) {
    migrate(db, 'inbox', MIGRATIONS);
    this.insert = db.prepare(
      `INSERT INTO inbox (channel, channel_message_id, user_id, kind, message, received_at)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (channel, channel_message_id) DO NOTHING`,
    );
    this.byId = db.prepare('SELECT * FROM inbox WHERE id = ?');
    this.pendingRows = db.prepare(`SELECT * FROM inbox WHERE status = 'pending' ORDER BY id LIMIT ?`);
    this.finish = db.prepare(
      `UPDATE inbox SET status = ?, outcome = ?, error = ?, processed_at = ? WHERE id = ? AND status = 'pending'`,
    );
  }

  async add(message: IncomingMessage, receivedAt: Date): Promise<{ duplicate: true } | { duplicate: false; item: InboxItem }> {
    const result = this.insert.run(
      message.channel,
      message.channelMessageId,
      message.from.userId,
      message.kind,
      JSON.stringify(message),
      receivedAt.toISOString(),
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

  async markDone(id: number, outcome: string, at: Date): Promise<void> {
    this.finish.run('done', outcome, null, at.toISOString(), id);
  }

  async markFailed(id: number, error: string, at: Date): Promise<void> {
    this.finish.run('failed', null, error, at.toISOString(), id);
  }
}
