/**
 * What the conversation core and the channel adapters need from outside, declared here and
 * implemented elsewhere: storage/ implements the stores (inbox, outbox, conversation turns,
 * labelled examples, secrets; escalations are still declared in storage/escalation-store.ts);
 * app/ hands every channel the settings of `ChannelConfig` (its `Config` has these fields,
 * parsed from the environment).
 */
import type { AbstainReason, ClarifyOption, Outcome } from '../../domain/answer.ts';
import type { ChannelName, IncomingMessage, OutgoingKind, OutgoingMessage, Recipient } from '../../domain/channel.ts';
import type { Citation } from '../../domain/citation.ts';
import type { EscalationStore } from '../../storage/escalation-store.ts';
import type { PrivacyStore } from '../../storage/privacy-store.ts';

/**
 * The stores the conversation core works with (storage/storage.ts `Storage` has them). The
 * escalation store is still declared in storage/escalation-store.ts.
 */
export interface BotStorage {
  /** Incoming channel events, deduplicated, kept until handled. */
  inbox: InboxStore;
  /** Outgoing messages, kept until the channel accepted them. */
  outbox: OutboxStore;
  /** Every conversation turn, with feedback. */
  conversations: ConversationStore;
  /** Questions handed to spokespeople. */
  escalations: EscalationStore;
  /** Citizens' questions labelled with the unit they chose. */
  examples: LabelledExampleStore;
  /** Retention and erasure of citizens' data (absent in tests that do not prune). */
  privacy?: PrivacyStore;
}

/** Durable small values that must survive restarts and change atomically (tokens). */
export interface SecretStore {
  get(key: string): Promise<string | undefined>;
  /** Writes all pairs in one transaction. */
  setMany(values: Record<string, string>): Promise<void>;
}

/**
 * The settings channel adapters read, by their environment names (README's configuration
 * table explains each). A narrow view of app/config.ts `Config`: channels see nothing else.
 */
export interface ChannelConfig {
  /** Public base URL of this server (webhook and widget links). */
  LOA_PUBLIC_URL?: string;
  // Zalo Official Account
  ZALO_APP_ID?: string;
  ZALO_APP_SECRET?: string;
  ZALO_OA_SECRET_KEY?: string;
  ZALO_ACCESS_TOKEN?: string;
  ZALO_REFRESH_TOKEN?: string;
  ZALO_API_BASE: string;
  ZALO_OAUTH_BASE: string;
  ZALO_MAX_EVENT_AGE_S: number;
  ZALO_MAX_CLOCK_SKEW_S: number;
  ZALO_GREET_FOLLOWERS: boolean;
  ZALO_SITE_VERIFICATION?: string;
  ZALO_APPSECRET_PROOF: boolean;
  // Telegram
  TELEGRAM_BOT_TOKEN?: string;
  TELEGRAM_WEBHOOK_SECRET?: string;
  TELEGRAM_MODE: 'webhook' | 'polling';
  TELEGRAM_API_ROOT: string;
  // Bot Framework
  MicrosoftAppId?: string;
  MicrosoftAppPassword?: string;
  MicrosoftAppTenantId?: string;
  MicrosoftAppType?: string;
  LOA_BOTFRAMEWORK_DEV_UNAUTHENTICATED: boolean;
  // Web chat
  LOA_WEBCHAT_ORIGINS: string;
  LOA_WEBCHAT_SESSIONS_PER_HOUR: number;
}

// ── A lock across instances (implemented by storage/shared-lock.ts, postgres/advisory-lock.ts, redis/redis-lock.ts) ──

/**
 * A lock held across instances while `fn` runs, for check-then-act work that must not run
 * twice at once anywhere (Zalo's single-use refresh token). PostgreSQL advisory locks
 * (`storage/postgres/advisory-lock.ts`), Redis (`storage/redis/redis-lock.ts`), or this process only (`storage/shared-lock.ts`).
 */
export interface SharedLock {
  readonly scope: 'process' | 'postgres' | 'redis';
  withLock<T>(name: string, fn: () => Promise<T>): Promise<T>;
}

// ── Leases on durable work (the inbox's and the outbox's claims) ──

/**
 * A claim on a piece of durable work (an inbox event, an outbox message): who holds it and
 * until when. A holder renews its leases while the work waits in its memory; when a holder
 * dies, its leases run out and any instance's sweeper takes the work over.
 */
export interface Lease {
  /** The instance holding the work (`ConversationCore`'s instance id). */
  owner: string;
  until: Date;
}

// ── The inbox: incoming channel events, deduplicated, kept until handled
// (implemented by storage/sqlite/ and storage/postgres/inbox-store.ts) ──

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

// ── The outbox: outgoing messages, kept until the channel accepted them
// (implemented by storage/sqlite/ and storage/postgres/outbox-store.ts) ──

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

// ── Conversation turns: history, feedback, menus, reports
// (implemented by storage/sqlite/ and storage/postgres/conversation-store.ts) ──

/**
 * What one turn was about. Every handled inbox event makes exactly one turn, so reports
 * can count, e.g., questions per day and channel with `intent = 'question'`.
 */
export const TURN_INTENTS = [
  'question',
  'welcome',
  'help',
  'human',
  'feedback',
  'non_text',
  'unfollow',
  'rate_limited',
  'spokesperson_reply',
  'proactive',
  /** A button press or a typed "1" / "xem thêm" on an earlier reply's menu (see `TurnMenu`). */
  'choice',
  /** A step of commenting on a draft under consultation ("góp ý dự thảo"; `consultations/chat.ts`). */
  'consultation',
  /** "Đăng ký nhận tin …" / "hủy đăng ký" (proactive/respond-subscription.ts). */
  'subscription',
  /** A claim to check: a verdict given, or passed to the agency (proactive/respond-claim.ts). */
  'claim_check',
] as const;
export type TurnIntent = (typeof TURN_INTENTS)[number];

export type FeedbackValue = 'up' | 'down';

/** Why a citizen gave 👎: the answer is wrong, incomplete or hard to understand. */
export const FEEDBACK_REASONS = ['wrong', 'incomplete', 'unclear'] as const;
export type FeedbackReason = (typeof FEEDBACK_REASONS)[number];

/**
 * What the citizen can do next with a reply, kept with its turn so that a button press (or a
 * typed "2") works after a restart. The conversation core turns it into the reply's actions.
 * - `clarify`: "Có phải bạn hỏi về: …" — choose one of `options`, or "Không phải — gặp cán bộ"
 *   (`candidates`, what retrieval found, go to the officer);
 * - `more`: the rest of an answer ("Xem thêm");
 * - `human`: a polite decline that offers "Gặp cán bộ" for `question`;
 * - `reason`: after 👎, why (sai / chưa đủ / khó hiểu) for the answer `answerId`.
 */
export type TurnMenu =
  | { type: 'clarify'; question: string; options: ClarifyOption[]; candidates: Citation[] }
  | { type: 'more'; text: string }
  | { type: 'human'; question: string }
  | { type: 'reason'; answerId: string }
  | { type: 'consult'; options: ConsultOption[] };

/**
 * One button of a consultation step (at most 9 per menu): open a consultation, read an
 * article, comment on it, pick a stance, page the outline, change or withdraw a comment.
 */
export interface ConsultOption {
  label: string;
  action:
    | { do: 'open'; consultationId: string }
    | { do: 'outline'; consultationId: string; page: number }
    | { do: 'read'; consultationId: string; unitKey: string }
    | { do: 'comment'; consultationId: string; unitKey: string }
    | { do: 'stance'; consultationId: string; unitKey: string; stance: 'agree' | 'disagree' | 'other'; commentId?: string }
    | { do: 'edit'; commentId: string }
    | { do: 'withdraw'; commentId: string }
    | { do: 'mine'; consultationId: string };
}

/** One exchange: what the citizen sent (if anything) and what Loa replied (if anything). */
export interface ConversationTurn {
  id: string;
  /** The inbox event this turn handles; absent for messages Loa starts (spokesperson replies). */
  inboxId?: number;
  channel: ChannelName;
  userId: string;
  intent: TurnIntent;
  userText?: string;
  /** The reply, when there is one. */
  replyKind?: OutgoingKind;
  replyText?: string;
  citations: Citation[];
  /** Set on answers (and spokesperson replies): feedback refers to it. */
  answerId?: string;
  confidence?: number;
  abstained: boolean;
  abstainReason?: AbstainReason;
  escalated: boolean;
  escalationId?: string;
  feedback?: FeedbackValue;
  feedbackAt?: string;
  feedbackReason?: FeedbackReason;
  /** Why the reply could not be delivered, when it could not. */
  deliveryError?: string;
  /** What retrieval decided for a question (`answer` | `clarify` | `handoff` | `decline`). */
  outcome?: Outcome;
  /** What the citizen can do next with this reply (buttons, numbered choices). */
  menu?: TurnMenu;
  /** The inbox event that used the menu, once one did (a menu is used once). */
  menuUsedBy?: number;
  createdAt: string;
}

export type NewConversationTurn = Omit<
  ConversationTurn,
  'id' | 'feedback' | 'feedbackAt' | 'feedbackReason' | 'deliveryError' | 'citations' | 'abstained' | 'escalated' | 'menuUsedBy'
> & {
  citations?: Citation[];
  abstained?: boolean;
  escalated?: boolean;
};

/**
 * The conversation history of every citizen on every channel: used for follow-up questions,
 * escalation context, feedback and reports. Report fields are plain columns.
 */
export interface ConversationStore {
  /**
   * Records a turn. A turn for the same `inboxId` is recorded once: a second call returns
   * the first turn (re-handling an event after a crash does not duplicate it).
   */
  recordTurn(turn: NewConversationTurn): Promise<ConversationTurn>;
  /** The turn that handled an inbox event, if it was recorded. */
  turnForInbox(inboxId: number): Promise<ConversationTurn | undefined>;
  /** The citizen's last `n` turns, oldest first. */
  recentTurns(channel: ChannelName, userId: string, n: number): Promise<ConversationTurn[]>;
  /** The citizen's newest turn that carries an answer id (what keyword feedback applies to). */
  latestAnswer(channel: ChannelName, userId: string): Promise<ConversationTurn | undefined>;
  findByAnswerId(answerId: string): Promise<ConversationTurn | undefined>;
  /** Records 👍/👎 on an answer (the last value wins); false when the answer id is unknown. */
  recordFeedback(answerId: string, value: FeedbackValue, at: Date): Promise<boolean>;
  recordDeliveryError(turnId: string, error: string): Promise<void>;
  getTurn(id: string): Promise<ConversationTurn | undefined>;
  /** Records why a 👎 was given (the feedback becomes 👎 if it was not); false when the answer id is unknown. */
  recordFeedbackReason(answerId: string, reason: FeedbackReason, at: Date): Promise<boolean>;
  /**
   * Marks the turn's menu used by inbox event `inboxId`, atomically: true for the first event
   * (and for the same event handled again after a crash), false for any other. Two presses of
   * the same button, on two instances at once, so answer once.
   */
  claimMenu(turnId: string, inboxId: number): Promise<boolean>;
}

// ── Labelled examples: clarify choices
// (implemented by storage/sqlite/ and storage/postgres/example-store.ts) ──

/**
 * A citizen's question labelled with the unit that answers it: made when a citizen picks an
 * option of a clarifying question ("Có phải bạn hỏi về: …"). Labels for recalibrating
 * confidence and training ranking on the agency's own wording.
 */
export interface LabelledExample {
  id: number;
  question: string;
  /** Citation id of the unit the citizen chose. */
  unitId: string;
  channel: ChannelName;
  /** Where the label came from; `clarify:<turnId>` for a clarify choice. One example per source. */
  sourceKey: string;
  createdAt: string;
}

export type NewLabelledExample = Omit<LabelledExample, 'id' | 'createdAt'>;

export interface LabelledExampleStore {
  /** Stores the example once per `sourceKey`: a second call returns the first with `created: false`. */
  record(example: NewLabelledExample, at: Date): Promise<{ example: LabelledExample; created: boolean }>;
  /** Examples with id > `after`, oldest first, at most `limit`. */
  list(options?: { after?: number; limit?: number }): Promise<LabelledExample[]>;
}
