import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { renderMessage } from '../core/format.ts';
import { ChannelSendError, type ChannelSender } from '../core/types.ts';
import type { OutgoingMessage, Recipient } from '../../domain/channel.ts';
import { isFollowEventId } from './incoming-message.ts';
import type { ZaloOaClient, ZaloRecipient } from './oa-client.ts';

/** Zalo's limit for one text message. */
export const ZALO_MAX_CHARS = 2000;

/** How many partly delivered messages to remember (see `ZaloSender`). */
const MAX_PARTIAL = 500;

/**
 * The Zalo ChannelSender: renders an OutgoingMessage as plain text with numbered citation
 * footnotes, its actions as numbered lines and keywords ("Nhắn số (1, 2, 3) để chọn", "Gõ
 * “xem thêm” để đọc tiếp"; the core reads the typed reply) and the feedback keyword hint, split on sentence boundaries into ≤ 2000-character
 * parts, and sends the parts in order.
 *
 * Every part is sent as a reply (`recipient: {message_id}`) when the message answers a
 * citizen's message: replies within 48 h of the citizen's last message are free (unlimited
 * since 2026-01-01) instead of proactive. Without a message to reply to the parts go to
 * `recipient: {user_id}`; a non-follower's OA chat widget conversation is answered with
 * `recipient: {anonymous_id, conversation_id}`.
 *
 * If a later part fails, the parts already delivered are remembered (in memory) so that the
 * outbox's retry of the same message sends only the rest.
 */
export class ZaloSender implements ChannelSender {
  readonly channel = 'zalo' as const;
  private readonly partial = new Map<string, string[]>();

  constructor(
    private readonly client: Pick<ZaloOaClient, 'sendText'>,
    private readonly logger: Logger,
  ) {}

  async send(to: Recipient, message: OutgoingMessage): Promise<{ channelMessageIds: string[] }> {
    const parts = renderMessage(message, { maxChars: ZALO_MAX_CHARS, markup: 'plain', feedbackByKeyword: true, actionsAsText: true });
    const recipient = zaloRecipient(to, message);
    const key = partialKey(to, message);
    const ids = [...(this.partial.get(key) ?? [])];
    for (const text of parts.slice(ids.length)) {
      try {
        ids.push((await this.client.sendText(recipient, text)).messageId);
      } catch (err) {
        if (ids.length) this.remember(key, ids);
        this.logger.warn({ userId: to.userId, sent: ids.length, of: parts.length, code: codeOf(err) }, 'zalo: send failed');
        throw err instanceof ChannelSendError ? err : new ChannelSendError(`Zalo: ${errorText(err)}`, true, 'internal');
      }
    }
    this.partial.delete(key);
    return { channelMessageIds: ids };
  }

  private remember(key: string, ids: string[]): void {
    this.partial.delete(key);
    this.partial.set(key, ids);
    if (this.partial.size > MAX_PARTIAL) this.partial.delete(this.partial.keys().next().value as string);
  }
}

/**
 * Where the parts go: the OA chat widget conversation for a non-follower; a reply to the
 * citizen's message when there is one; otherwise the user (proactive). A follow event's id is
 * Loa's own, not a Zalo message: Zalo would refuse it (-201), so the greeting goes to the user.
 */
function zaloRecipient(to: Recipient, message: OutgoingMessage): ZaloRecipient {
  const userId = typeof to.address.userId === 'string' && to.address.userId ? to.address.userId : to.userId;
  if (to.address.anonymous === true) {
    const conversationId = to.address.conversationId;
    if (typeof conversationId !== 'string' || !conversationId) {
      throw new ChannelSendError('Zalo: anonymous conversation without conversation_id cannot be answered', false, 'no_conversation_id');
    }
    return { anonymous_id: userId, conversation_id: conversationId };
  }
  const replyTo = message.replyToChannelMessageId;
  if (replyTo && !isFollowEventId(replyTo)) return { message_id: replyTo };
  return { user_id: userId };
}

function partialKey(to: Recipient, message: OutgoingMessage): string {
  return createHash('sha256')
    .update(JSON.stringify([to.userId, message.kind, message.answerId ?? '', message.replyToChannelMessageId ?? '', message.text, message.citations?.map((c) => c.id) ?? []]))
    .digest('hex');
}

function codeOf(err: unknown): string | number | undefined {
  return err instanceof ChannelSendError ? err.code : undefined;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
