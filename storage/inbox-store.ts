import type { ChannelName, IncomingMessage } from '../domain/channel.ts';
import type { Lease } from './lease.ts';

/** Where an inbox item stands: waiting to be handled, handled, or given up on. */
export type InboxStatus = 'pending' | 'done' | 'failed';

/** One event received from a channel, exactly as the adapter translated it. */
export interface InboxItem {
  /** Increasing: items are handled in arrival order. */
  id: number;
  channel: ChannelName;
  channelMessageId: string;
  userId: string;
  message: IncomingMessage;
  status: InboxStatus;
  receivedAt: string;
  processedAt?: string;
  /** What handling produced (the intent, e.g. 'question'), for audits. */
  outcome?: string;
  error?: string;
  /** Times an instance claimed it for handling. */
  attempts: number;
  /** The instance handling it now, while its lease runs. */
  claimedBy?: string;
  /** The claim's end; on an unclaimed item, the time before which nobody takes it (a retry's wait). */
  leaseUntil?: string;
}

/**
 * Every incoming event is written here before the webhook is acknowledged, so nothing a
 * citizen sent is lost if Loa stops before answering. The pair (channel, channelMessageId)
 * is unique: a channel's re-delivery of the same event is recognised and dropped.
 */
export interface InboxStore {
  /** Stores the event (claimed by `lease` when given); `duplicate: true` (and nothing stored) when it was seen before. */
  add(message: IncomingMessage, receivedAt: Date, lease?: Lease): Promise<{ duplicate: true } | { duplicate: false; item: InboxItem }>;
  get(id: number): Promise<InboxItem | undefined>;
  /** Items not handled yet, oldest first, whoever holds them. */
  pending(limit?: number): Promise<InboxItem[]>;
  /**
   * Claims up to `limit` pending items, oldest first, that nobody holds (never claimed, lease
   * run out, retry wait over). Atomic: two instances claiming at once never get the same item.
   */
  claimNext(lease: Lease, now: Date, limit: number): Promise<InboxItem[]>;
  /** Extends the leases `lease.owner` holds on these items; returns how many it still held. */
  renew(ids: number[], lease: Lease): Promise<number>;
  /** Hands the item back for another try not before `notBefore`, noting the error. */
  retryLater(id: number, owner: string, error: string, notBefore: Date): Promise<void>;
  /** Hands back the pending items `owner` holds (only `ids` when given; a graceful stop), so others take them at once. */
  release(owner: string, ids?: number[]): Promise<number>;
  markDone(id: number, outcome: string, at: Date): Promise<void>;
  markFailed(id: number, error: string, at: Date): Promise<void>;
  /** Deletes handled (done or failed) items processed before `before`; returns how many. */
  prune(before: Date): Promise<number>;
}
