import type { AbstainReason } from '../domain/answer.ts';
import type { ChannelName, Recipient } from '../domain/channel.ts';
import type { Citation } from '../domain/citation.ts';

/** `open` → `claimed` (an officer works on it) → `answered` (the reply reached the citizen), or `closed`. */
export const ESCALATION_STATUSES = ['open', 'claimed', 'answered', 'closed'] as const;
export type EscalationStatus = (typeof ESCALATION_STATUSES)[number];

/** Why a question went to a person: Loa abstained, the citizen asked for a person, or answering failed. */
export type EscalationReason = 'abstained' | 'requested' | 'error';

/** Where the spokesperson's reply is on its way to the citizen. */
export type DeliveryStatus = 'none' | 'pending' | 'sent' | 'failed';

/** One earlier exchange, shown to the officer as context. */
export interface ContextTurn {
  at: string;
  userText?: string;
  replyText?: string;
}

/** A question waiting for (or answered by) a spokesperson. */
export interface Escalation {
  id: string;
  /** The idempotency key it was created with (e.g. `inbox:42`: the citizen message it answers). */
  sourceKey?: string;
  status: EscalationStatus;
  reason: EscalationReason;
  abstainReason?: AbstainReason;
  channel: ChannelName;
  /** Where to send the answer: the citizen on the channel they used. */
  recipient: Recipient;
  userName?: string;
  question: string;
  /** Recent turns before the question, oldest first. */
  context: ContextTurn[];
  /** What retrieval found but was not confident about (possibly empty). */
  candidates: Citation[];
  createdAt: string;
  updatedAt: string;
  assignee?: string;
  claimedAt?: string;
  closedReason?: string;
  answerText?: string;
  answerCitations?: Citation[];
  answeredBy?: string;
  /** When the officer's reply was recorded. */
  answeredAt?: string;
  deliveryStatus: DeliveryStatus;
  deliveryError?: string;
  deliveredAt?: string;
}

export interface NewEscalation {
  /** Idempotency key (e.g. `inbox:42`): creating twice with the same key returns the first. */
  sourceKey?: string;
  reason: EscalationReason;
  abstainReason?: AbstainReason;
  recipient: Recipient;
  userName?: string;
  question: string;
  context: ContextTurn[];
  candidates: Citation[];
}

export interface EscalationFilter {
  status?: EscalationStatus | EscalationStatus[];
  channel?: ChannelName;
  /** Only escalations held by this officer (email). Optional: added for the console. */
  assignee?: string;
  /**
   * Words that must all occur in the question, ignoring case and Vietnamese diacritics
   * ("cccd", "dang ky"). Optional: added for the console.
   */
  query?: string;
  /** Default 50, at most 500. */
  limit?: number;
  offset?: number;
}

/** The result of a state change that may be refused. */
export type EscalationChange =
  | { ok: true; escalation: Escalation }
  | { ok: false; reason: 'not_found' | 'claimed_by_other' | 'finished'; escalation?: Escalation };

/** Escalated questions, for the spokesperson console. Every state change is atomic. */
export interface EscalationStore {
  create(input: NewEscalation, now: Date): Promise<Escalation>;
  get(id: string): Promise<Escalation | undefined>;
  /** Newest first. */
  list(filter?: EscalationFilter): Promise<Escalation[]>;
  /** open → claimed by `officer`. Refused when another officer holds it or it is answered/closed. */
  claim(id: string, officer: string, now: Date): Promise<EscalationChange>;
  /** open/claimed → closed, with the reason (e.g. "trùng lặp", "không thuộc thẩm quyền"). */
  close(id: string, reason: string, now: Date): Promise<EscalationChange>;
  /**
   * Stores the officer's reply (claiming it for them if open) with delivery `pending`. The
   * status becomes `answered` only through `markDelivered`. Refused like `claim`.
   */
  recordAnswer(id: string, answer: { text: string; citations: Citation[]; officer: string }, now: Date): Promise<EscalationChange>;
  /** The reply reached the citizen: delivery `sent`, status `answered`. */
  markDelivered(id: string, now: Date): Promise<Escalation | undefined>;
  /** Delivery failed (`failed`) or will be retried (`pending`), with the error. */
  markDeliveryProblem(id: string, status: 'pending' | 'failed', error: string, now: Date): Promise<Escalation | undefined>;
  /** How many escalations match (limit and offset ignored). Optional: added for the console. */
  count?(filter?: EscalationFilter): Promise<number>;
  /**
   * An administrator hands an open or claimed escalation to `officer`, whoever held it.
   * Refused (`finished`) when answered or closed, and (`claimed_by_other`) while a reply is
   * on its way (delivery `pending`). Optional: added for the console.
   */
  assign?(id: string, officer: string, now: Date): Promise<EscalationChange>;
}
