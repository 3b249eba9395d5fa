import type { Selectable } from 'kysely';
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
import type { SqlDatabase } from './connect.ts';
import { toJson } from './json.ts';
import type { WebchatMessagesTable } from './schema.ts';

function toMessage(row: Selectable<WebchatMessagesTable>): WebchatMessage {
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

/** Web chat sessions and transcripts, on SQLite or PostgreSQL. */
export class SqlWebchatStore implements WebchatStore {
  constructor(private readonly sql: SqlDatabase) {}

  async createSession(s: { id: string; tokenHash: string; createdAt: string }): Promise<void> {
    await this.sql.db.insertInto('webchat_sessions').values({ id: s.id, token_hash: s.tokenHash, created_at: s.createdAt, last_active_at: s.createdAt }).execute();
  }

  async getSession(id: string): Promise<WebchatSession | undefined> {
    const row = await this.sql.db.selectFrom('webchat_sessions').select(['id', 'token_hash', 'created_at', 'last_active_at']).where('id', '=', id).executeTakeFirst();
    return row && { id: row.id, tokenHash: row.token_hash, createdAt: row.created_at, lastActiveAt: row.last_active_at };
  }

  async appendMessage(sessionId: string, m: NewWebchatMessage, now = new Date()): Promise<{ message: WebchatMessage; created: boolean }> {
    const { dialect } = this.sql;
    const createdAt = now.toISOString();
    return dialect.writeTransaction(this.sql.db, async (db) => {
      // The session is locked before the duplicate check: a retry racing its original then finds it.
      const session = await dialect.lockRows(db.selectFrom('webchat_sessions').select('last_seq').where('id', '=', sessionId)).executeTakeFirst();
      if (!session) throw new UnknownWebchatSessionError(sessionId);
      if (m.clientMessageId !== undefined) {
        const existing = await db
          .selectFrom('webchat_messages')
          .selectAll()
          .where('session_id', '=', sessionId)
          .where('client_message_id', '=', m.clientMessageId)
          .executeTakeFirst();
        if (existing) return { message: toMessage(existing), created: false };
      }
      const seq = session.last_seq + 1;
      const citations = m.citations ?? [];
      await db.updateTable('webchat_sessions').set({ last_seq: seq, last_active_at: createdAt }).where('id', '=', sessionId).execute();
      await db
        .insertInto('webchat_messages')
        .values({
          session_id: sessionId,
          seq,
          kind: m.kind,
          text: m.text,
          citations: toJson(citations),
          answer_id: m.answerId ?? null,
          client_message_id: m.clientMessageId ?? null,
          actions: m.actions?.length ? toJson(m.actions) : null,
          created_at: createdAt,
        })
        .execute();
      // Built from the input so the caller gets back exactly the fields it gave.
      const message: WebchatMessage = { ...m, seq, citations, createdAt };
      return { message, created: true };
    });
  }

  async listMessages(sessionId: string, after: number, limit: number): Promise<WebchatMessage[]> {
    const rows = await this.sql.db
      .selectFrom('webchat_messages')
      .selectAll()
      .where('session_id', '=', sessionId)
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map(toMessage);
  }

  async deleteSessionsIdleSince(before: Date): Promise<number> {
    const result = await this.sql.db.deleteFrom('webchat_sessions').where('last_active_at', '<', before.toISOString()).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
