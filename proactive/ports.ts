import type { ChannelName, Recipient } from '../bots/core/types.ts';

/** A subject citizens can subscribe to ("bảo hiểm xã hội"); from the knowledge base's tags or defined by an officer. */
export interface Topic {
  id: string;
  /** Vietnamese, as citizens see it. */
  label: string;
  /** Normalised phrases (see `normalizeForMatching`) that name the topic in "đăng ký nhận tin …". */
  keywords: string[];
  source: 'knowledge' | 'officer';
  createdAt: string;
}

/** One citizen's subscription to one topic on one channel. */
export interface Subscription {
  channel: ChannelName;
  userId: string;
  topicId: string;
  recipient: Recipient;
  /** An area code (province/ward) the citizen gave, for targeting; absent: everywhere. */
  area?: string;
  active: boolean;
  createdAt: string;
  updatedAt: string;
  /** When the citizen last wrote to Loa, and that message's channel id (Zalo's free reply window counts from it). */
  lastMessageAt?: string;
  lastMessageId?: string;
}

export type AnnouncementStatus = 'pending_approval' | 'approved' | 'sending' | 'queued' | 'cancelled';

/** An officer's announcement: composed, approved by a second person, then queued to the outbox. */
export interface Announcement {
  id: string;
  topicId: string;
  text: string;
  /** The official document it announces. */
  link?: string;
  imageUrl?: string;
  /** Channels to reach (empty: all). */
  channels: ChannelName[];
  /** Area to reach (absent: everywhere). */
  area?: string;
  /** Not sent before this time. */
  scheduledAt: string;
  status: AnnouncementStatus;
  createdBy: string;
  approvedBy?: string;
  createdAt: string;
  approvedAt?: string;
  queuedAt?: string;
}

export type NewAnnouncement = Pick<Announcement, 'topicId' | 'text' | 'channels' | 'createdBy'> &
  Partial<Pick<Announcement, 'link' | 'imageUrl' | 'area' | 'scheduledAt'>>;

/**
 * What came of one subscriber for one announcement. `queued`: handed to the outbox;
 * `not_sent`: a channel rule excluded it (the reason says which); then `sent` / `failed` as the
 * outbox reports; `read` when the channel says so (Zalo `user_seen_message`).
 */
export type DeliveryStatus = 'queued' | 'not_sent' | 'sent' | 'failed';

export interface Delivery {
  announcementId: string;
  channel: ChannelName;
  userId: string;
  status: DeliveryStatus;
  /** Why not sent or why it failed (a rule's code such as `zalo_no_interaction_7d`, or the channel's error). */
  reason?: string;
  /** How the channel was used: `zalo_free_reply`, `zalo_paid_consultation`, `telegram`, `webchat_next_visit` … */
  route?: string;
  outboxId?: number;
  channelMessageIds?: string[];
  readAt?: string;
  createdAt: string;
}

export interface DeliveryStats {
  targeted: number;
  queued: number;
  sent: number;
  read: number;
  failedByReason: Record<string, number>;
  notSentByReason: Record<string, number>;
  byChannel: Partial<Record<ChannelName, { targeted: number; sent: number; notSent: number; failed: number }>>;
}

/**
 * Subscriptions, announcements and their deliveries. Every state change that two officers or
 * two instances could race on is a compare-and-set (`approve`, `startQueueing`).
 */
export interface ProactiveStore extends ClaimStore {
  migrate(): Promise<void>;
  close(): Promise<void>;

  upsertTopic(topic: Omit<Topic, 'createdAt'>, now: Date): Promise<Topic>;
  topics(): Promise<Topic[]>;
  deleteTopic(id: string): Promise<boolean>;

  /** Subscribes (or re-subscribes) the citizen; returns the stored subscription. */
  subscribe(recipient: Recipient, topicId: string, now: Date, area?: string): Promise<Subscription>;
  /** Unsubscribes from one topic, or from all (no topic); returns how many were active. */
  unsubscribe(channel: ChannelName, userId: string, topicId: string | undefined, now: Date): Promise<number>;
  subscriptionsOf(channel: ChannelName, userId: string): Promise<Subscription[]>;
  /** Active subscribers of a topic, optionally narrowed to channels and an area, in a stable order. */
  subscribers(topicId: string, filter: { channels?: ChannelName[]; area?: string }): Promise<Subscription[]>;
  /** Records a citizen's latest message on their subscriptions (a no-op for non-subscribers). */
  touch(channel: ChannelName, userId: string, channelMessageId: string, at: Date): Promise<void>;
  /** Unsubscribes counted per topic since `since` (for the statistics). */
  unsubscribesSince(topicId: string, since: Date): Promise<number>;

  createAnnouncement(a: NewAnnouncement, now: Date): Promise<Announcement>;
  getAnnouncement(id: string): Promise<Announcement | undefined>;
  listAnnouncements(limit?: number): Promise<Announcement[]>;
  /**
   * pending_approval → approved by someone other than the author. False when it is not
   * pending (another approver won) or the approver wrote it.
   */
  approve(id: string, approver: string, now: Date): Promise<boolean>;
  cancel(id: string, now: Date): Promise<boolean>;
  /** approved (and due) → sending, or a `sending` one whose queueing lease ran out (its instance stopped); true for exactly one caller. */
  startQueueing(id: string, now: Date, leaseMs?: number): Promise<boolean>;
  /** sending → queued, once every delivery is recorded. */
  finishQueueing(id: string, now: Date): Promise<void>;
  /** Announcements due to be queued, and ones left `sending` by an instance that stopped (lease run out). */
  dueAnnouncements(now: Date): Promise<Announcement[]>;

  /** Records a delivery unless one exists for that subscriber; returns the stored one. */
  recordDelivery(d: Omit<Delivery, 'createdAt'>, now: Date): Promise<Delivery>;
  /** The outbox's report on a delivery (by outbox id): sent or failed with its reason. */
  settleDelivery(outboxId: number, outcome: { status: 'sent'; channelMessageIds: string[] } | { status: 'failed'; reason: string }): Promise<boolean>;
  /** A channel's read receipt for a message it carried (Zalo `user_seen_message`). */
  markRead(channel: ChannelName, channelMessageId: string, at: Date): Promise<boolean>;
  deliveries(announcementId: string): Promise<Delivery[]>;
  stats(announcementId: string): Promise<DeliveryStats>;
}

/** A claim citizens sent to check, grouped with the similar messages (`reports`). */
export interface Claim {
  id: string;
  /** The first wording received (or the spokesperson's). */
  text: string;
  /** Content words in matching form (`claimWords`). */
  words: string[];
  /** open: nobody has judged it; proposed: a verdict waits for a second person; verified: reused for every similar message. */
  status: 'open' | 'proposed' | 'verified';
  verdict?: import('./claims.ts').Verdict;
  /** The official source that decides it. */
  sourceTitle?: string;
  sourceUrl?: string;
  /** One or two sentences for citizens. */
  note?: string;
  proposedBy?: string;
  verifiedBy?: string;
  reports: number;
  firstSeenAt: string;
  lastSeenAt: string;
  verifiedAt?: string;
}

export interface VerdictInput {
  verdict: import('./claims.ts').Verdict;
  sourceTitle: string;
  sourceUrl?: string;
  note: string;
}

/** Claims and their reports (Cofacts-like). */
export interface ClaimStore {
  claims(): Promise<Claim[]>;
  getClaim(id: string): Promise<Claim | undefined>;
  createClaim(text: string, words: string[], now: Date): Promise<Claim>;
  /** One more citizen sent it: counted, with when and where. */
  reportClaim(claimId: string, report: { channel: ChannelName; userId: string; text: string }, now: Date): Promise<void>;
  /** open/proposed → proposed with this verdict. */
  proposeVerdict(id: string, input: VerdictInput, actor: string, now: Date): Promise<boolean>;
  /** proposed → verified by someone other than the proposer (compare-and-set). */
  approveVerdict(id: string, actor: string, now: Date): Promise<boolean>;
}
export type { Verdict } from './claims.ts';
