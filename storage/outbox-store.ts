import type { ChannelName, OutgoingMessage, Recipient } from '../bots/core/types.ts';
import type { Lease } from './lease.ts';

/**
 * `pending` waits for its next attempt, `sending` is claimed by an instance (under a lease),
 * `sent` was accepted by the channel. The dead letters: `failed` will not be tried again by
 * itself (a permanent error, or the channel's window ran out), `unknown` may have reached
 * the citizen (a send timed out after the request was written) and is not repeated blindly.
 */
export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'unknown';

/** The statuses a staff member may resend. */
export const DEAD_LETTER_STATUSES = ['failed', 'unknown'] as const;

/** One message Loa owes a citizen. */
export interface OutboxItem {
  id: number;
  /** Idempotency key: enqueuing the same key twice keeps the first item (e.g. `inbox:42`). */
  key: string;
  channel: ChannelName;
  recipient: Recipient;
  message: OutgoingMessage;
  status: OutboxStatus;
  /** Attempts started so far. */
  attempts: number;
  nextAttemptAt: string;
  lastError?: string;
  channelMessageIds?: string[];
  /** The conversation turn this message is the reply of. */
  turnId?: string;
  /** The escalation this message belongs to (the spokesperson's reply). */
  escalationId?: string;
  createdAt: string;
  updatedAt: string;
  sentAt?: string;
  /** The instance sending it now, while its lease runs. */
  claimedBy?: string;
  leaseUntil?: string;
  /** Attempts whose outcome was unknown (timed out after the request went out, or the sender died). */
  unknownOutcomes: number;
  /** When a staff member last resent it from the dead letters (the channel's window counts from here). */
  resentAt?: string;
}

/** A claimed item; `interrupted`: it was being sent by an instance whose lease ran out, so it may have arrived. */
export type ClaimedOutboxItem = OutboxItem & { interrupted: boolean };

export interface NewOutboxItem {
  key: string;
  recipient: Recipient;
  message: OutgoingMessage;
  turnId?: string;
  escalationId?: string;
  /** Not sent before this time (announcements are spread out at each channel's pace); default: now. */
  notBefore?: Date;
}

/**
 * Every outgoing message is written here before it is sent, and an instance sends it under a
 * lease. The status changes are compare-and-set, so two instances never send the same item
 * at once; an item whose holder died is taken over when its lease runs out.
 */
export interface OutboxStore {
  /** Stores the item unless its key exists; either way returns the stored item. */
  enqueue(item: NewOutboxItem, now: Date): Promise<OutboxItem>;
  get(id: number): Promise<OutboxItem | undefined>;
  /** Items still to send (pending), soonest first. */
  pending(limit?: number): Promise<OutboxItem[]>;
  /** The newest spokesperson reply queued for an escalation. */
  latestReply(escalationId: string): Promise<OutboxItem | undefined>;
  /**
   * Claims a pending item now, whatever its next attempt time (→ sending, attempts + 1), or
   * a sending one whose lease ran out. Undefined when it is neither.
   */
  claim(id: number, lease: Lease, now: Date): Promise<ClaimedOutboxItem | undefined>;
  /** Claims up to `limit` items that are due (pending, next attempt reached) or whose lease ran out, soonest first. */
  claimDue(lease: Lease, now: Date, limit: number, channels?: readonly ChannelName[]): Promise<ClaimedOutboxItem[]>;
  /** Extends the leases `lease.owner` holds on these items; returns how many it still held. */
  renew(ids: number[], lease: Lease): Promise<number>;
  /**
   * → sent. Accepted from any unfinished status: once the channel has the message, it is
   * sent, even if a lease ran out meanwhile.
   */
  markSent(id: number, channelMessageIds: string[], now: Date): Promise<void>;
  /**
   * sending → pending, to be tried again at `nextAttemptAt`; `unknown` counts an unknown
   * outcome, `notAttempted` takes back the claim's attempt (nothing was sent: a paused channel).
   */
  markRetry(id: number, error: string, nextAttemptAt: Date, now: Date, opts?: { unknown?: boolean; notAttempted?: boolean }): Promise<void>;
  /** sending → failed (a dead letter): not tried again by itself. */
  markFailed(id: number, error: string, now: Date): Promise<void>;
  /** sending → unknown (a dead letter that may have arrived), counting the unknown outcome. */
  markUnknown(id: number, error: string, now: Date): Promise<void>;
  /** Hands back what `owner` holds but has not sent (a graceful stop): sending → pending. */
  release(owner: string, now: Date): Promise<number>;
  /** Dead letters (failed or unknown), newest first; `beforeId` pages on. */
  deadLetters(opts: { limit: number; beforeId?: number }): Promise<OutboxItem[]>;
  /** Puts dead letters back in line (→ pending, due now); returns the ids that were dead letters. */
  resend(ids: number[], now: Date): Promise<number[]>;
  /** Items per status (for the console and metrics). */
  countByStatus(): Promise<Record<OutboxStatus, number>>;
  /** Deletes finished items (sent, failed, unknown) last changed before `before`; returns how many. */
  prune(before: Date): Promise<number>;
}
