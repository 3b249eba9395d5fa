/**
 * What the web chat adapter needs from outside: a store of sessions and transcripts, and a
 * hub that fans new transcript messages out to the event streams of a session. Both are
 * implemented in storage/ (SQLite or PostgreSQL; in memory or over Redis).
 */
import type { OutgoingAction, OutgoingKind } from '../../domain/channel.ts';

/** Called with each new message of a session. */
export type WebchatListener = (message: WebchatMessage) => void;

/**
 * Fans new transcript messages out to the open event streams of a session. In-process by
 * default; a Redis-backed hub with the same two methods lets several instances share
 * sessions later.
 */
export interface WebchatHub {
  publish(sessionId: string, message: WebchatMessage): void;
  /** Returns the function that unsubscribes. */
  subscribe(sessionId: string, listener: WebchatListener): () => void;
}

/** Who wrote a web chat message: the citizen ('user') or Loa (one of the outgoing kinds). */
export type WebchatMessageKind = 'user' | OutgoingKind;

/**
 * A citation as the widget shows it: pre-rendered on the server (see `bots/core/format.ts`)
 * so the browser never has to know about document statuses.
 */
export interface WebchatCitation {
  /** Footnote number, 1-based. */
  n: number;
  /** "Luật Cư trú (68/2020/QH14; bản tóm tắt), Điều 20, Khoản 2". */
  label: string;
  /** Only http(s) URLs are kept. */
  url?: string;
  quote: string;
}

/** One message of a web chat transcript, as stored and as sent to the browser. */
export interface WebchatMessage {
  /** Increases by one per message within a session, starting at 1. */
  seq: number;
  kind: WebchatMessageKind;
  text: string;
  citations: WebchatCitation[];
  answerId?: string;
  /** Loa's buttons under the message (clarify options, "Xem thêm" …); stored so a reload shows them. */
  actions?: OutgoingAction[];
  /** The browser's id for a message it sent, so it can match its optimistic copy. */
  clientMessageId?: string;
  createdAt: string;
}

/** A new message, before it has a seq. */
export type NewWebchatMessage = Omit<WebchatMessage, 'seq' | 'createdAt' | 'citations'> & {
  citations?: WebchatCitation[];
};

export interface WebchatSession {
  id: string;
  /** SHA-256 (hex) of the session token: the token itself is never stored. */
  tokenHash: string;
  createdAt: string;
  lastActiveAt: string;
}

/**
 * Web chat sessions and their transcripts. The browser holds the session id and token, so a
 * citizen who returns hours later (after a spokesperson replied) sees the whole conversation.
 */
export interface WebchatStore {
  createSession(session: { id: string; tokenHash: string; createdAt: string }): Promise<void>;
  getSession(id: string): Promise<WebchatSession | undefined>;
  /**
   * Appends a message with the next seq of its session. A message whose `clientMessageId`
   * the session already has is not stored again: the earlier one is returned with
   * `created: false` (browser retries are idempotent). Throws when the session is unknown.
   */
  appendMessage(sessionId: string, message: NewWebchatMessage, now?: Date): Promise<{ message: WebchatMessage; created: boolean }>;
  /** Messages with seq > `after`, oldest first, at most `limit`. */
  listMessages(sessionId: string, after: number, limit: number): Promise<WebchatMessage[]>;
  /** Deletes sessions (and their transcripts) with no activity since `before`; returns how many. */
  deleteSessionsIdleSince(before: Date): Promise<number>;
}

/** Thrown by `appendMessage` for a session that does not exist (e.g. deleted for retention). */
export class UnknownWebchatSessionError extends Error {
  constructor(readonly sessionId: string) {
    super(`Unknown web chat session ${sessionId}`);
    this.name = 'UnknownWebchatSessionError';
  }
}
