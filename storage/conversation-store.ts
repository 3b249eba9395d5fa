import type { ChannelName, OutgoingKind } from '../bots/core/types.ts';
import type { AbstainReason, Citation, ClarifyOption, Outcome } from '../retrieval/types.ts';

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
  /** "Đăng ký nhận tin …" / "hủy đăng ký" (proactive/respond-subscription.ts). */
  'subscription',
  /** A claim to check: a verdict given, or passed to the agency (proactive/respond-claim.ts). */
  'claim_check',
  /** A step of commenting on a draft under consultation ("góp ý dự thảo"; `consultations/chat.ts`). */
  'consultation',
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
