import type { ChannelName, OutgoingKind } from '../bots/core/types.ts';
import type { AbstainReason, Citation } from '../retrieval/types.ts';

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
] as const;
export type TurnIntent = (typeof TURN_INTENTS)[number];

export type FeedbackValue = 'up' | 'down';

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
  /** Why the reply could not be delivered, when it could not. */
  deliveryError?: string;
  createdAt: string;
}

export type NewConversationTurn = Omit<ConversationTurn, 'id' | 'feedback' | 'feedbackAt' | 'deliveryError' | 'citations' | 'abstained' | 'escalated'> & {
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
}
