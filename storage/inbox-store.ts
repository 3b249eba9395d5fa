import type { ChannelName, IncomingMessage } from '../bots/core/types.ts';

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
}

/**
 * Every incoming event is written here before the webhook is acknowledged, so nothing a
 * citizen sent is lost if Loa stops before answering. The pair (channel, channelMessageId)
 * is unique: a channel's re-delivery of the same event is recognised and dropped.
 */
export interface InboxStore {
  /** Stores the event; `duplicate: true` (and nothing stored) when it was seen before. */
  add(message: IncomingMessage, receivedAt: Date): Promise<{ duplicate: true } | { duplicate: false; item: InboxItem }>;
  get(id: number): Promise<InboxItem | undefined>;
  /** Items not handled yet, oldest first (resumed after a restart). */
  pending(limit?: number): Promise<InboxItem[]>;
  markDone(id: number, outcome: string, at: Date): Promise<void>;
  markFailed(id: number, error: string, at: Date): Promise<void>;
}
