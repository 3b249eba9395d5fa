/**
 * Channel messages in channel-neutral form: what adapters produce from the wire
 * (`IncomingMessage`) and what the core hands them to send (`OutgoingMessage`).
 */
import type { Citation } from './citation.ts';

/** Channels Loa speaks on. */
export const CHANNELS = ['zalo', 'telegram', 'webchat', 'botframework'] as const;
export type ChannelName = (typeof CHANNELS)[number];

/** What kind of thing the citizen sent, after the adapter translated the wire format. */
export type IncomingKind =
  | 'text'
  | 'command'
  | 'feedback'
  /** A press of one of Loa's buttons (`OutgoingAction.id`): a clarify option, "Xem thêm", "Gặp cán bộ", a 👎 reason. */
  | 'choice'
  | 'follow'
  | 'unfollow'
  | 'image'
  | 'sticker'
  | 'file'
  | 'audio'
  | 'video'
  | 'location'
  | 'other';

/** Commands every channel can express (Telegram `/start`, Zalo follow, a web chat button …). */
export type CoreCommand = 'start' | 'help' | 'human';

/**
 * How to reach a citizen again on their channel. `address` holds whatever the channel
 * needs and must be plain JSON (it is persisted): Zalo user id, Telegram chat id, a Bot
 * Framework conversation reference, a web chat session id.
 */
export interface Recipient {
  channel: ChannelName;
  /** Channel-scoped user id; together with `channel` it identifies the citizen. */
  userId: string;
  address: Record<string, unknown>;
}

/** One event from a citizen, in channel-neutral form. Produced by `bots/<channel>/incoming-message.ts`. */
export interface IncomingMessage {
  channel: ChannelName;
  /** The channel's own id of this delivery (Zalo msg_id, Telegram update_id …): used to deduplicate. */
  channelMessageId: string;
  from: Recipient;
  kind: IncomingKind;
  text?: string;
  command?: CoreCommand;
  feedback?: { answerId: string; value: 'up' | 'down' };
  /** For `choice`: the id of the action pressed, exactly as the outgoing message carried it. */
  choice?: { id: string };
  /** ISO timestamp from the channel, or when received. */
  sentAt: string;
  /** The display name, when the channel gives one. */
  userName?: string;
  /**
   * An opaque key for the network origin (a hash of the client's address), set only by
   * adapters that see the citizen's own address (web chat; not Zalo or Telegram, whose
   * requests come from the platform). Caps escalations per origin.
   */
  origin?: string;
}

/** What kind of message Loa sends; adapters may render kinds differently (e.g. feedback buttons under answers). */
export type OutgoingKind = 'answer' | 'notice' | 'escalated' | 'spokesperson_reply';

/**
 * Something the citizen can do with a message, decided by the core; each adapter renders it
 * natively (Telegram inline keyboard, web chat button, Bot Framework suggested action, a
 * numbered line or keyword on Zalo) and sends a press back as a `choice` with its `id`.
 * - `choose`: one option of "Có phải bạn hỏi về: …";
 * - `human`: "Gặp cán bộ" / "Không phải — gặp cán bộ";
 * - `more`: "Xem thêm", the rest of an answer;
 * - `reason`: why 👎 (Sai / Chưa đủ / Khó hiểu).
 * Text-only channels number `choose` and `reason` actions (and `human` next to them) in order,
 * from 1; a citizen who types that number means that action (the core reads it).
 */
export interface OutgoingAction {
  kind: 'choose' | 'human' | 'more' | 'reason';
  /** ASCII, at most 48 bytes (fits Telegram's 64-byte callback data with a prefix). */
  id: string;
  /** Vietnamese, at most 60 characters. */
  label: string;
}

/** One message from Loa to a citizen, in channel-neutral form. Rendered by `bots/<channel>/send-message.ts`. */
export interface OutgoingMessage {
  kind: OutgoingKind;
  /** Plain Vietnamese text, without citation footnotes (the adapter renders those). */
  text: string;
  citations?: Citation[];
  /** Present on answers: feedback buttons/keywords refer to it. */
  answerId?: string;
  /** The channel message this replies to (Zalo replies by message id stay inside the free quota). */
  replyToChannelMessageId?: string;
  /** What the citizen can do next, in order (absent: nothing but the usual feedback on answers). */
  actions?: OutgoingAction[];
}
