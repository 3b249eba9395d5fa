import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { IncomingMessage } from '../../domain/channel.ts';

/** Session ids are ours (`ws_` + base64url); the browser only echoes them back. */
export const sessionIdSchema = z.string().regex(/^ws_[A-Za-z0-9_-]{16,64}$/);

const clientMessageId = z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/, 'clientMessageId: 1..100 of A-Z a-z 0-9 _ . : -');

const base = { sessionId: sessionIdSchema, clientMessageId };

/**
 * The body of `POST /webchat/api/messages`: exactly one of a question (`text`), a rating of
 * an answer (`feedback`), a button (`command`) or a press of one of Loa's buttons under a
 * message (`choice`: a clarify option, "Xem thêm" …).
 */
export const webchatMessageBodySchema = z.union([
  z.strictObject({ ...base, text: z.string().trim().min(1).max(2000) }),
  z.strictObject({
    ...base,
    feedback: z.strictObject({ answerId: z.string().min(1).max(200), value: z.enum(['up', 'down']) }),
  }),
  z.strictObject({ ...base, command: z.enum(['start', 'help', 'human']) }),
  // A press of one of Loa's buttons; the label is only echoed into the citizen's own transcript.
  z.strictObject({
    ...base,
    choice: z.strictObject({ id: z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/), label: z.string().trim().min(1).max(100).optional() }),
  }),
]);
export type WebchatMessageBody = z.infer<typeof webchatMessageBodySchema>;

/** The citizen's address as the core's opaque origin key (hashed: the inbox keeps it). */
export const originKey = (ip: string): string => createHash('sha256').update(`loa-origin\n${ip}`).digest('base64url').slice(0, 22);

/** How a web chat citizen is reached again: by session id (the user id is the session id too). */
export function webchatRecipient(sessionId: string): IncomingMessage['from'] {
  return { channel: 'webchat', userId: sessionId, address: { sessionId } };
}

/**
 * Translates a validated body into the core's channel-neutral message. The client's id is
 * prefixed with the session id, so two browsers that pick the same id (e.g. a counter) are
 * never mistaken for duplicates of each other.
 */
export function toIncomingMessage(body: WebchatMessageBody, now: Date = new Date(), clientIp?: string): IncomingMessage {
  const common = {
    channel: 'webchat' as const,
    channelMessageId: `${body.sessionId}:${body.clientMessageId}`,
    from: webchatRecipient(body.sessionId),
    sentAt: now.toISOString(),
    ...(clientIp ? { origin: originKey(clientIp) } : {}),
  };
  if ('text' in body) return { ...common, kind: 'text', text: body.text };
  if ('feedback' in body) return { ...common, kind: 'feedback', feedback: body.feedback };
  if ('choice' in body) return { ...common, kind: 'choice', choice: { id: body.choice.id } };
  return { ...common, kind: 'command', command: body.command };
}
