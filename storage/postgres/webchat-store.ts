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
import { iso, migrate, query, toJson, withTransaction, type PgPool } from './database.ts';

const MIGRATIONS = [
  `CREATE TABLE webchat_sessions (
     id text PRIMARY KEY,
     token_hash text NOT NULL,
     created_at timestamptz NOT NULL,
     last_active_at timestamptz NOT NULL,
     last_seq integer NOT NULL DEFAULT 0
   );
   CREATE INDEX webchat_sessions_last_active ON webchat_sessions (last_active_at);
   CREATE TABLE webchat_messages (
     session_id text NOT NULL REFERENCES webchat_sessions (id) ON DELETE CASCADE,
     seq integer NOT NULL,
     kind text NOT NULL,
     text text NOT NULL,
     citations jsonb NOT NULL DEFAULT '[]',
     answer_id text,
     client_message_id text,
     created_at timestamptz NOT NULL,
     PRIMARY KEY (session_id, seq)
   );
   CREATE UNIQUE INDEX webchat_messages_client_id ON webchat_messages (session_id, client_message_id)
     WHERE client_message_id IS NOT NULL;`,
  `ALTER TABLE webchat_messages ADD COLUMN actions jsonb;`,
];

interface SessionRow {
  id: string;
  token_hash: string;
  created_at: Date;
  last_active_at: Date;
}

interface MessageRow {
  seq: number;
  kind: string;
  text: string;
  citations: WebchatCitation[];
  answer_id: string | null;
  client_message_id: string | null;
  actions: OutgoingAction[] | null;
  created_at: Date;
}

function toMessage(row: MessageRow): WebchatMessage {
  const message: WebchatMessage = {
    seq: row.seq,
    kind: row.kind as WebchatMessageKind,
    text: row.text,
    citations: row.citations,
    createdAt: iso(row.created_at),
  };
  if (row.answer_id !== null) message.answerId = row.answer_id;
  if (row.client_message_id !== null) message.clientMessageId = row.client_message_id;
  if (row.actions !== null) message.actions = row.actions;
  return message;
}

const MESSAGE_COLUMNS = 'seq, kind, text, citations, answer_id, client_message_id, actions, created_at';

/**
 * Web chat sessions and transcripts in PostgreSQL. Appending locks the session row first,
 * so messages of one session get consecutive seqs even when two instances append at once
 * (the citizen's message on one, Loa's answer on another).
 */
export class PostgresWebchatStore implements WebchatStore {
  private constructor(private readonly pool: PgPool) {}

  static async open(pool: PgPool): Promise<PostgresWebchatStore> {
    await migrate(pool, 'webchat', MIGRATIONS);
    return new PostgresWebchatStore(pool);
  }

  async createSession(s: { id: string; tokenHash: string; createdAt: string }): Promise<void> {
    await query(this.pool, 'INSERT INTO webchat_sessions (id, token_hash, created_at, last_active_at) VALUES ($1, $2, $3, $3)', [
      s.id,
      s.tokenHash,
      s.createdAt,
    ]);
  }

  async getSession(id: string): Promise<WebchatSession | undefined> {
    const { rows } = await query<SessionRow>(this.pool, 'SELECT id, token_hash, created_at, last_active_at FROM webchat_sessions WHERE id = $1', [id]);
    const row = rows[0];
    return row && { id: row.id, tokenHash: row.token_hash, createdAt: iso(row.created_at), lastActiveAt: iso(row.last_active_at) };
  }

  async appendMessage(sessionId: string, m: NewWebchatMessage, now = new Date()): Promise<{ message: WebchatMessage; created: boolean }> {
    return withTransaction(this.pool, async (db) => {
      // The lock comes before the duplicate check: a retry racing its original then finds it.
      const session = await query<{ last_seq: number }>(db, 'SELECT last_seq FROM webchat_sessions WHERE id = $1 FOR UPDATE', [sessionId]);
      if (!session.rows[0]) throw new UnknownWebchatSessionError(sessionId);
      if (m.clientMessageId !== undefined) {
        const existing = await query<MessageRow>(
          db,
          `SELECT ${MESSAGE_COLUMNS} FROM webchat_messages WHERE session_id = $1 AND client_message_id = $2`,
          [sessionId, m.clientMessageId],
        );
        if (existing.rows[0]) return { message: toMessage(existing.rows[0]), created: false };
      }
      const seq = session.rows[0].last_seq + 1;
      const citations = m.citations ?? [];
      await query(db, 'UPDATE webchat_sessions SET last_seq = $1, last_active_at = $2 WHERE id = $3', [seq, now, sessionId]);
      const { rows } = await query<MessageRow>(
        db,
        `INSERT INTO webchat_messages (session_id, seq, kind, text, citations, answer_id, client_message_id, actions, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         RETURNING ${MESSAGE_COLUMNS}`,
        [sessionId, seq, m.kind, m.text, toJson(citations), m.answerId ?? null, m.clientMessageId ?? null, m.actions?.length ? toJson(m.actions) : null, now],
      );
      // Built from the input (as in SQLite) so the caller gets back exactly the fields it gave.
      const message: WebchatMessage = { ...m, seq: rows[0].seq, citations, createdAt: iso(rows[0].created_at) };
      return { message, created: true };
    });
  }

  async listMessages(sessionId: string, after: number, limit: number): Promise<WebchatMessage[]> {
    const { rows } = await query<MessageRow>(
      this.pool,
      `SELECT ${MESSAGE_COLUMNS} FROM webchat_messages WHERE session_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
      [sessionId, after, limit],
    );
    return rows.map(toMessage);
  }

  async deleteSessionsIdleSince(before: Date): Promise<number> {
    const { rowCount } = await query(this.pool, 'DELETE FROM webchat_sessions WHERE last_active_at < $1', [before]);
    return rowCount ?? 0;
  }
}
