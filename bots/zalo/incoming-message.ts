import { z } from 'zod';
import type { IncomingKind, IncomingMessage } from '../../domain/channel.ts';

/**
 * Zalo OA webhook events → `IncomingMessage`. One zod schema per event family; the wire
 * facts are in `/work/shared/CHANNELS.md` (ids and `timestamp` are strings, the timestamp in
 * epoch milliseconds). Pure translation: no I/O, no decisions about what to answer.
 */

/** Zalo sends ids as strings; tolerate numbers so a sender's serialiser cannot break us. */
const zaloId = z.union([z.string().min(1), z.number()]).transform(String);

/** The fields every event carries; the webhook needs them before trusting anything else. */
export const zaloEnvelopeSchema = z.object({
  app_id: zaloId,
  timestamp: zaloId,
  event_name: z.string().min(1),
});
export type ZaloEnvelope = z.infer<typeof zaloEnvelopeSchema>;

const userRef = z.object({ id: zaloId });

const attachmentSchema = z.object({
  type: z.string(),
  payload: z.unknown().optional(),
});

const messageBody = z.object({
  msg_id: zaloId,
  text: z.string().optional(),
  quote_msg_id: zaloId.optional(),
  attachments: z.array(attachmentSchema).optional(),
  /** Present on `anonymous_send_text` (web widget conversations). */
  conversation_id: zaloId.optional(),
});

/** Text from a follower, or from a non-follower through the web widget. */
export const zaloTextEventSchema = zaloEnvelopeSchema.extend({
  event_name: z.enum(['user_send_text', 'anonymous_send_text']),
  user_id_by_app: zaloId.optional(),
  sender: userRef,
  recipient: userRef,
  message: messageBody.extend({ text: z.string() }),
});

/** What each attachment event becomes. Zalo has kinds the core does not: gif → image, link and business card → other. */
const ATTACHMENT_EVENT_KINDS = {
  user_send_image: 'image',
  user_send_gif: 'image',
  user_send_sticker: 'sticker',
  user_send_file: 'file',
  user_send_audio: 'audio',
  user_send_video: 'video',
  user_send_location: 'location',
  user_send_link: 'other',
  user_send_business_card: 'other',
} as const satisfies Record<string, IncomingKind>;
type AttachmentEventName = keyof typeof ATTACHMENT_EVENT_KINDS;
const attachmentEventNames = Object.keys(ATTACHMENT_EVENT_KINDS) as [AttachmentEventName, ...AttachmentEventName[]];

/** Image, file, sticker, gif, audio, video, location, link, business card: content in `message.attachments[]`. */
export const zaloAttachmentEventSchema = zaloEnvelopeSchema.extend({
  event_name: z.enum(attachmentEventNames),
  user_id_by_app: zaloId.optional(),
  sender: userRef,
  recipient: userRef,
  message: messageBody,
});

/** Follow / unfollow: no sender, recipient or msg_id. */
export const zaloFollowEventSchema = zaloEnvelopeSchema.extend({
  event_name: z.enum(['follow', 'unfollow']),
  oa_id: zaloId.optional(),
  follower: userRef,
  source: z.string().optional(),
  user_id_by_app: zaloId.optional(),
});

/** Every event Loa turns into an `IncomingMessage`. */
export const zaloEventSchema = z.discriminatedUnion('event_name', [
  zaloTextEventSchema,
  zaloAttachmentEventSchema,
  zaloFollowEventSchema,
]);
export type ZaloEvent = z.infer<typeof zaloEventSchema>;

/** Delivery receipts: the sender is the OA, nothing for the core. */
const RECEIPT_EVENTS = new Set(['user_received_message', 'user_seen_message']);
const HANDLED_EVENTS = new Set<string>([
  'user_send_text',
  'anonymous_send_text',
  'follow',
  'unfollow',
  ...attachmentEventNames,
]);

/** True for the events Loa acts on (messages, follow, unfollow); receipts, echoes and unknown kinds are not. */
export function isHandledEvent(eventName: string): boolean {
  return HANDLED_EVENTS.has(eventName);
}

/** What the webhook should do with a verified event. */
export type ZaloEventOutcome =
  | { action: 'receive'; message: IncomingMessage }
  | { action: 'ignore'; reason: 'oa_echo' | 'receipt' | 'unknown_event' | 'follow_no_greeting'; eventName: string }
  | { action: 'invalid'; eventName: string; issues: string };

/**
 * Zalo timestamps are epoch milliseconds as strings. A value that only makes sense in
 * seconds (before 2001 as milliseconds) is read as seconds, so a sender that uses seconds is
 * not rejected as a replay. Returns undefined when it is not a number.
 */
export function zaloTimestampMs(timestamp: string): number | undefined {
  if (!/^\d{1,16}$/.test(timestamp)) return undefined;
  const n = Number(timestamp);
  return n < 1e12 ? n * 1000 : n;
}

function isoTime(timestamp: string): string {
  const ms = zaloTimestampMs(timestamp);
  return new Date(ms ?? Date.now()).toISOString();
}

/**
 * Translates one verified Zalo event. OA echoes (`oa_*`) and receipts are ignored; kinds
 * Loa does not know are ignored too (Zalo adds events over time); a known kind with an
 * unexpected shape is reported as invalid.
 */
export function toIncomingMessage(body: unknown, options: { greetFollowers?: boolean } = {}): ZaloEventOutcome {
  const envelope = zaloEnvelopeSchema.safeParse(body);
  const eventName = envelope.success ? envelope.data.event_name : 'unknown';
  if (eventName.startsWith('oa_')) return { action: 'ignore', reason: 'oa_echo', eventName };
  if (RECEIPT_EVENTS.has(eventName)) return { action: 'ignore', reason: 'receipt', eventName };
  if (!HANDLED_EVENTS.has(eventName)) return { action: 'ignore', reason: 'unknown_event', eventName };
  // A greeting after follow could only go out as a proactive message: wait for the citizen's first message.
  if (eventName === 'follow' && !options.greetFollowers) return { action: 'ignore', reason: 'follow_no_greeting', eventName };

  const parsed = zaloEventSchema.safeParse(body);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    return { action: 'invalid', eventName, issues };
  }
  return { action: 'receive', message: translate(parsed.data) };
}

/**
 * Follow events carry no msg_id: Loa derives one that a redelivery of the same event
 * reproduces (for deduplication). It is not a Zalo message id and must never be replied to.
 */
export function followEventId(eventName: 'follow' | 'unfollow', userId: string, timestamp: string): string {
  return `${eventName}:${userId}:${timestamp}`;
}

/** True for an id made by `followEventId` (real Zalo msg_ids never contain ':'). */
export function isFollowEventId(id: string): boolean {
  return /^(?:follow|unfollow):/.test(id);
}

function translate(event: ZaloEvent): IncomingMessage {
  const sentAt = isoTime(event.timestamp);
  if ('follower' in event) {
    const userId = event.follower.id;
    return {
      channel: 'zalo',
      channelMessageId: followEventId(event.event_name, userId, event.timestamp),
      from: { channel: 'zalo', userId, address: address(userId, event.user_id_by_app) },
      kind: event.event_name,
      sentAt,
    };
  }

  const userId = event.sender.id;
  const from = {
    channel: 'zalo' as const,
    userId,
    address: {
      ...address(userId, event.user_id_by_app),
      ...(event.event_name === 'anonymous_send_text'
        ? { anonymous: true, ...(event.message.conversation_id ? { conversationId: event.message.conversation_id } : {}) }
        : {}),
    },
  };
  const kind: IncomingKind =
    event.event_name === 'user_send_text' || event.event_name === 'anonymous_send_text'
      ? 'text'
      : ATTACHMENT_EVENT_KINDS[event.event_name];
  const text = event.message.text ?? linkUrl(event);
  return {
    channel: 'zalo',
    channelMessageId: event.message.msg_id,
    from,
    kind,
    ...(text !== undefined && text !== '' ? { text } : {}),
    sentAt,
  };
}

function address(userId: string, userIdByApp: string | undefined): Record<string, unknown> {
  return { userId, ...(userIdByApp ? { userIdByApp } : {}) };
}

const linkPayload = z.object({ url: z.string() });

/** A shared link without text still says something: keep its URL for the spokesperson. */
function linkUrl(event: ZaloEvent): string | undefined {
  if (event.event_name !== 'user_send_link' || !('message' in event)) return undefined;
  const payload = linkPayload.safeParse(event.message.attachments?.[0]?.payload);
  return payload.success ? payload.data.url : undefined;
}
