import type { SqliteDatabase } from './database.ts';
import { migrate } from './database.ts';
import type { OutgoingAction } from '../../domain/channel.ts';
import {
  UnknownWebchatSessionError,
  type NewWebchatMessage,
  type WebchatCitation,
  type WebchatMessage,
  type WebchatMessageKind,
  type WebchatSession,
  type WebchatStore,
} from '../webchat-store.ts';

const MIGRATIONS = [
  `CREATE TABLE webchat_sessions (
     id TEXT PRIMARY KEY,
     token_hash TEXT NOT NULL,
     created_at TEXT NOT NULL,
     last_active_at TEXT NOT NULL,
     last_seq INTEGER NOT NULL DEFAULT 0
   );
   CREATE INDEX webchat_sessions_last_active ON webchat_sessions (last_active_at);
   CREATE TABLE webchat_messages (
     session_id TEXT NOT NULL REFERENCES webchat_sessions (id) ON DELETE CASCADE,
     seq INTEGER NOT NULL,
     kind TEXT NOT NULL,
     text TEXT NOT NULL,
     citations TEXT NOT NULL DEFAULT '[]',
     answer_id TEXT,
     client_message_id TEXT,
     created_at TEXT NOT NULL,
     PRIMARY KEY (session_id, seq)
   ) WITHOUT ROWID;
   CREATE UNIQUE INDEX webchat_messages_client_id ON webchat_messages (session_id, client_message_id)
     WHERE client_message_id IS NOT NULL;`,
  `ALTER TABLE webchat_messages ADD COLUMN actions TEXT;`,
];

interface SessionRow {
  id: string;
  token_hash: string;
  created_at: string;
  last_active_at: string;
}

interface MessageRow {
  seq: number;
  kind: string;
  text: string;
  citations: string;
  answer_id: string | null;
  client_message_id: string | null;
  actions: string | null;
  created_at: string;
}

function toMessage(row: MessageRow): WebchatMessage {
  const message: WebchatMessage = {
    seq: row.seq,
    kind: row.kind as WebchatMessageKind,
    text: row.text,
    citations: JSON.parse(row.citations) as WebchatCitation[],
    createdAt: row.created_at,
  };
  if (row.answer_id !== null) message.answerId = row.answer_id;
  if (row.client_message_id !== null) message.clientMessageId = row.client_message_id;
  if (row.actions !== null) message.actions = JSON.parse(row.actions) as OutgoingAction[];
  return message;
}

/** Web chat sessions and transcripts in the embedded SQLite file. */
class SqliteWebchatStore implements WebchatStore {
  private readonly insertSession;
  private readonly selectSession;
  private readonly selectByClientId;
  private readonly bumpSeq;
  private readonly insertMessage;
  private readonly selectAfter;
  private readonly deleteIdle;
  private readonly append;

  constructor(db: SqliteDatabase) {
    this.insertSession = db.prepare(
      'INSERT INTO webchat_sessions (id, token_hash, created_at, last_active_at) VALUES (?, ?, ?, ?)',
    );
    this.selectSession = db.prepare('SELECT id, token_hash, created_at, last_active_at FROM webchat_sessions WHERE id = ?');
    this.selectByClientId = db.prepare(
      'SELECT * FROM webchat_messages WHERE session_id = ? AND client_message_id = ?',
    );
    this.bumpSeq = db.prepare(
      'UPDATE webchat_sessions SET last_seq = last_seq + 1, last_active_at = ? WHERE id = ? RETURNING last_seq',
    );
    this.insertMessage = db.prepare(
      `INSERT INTO webchat_messages (session_id, seq, kind, text, citations, answer_id, client_message_id, actions, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.selectAfter = db.prepare(
      'SELECT * FROM webchat_messages WHERE session_id = ? AND seq > ? ORDER BY seq LIMIT ?',
    );
    this.deleteIdle = db.prepare('DELETE FROM webchat_sessions WHERE last_active_at < ?');
    // One transaction: the duplicate check, the seq bump and the insert cannot interleave.
    this.append = db.transaction((sessionId: string, m: NewWebchatMessage, createdAt: string) => {
      if (m.clientMessageId !== undefined) {
        const existing = this.selectByClientId.get(sessionId, m.clientMessageId) as MessageRow | undefined;
        if (existing) return { message: toMessage(existing), created: false };
      }
      const bumped = this.bumpSeq.get(createdAt, sessionId) as { last_seq: number } | undefined;
      if (!bumped) throw new UnknownWebchatSessionError(sessionId);
      const citations = m.citations ?? [];
      this.insertMessage.run(
        sessionId, bumped.last_seq, m.kind, m.text, JSON.stringify(citations),
        m.answerId ?? null, m.clientMessageId ?? null, m.actions?.length ? JSON.stringify(m.actions) : null, createdAt,
      );
      const message: WebchatMessage = { ...m, seq: bumped.last_seq, citations, createdAt };
      return { message, created: true };
    });
  }

  async createSession(s: { id: string; tokenHash: string; createdAt: string }): Promise<void> {
    this.insertSession.run(s.id, s.tokenHash, s.createdAt, s.createdAt);
  }

  async getSession(id: string): Promise<WebchatSession | undefined> {
    const row = this.selectSession.get(id) as SessionRow | undefined;
    return row && { id: row.id, tokenHash: row.token_hash, createdAt: row.created_at, lastActiveAt: row.last_active_at };
  }

  async appendMessage(sessionId: string, message: NewWebchatMessage, now = new Date()): Promise<{ message: WebchatMessage; created: boolean }> {
    return this.append(sessionId, message, now.toISOString());
  }

  async listMessages(sessionId: string, after: number, limit: number): Promise<WebchatMessage[]> {
    return (this.selectAfter.all(sessionId, after, limit) as MessageRow[]).map(toMessage);
  }

  async deleteSessionsIdleSince(before: Date): Promise<number> {
    return this.deleteIdle.run(before.toISOString()).changes;
  }
}

/** Creates the web chat store on an open SQLite database, applying its migrations. */
export function createSqliteWebchatStore(db: SqliteDatabase): WebchatStore {
  migrate(db, 'webchat', MIGRATIONS);
  return new SqliteWebchatStore(db);
}
