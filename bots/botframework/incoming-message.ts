import { TurnContext, type Activity } from 'botbuilder';
import { z } from 'zod';
import type { IncomingKind, IncomingMessage, Recipient } from '../../domain/channel.ts';

/**
 * Bot Framework activity → `IncomingMessage`. Pure translation: no I/O.
 *
 * - `message` → 'text' (or the kind of its attachment when it has no text); a message whose
 *   `value` is `{fb, v}` (a 👍/👎 card button, `messageBack`) → 'feedback'; `{a}` (a suggested
 *   action: clarify option, "Xem thêm" …) → 'choice'.
 * - `conversationUpdate` with members added other than the bot → one 'follow' per member.
 * - Anything else (typing, invoke, event …) → nothing.
 *
 * The recipient's `address` is the conversation reference of the activity as plain JSON:
 * everything `continueConversationAsync` needs to write to the citizen later.
 */

const accountSchema = z.object({ id: z.string().min(1), name: z.string().optional() });

const activitySchema = z.object({
  type: z.string(),
  id: z.string().optional(),
  timestamp: z.union([z.string(), z.date()]).optional(),
  from: accountSchema,
  recipient: accountSchema.optional(),
  conversation: z.object({ id: z.string().min(1) }),
  serviceUrl: z.string().min(1),
  text: z.string().optional(),
  value: z.unknown().optional(),
  attachments: z.array(z.object({ contentType: z.string() })).optional(),
  membersAdded: z.array(accountSchema).optional(),
});

/** The `value` of an action button (suggested action): `{a: actionId}`. */
export const actionValueSchema = z.object({ a: z.string().min(1).max(256) });

/** The `value` of a feedback button: `{fb: answerId, v: 'up' | 'down'}`. */
export const feedbackValueSchema = z.object({ fb: z.string().min(1), v: z.enum(['up', 'down']) });

/** The kind of a message without text, from its first attachment's content type. */
function attachmentKind(contentType: string | undefined): IncomingKind {
  if (!contentType) return 'other';
  if (contentType.startsWith('image/')) return 'image';
  if (contentType.startsWith('audio/')) return 'audio';
  if (contentType.startsWith('video/')) return 'video';
  if (contentType.startsWith('application/vnd.microsoft.')) return 'other'; // cards, not files
  return 'file';
}

function isoTime(timestamp: string | Date | undefined, now: Date): string {
  const date = timestamp === undefined ? now : new Date(timestamp);
  return Number.isNaN(date.getTime()) ? now.toISOString() : date.toISOString();
}

/** `TurnContext.getConversationReference` as plain JSON, so it can be persisted. */
export function conversationAddress(activity: Partial<Activity>): Record<string, unknown> {
  const json: unknown = JSON.parse(JSON.stringify(TurnContext.getConversationReference(activity)));
  return z.record(z.string(), z.unknown()).parse(json);
}

/** Translates one activity; returns [] for activities Loa does not act on. */
export function toIncomingMessages(activity: Activity, now: Date = new Date()): IncomingMessage[] {
  const parsed = activitySchema.safeParse(activity);
  if (!parsed.success) return [];
  const a = parsed.data;
  const address = conversationAddress(activity);
  const sentAt = isoTime(a.timestamp, now);
  const recipient = (user: { id: string }): Recipient => ({ channel: 'botframework', userId: user.id, address });
  const name = (user: { name?: string }) => (user.name ? { userName: user.name } : {});

  if (a.type === 'message') {
    // Without an id the delivery cannot be deduplicated; the channel always sends one.
    if (!a.id) return [];
    const base = { channel: 'botframework' as const, channelMessageId: a.id, from: recipient(a.from), sentAt, ...name(a.from) };
    const feedback = feedbackValueSchema.safeParse(a.value);
    if (feedback.success) {
      return [{ ...base, kind: 'feedback', feedback: { answerId: feedback.data.fb, value: feedback.data.v } }];
    }
    const action = actionValueSchema.safeParse(a.value);
    if (action.success) return [{ ...base, kind: 'choice', choice: { id: action.data.a } }];
    // Strips "<at>Loa</at>" when the bot is @mentioned in a Teams group chat (on a copy: the SDK edits in place).
    const text = ((a.recipient ? TurnContext.removeRecipientMention({ ...activity }) : a.text) ?? '').trim();
    if (text) return [{ ...base, kind: 'text', text }];
    return [{ ...base, kind: attachmentKind(a.attachments?.[0]?.contentType) }];
  }

  if (a.type === 'conversationUpdate') {
    const botId = a.recipient?.id;
    return (a.membersAdded ?? [])
      .filter((member) => member.id !== botId)
      .map((member) => ({
        channel: 'botframework' as const,
        // One follow per member and conversation, even when the channel sends no activity id.
        channelMessageId: `${a.id ?? 'conversationUpdate'}:${a.conversation.id}:${member.id}`,
        from: recipient(member),
        kind: 'follow' as const,
        sentAt,
        ...name(member),
      }));
  }

  return [];
}
