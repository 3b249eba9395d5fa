import { TelegramError, type Telegram } from 'telegraf';
import type { InlineKeyboardMarkup } from 'telegraf/types';
import { z } from 'zod';
import { renderMessage } from '../core/format.ts';
import { ChannelSendError, type ChannelSender } from '../core/types.ts';
import type { OutgoingMessage, Recipient } from '../../domain/channel.ts';
import { actionCallbackData, feedbackCallbackData } from './callback-data.ts';

/** Telegram's limit for one text message. */
export const TELEGRAM_MAX_CHARS = 4096;

/** Labels of the buttons under an answer. */
export const FEEDBACK_BUTTONS = { up: '👍 Hữu ích', down: '👎 Chưa hữu ích' } as const;

const addressSchema = z.object({ chatId: z.union([z.number().int(), z.string().min(1)]) });

/**
 * The inline keyboard of a message: its actions, one per row (clarify options are long), then
 * 👍/👎 under an answer. Undefined when the message has neither.
 */
export function replyKeyboard(message: OutgoingMessage): InlineKeyboardMarkup | undefined {
  const rows: InlineKeyboardMarkup['inline_keyboard'] = [];
  for (const action of message.actions ?? []) {
    const data = actionCallbackData(action.id);
    if (data) rows.push([{ text: action.label, callback_data: data }]);
  }
  if (message.kind === 'answer' && message.answerId) {
    rows.push([
      { text: FEEDBACK_BUTTONS.up, callback_data: feedbackCallbackData(message.answerId, 'up') },
      { text: FEEDBACK_BUTTONS.down, callback_data: feedbackCallbackData(message.answerId, 'down') },
    ]);
  }
  return rows.length ? { inline_keyboard: rows } : undefined;
}

const ENTITIES: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&quot;': '"', '&amp;': '&' };

/**
 * One HTML part as plain text, for when Telegram rejects its markup: links become
 * "text – url" (as in the plain footnotes), other tags go, entities are decoded.
 */
export function htmlToPlain(html: string): string {
  return html
    .replace(/<a href="([^"]*)">([\s\S]*?)<\/a>/g, (_m, url: string, text: string) => `${text} – ${url}`)
    .replace(/<\/?[a-z][^>]*>/gi, '')
    .replace(/&(?:lt|gt|quot|amp);/g, (entity) => ENTITIES[entity] ?? entity);
}

function isParseError(err: unknown): boolean {
  return err instanceof TelegramError && err.code === 400 && /can't parse entities/i.test(err.description);
}

/**
 * Maps a failed Bot API call to the outbox's terms: 429 (with `retry_after`), 5xx and
 * network failures are worth retrying; 400 (chat not found …), 401, 403 (the citizen
 * blocked the bot) are not. `code` is Telegram's `error_code`, or 'network'.
 */
export function toChannelSendError(err: unknown): ChannelSendError {
  if (err instanceof TelegramError) {
    const retryAfterS = err.parameters?.retry_after;
    if (err.code === 429) {
      return new ChannelSendError(`telegram: ${err.description}`, true, 429, retryAfterS !== undefined ? retryAfterS * 1000 : undefined);
    }
    return new ChannelSendError(`telegram: ${err.code} ${err.description}`, err.code >= 500, err.code);
  }
  const message = err instanceof Error ? err.message : String(err);
  return new ChannelSendError(`telegram: ${message}`, true, 'network');
}

/**
 * The Telegram `ChannelSender`. Renders with Telegram's HTML subset (escaped text,
 * citations as links), split at sentence boundaries into messages of at most 4096
 * characters; the keyboard (actions, and 👍/👎 on answers) goes under the last part only.
 *
 * Messages are not sent as replies (`reply_parameters`): Telegram needs the message_id,
 * while `replyToChannelMessageId` holds the update_id (what the core deduplicates on), and
 * in a one-to-one chat the answer follows the question anyway.
 *
 * A failure after the first part throws as well; the outbox then resends the whole
 * message, so the citizen may see the earlier parts twice.
 */
export function createTelegramSender(telegram: Telegram): ChannelSender {
  const sendPart = async (chatId: number | string, text: string, keyboard: InlineKeyboardMarkup | undefined): Promise<number[]> => {
    try {
      const sent = await telegram.sendMessage(chatId, text, {
        parse_mode: 'HTML',
        link_preview_options: { is_disabled: true },
        ...(keyboard ? { reply_markup: keyboard } : {}),
      });
      return [sent.message_id];
    } catch (err) {
      if (!isParseError(err)) throw toChannelSendError(err);
    }
    // Telegram rejected the markup: send the same content as plain text instead.
    const plainParts = renderMessage({ kind: 'notice', text: htmlToPlain(text) }, { maxChars: TELEGRAM_MAX_CHARS, markup: 'plain' });
    const ids: number[] = [];
    for (const [i, plain] of plainParts.entries()) {
      const last = i === plainParts.length - 1;
      try {
        const sent = await telegram.sendMessage(chatId, plain, {
          link_preview_options: { is_disabled: true },
          ...(keyboard && last ? { reply_markup: keyboard } : {}),
        });
        ids.push(sent.message_id);
      } catch (err) {
        throw toChannelSendError(err);
      }
    }
    return ids;
  };

  return {
    channel: 'telegram',
    async send(to: Recipient, message: OutgoingMessage) {
      const address = addressSchema.safeParse(to.address);
      if (to.channel !== 'telegram' || !address.success) {
        throw new ChannelSendError('telegram: recipient has no chatId', false, 'bad_address');
      }
      const parts = renderMessage(message, { maxChars: TELEGRAM_MAX_CHARS, markup: 'html' });
      if (parts.length === 0) throw new ChannelSendError('telegram: empty message', false, 'empty');
      const keyboard = replyKeyboard(message);
      const ids: string[] = [];
      for (const [i, part] of parts.entries()) {
        const last = i === parts.length - 1;
        const sent = await sendPart(address.data.chatId, part, last ? keyboard : undefined);
        ids.push(...sent.map(String));
      }
      return { channelMessageIds: ids };
    },
  };
}
