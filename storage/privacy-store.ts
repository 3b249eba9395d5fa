import type { ChannelName } from '../domain/channel.ts';

/** One citizen, as a channel knows them (web chat: the session id). */
export interface CitizenRef {
  channel: ChannelName;
  userId: string;
}

/**
 * What a citizen's data comes to, table by table. Conversation turns and escalations are
 * anonymised (their counts, outcomes and times stay for reports); the rest is deleted.
 */
export interface CitizenDataCounts {
  /** Conversation turns whose texts and channel id are erased. */
  turns: number;
  /** Of those, turns with 👍/👎 feedback (the verdict stays, no longer linked to anyone). */
  feedback: number;
  /** Handled incoming events (the raw messages) deleted. */
  inbox: number;
  /** Finished deliveries (the texts sent to the citizen) deleted. */
  outbox: number;
  /** Escalations whose question, answer, context and name are erased. */
  escalations: number;
  /** Web chat messages deleted (with their session). */
  webchatMessages: number;
  /** Clarify choices (the citizen's question labelled with a unit) deleted. */
  examples: number;
  /** FAQ drafts made from this citizen's escalations: flagged for review, not deleted. */
  faqDrafts: number;
}

/** What forgetting did: the counts, and the FAQ drafts now waiting for review. */
export interface ForgetResult extends CitizenDataCounts {
  flaggedFaqIds: string[];
}

/** What one retention pass anonymised or deleted. */
export interface RetentionResult {
  turns: number;
  inbox: number;
  outbox: number;
  escalations: number;
  webchatMessages: number;
  examples: number;
}

/** Rows of each kind one `prune` call erases at most, by default. */
export const PRUNE_BATCH = 5_000;

/** The channel id left on anonymised rows: rows stay countable, nobody is findable. */
export const ERASED_USER_ID = 'erased';
/** The question text left on an anonymised escalation (the column may not be empty of meaning). */
export const ERASED_TEXT = '[đã xoá theo Nghị định 13/2023/NĐ-CP]';
/** Why an FAQ draft is flagged, and why an open escalation of a forgotten citizen is closed. */
export const ERASED_REASON = 'citizen_data_erased';

/**
 * Citizens' personal data under Decree 13/2023/NĐ-CP: how much a citizen has (`preview`),
 * erasing it on request (`forget`, one transaction), and the retention period (`prune`).
 * Its SQL reaches into the tables of the conversation, inbox, outbox, escalation, web chat,
 * example and FAQ stores, kept here so the rules of erasure live in one place.
 */
export interface PrivacyStore {
  preview(citizen: CitizenRef): Promise<CitizenDataCounts>;
  /** Erases everything `preview` counts, at once; running it again finds nothing. */
  forget(citizen: CitizenRef, now: Date): Promise<ForgetResult>;
  /**
   * Anonymises turns and finished escalations created before `before`, and deletes older web
   * chat messages, labelled examples and handled inbox/outbox rows. Pending work is kept.
   * At most `batch` rows of each kind per call (short statements, within the statement
   * timeout): call again while a count equals `batch`.
   */
  prune(before: Date, batch?: number): Promise<RetentionResult>;
}
