import type { ChannelName, OutgoingMessage, Recipient } from '../bots/core/types.ts';

/**
 * `pending` waits for its next attempt, `sending` is claimed by a worker, `sent` was accepted
 * by the channel, `failed` will not be tried again.
 */
export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed';

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
}

export interface NewOutboxItem {
  key: string;
  recipient: Recipient;
  message: OutgoingMessage;
  turnId?: string;
  escalationId?: string;
}

/**
 * Every outgoing message is written here before it is sent, and a worker sends it. The
 * status changes are compare-and-set, so two workers never send the same item.
 */
export interface OutboxStore {
  /** Stores the item unless its key exists; either way returns the stored item. */
  enqueue(item: NewOutboxItem, now: Date): Promise<OutboxItem>;
  get(id: number): Promise<OutboxItem | undefined>;
  /** Items still to send, soonest first. */
  pending(limit?: number): Promise<OutboxItem[]>;
  /** The newest spokesperson reply queued for an escalation. */
  latestReply(escalationId: string): Promise<OutboxItem | undefined>;
  /**
   * Claims a pending item for sending (pending → sending, attempts + 1). Resolves undefined
   * when the item is not pending, i.e. another worker has it or it is finished.
   */
  claim(id: number, now: Date): Promise<OutboxItem | undefined>;
  /** sending → sent. */
  markSent(id: number, channelMessageIds: string[], now: Date): Promise<void>;
  /** sending → pending, to be tried again at `nextAttemptAt`. */
  markRetry(id: number, error: string, nextAttemptAt: Date, now: Date): Promise<void>;
  /** sending → failed: not tried again. */
  markFailed(id: number, error: string, now: Date): Promise<void>;
  /**
   * Puts items left in `sending` by a crash back to `pending`; returns how many. Whether
   * the channel got them is unknown, and a citizen is better served by a rare duplicate
   * than by a lost answer.
   */
  requeueInterrupted(now: Date): Promise<number>;
}
