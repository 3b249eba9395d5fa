import { z } from 'zod';
import type { CoreCommand, IncomingKind, IncomingMessage } from '../../domain/channel.ts';
import { parseActionCallbackData, parseFeedbackCallbackData } from './callback-data.ts';

/**
 * Telegram update → `IncomingMessage`. Pure translation: no I/O.
 *
 * Only the fields Loa reads are validated; everything else in an update is ignored, so new
 * Bot API fields never break parsing.
 */

const userSchema = z.object({
  id: z.number().int(),
  is_bot: z.boolean().optional(),
  first_name: z.string().optional(),
});

const chatSchema = z.object({ id: z.number().int() });

/** Media fields are only tested for presence. */
const present = z.unknown();

const messageSchema = z.object({
  message_id: z.number().int(),
  date: z.number().int(),
  chat: chatSchema,
  from: userSchema.optional(),
  text: z.string().optional(),
  caption: z.string().optional(),
  photo: present.optional(),
  sticker: present.optional(),
  document: present.optional(),
  animation: present.optional(),
  voice: present.optional(),
  audio: present.optional(),
  video: present.optional(),
  video_note: present.optional(),
  location: present.optional(),
  venue: present.optional(),
});

const callbackQuerySchema = z.object({
  id: z.string(),
  from: userSchema,
  data: z.string().optional(),
  message: z.object({ chat: chatSchema }).optional(),
});

/** The part of a Telegram `Update` that Loa understands. */
export const telegramUpdateSchema = z.object({
  update_id: z.number().int().nonnegative(),
  message: messageSchema.optional(),
  callback_query: callbackQuerySchema.optional(),
});

export type TelegramUpdate = z.infer<typeof telegramUpdateSchema>;
type TelegramMessage = z.infer<typeof messageSchema>;

/** Telegram commands and the core command each one means. */
export const TELEGRAM_COMMANDS: Record<string, CoreCommand> = {
  start: 'start',
  help: 'help',
  canbo: 'human',
};

/** `/help`, `/help@LoaBot`, `/start payload` → the command name, lower-cased. */
function commandName(text: string): string | undefined {
  const match = /^\/([a-z0-9_]+)(?:@\w+)?(?:\s|$)/i.exec(text.trim());
  return match?.[1].toLowerCase();
}

/** Which kind of non-text content a message carries; checked in this order. */
const MEDIA_KINDS: ReadonlyArray<[keyof TelegramMessage, IncomingKind]> = [
  ['photo', 'image'],
  ['sticker', 'sticker'],
  ['animation', 'video'],
  ['video', 'video'],
  ['video_note', 'video'],
  ['voice', 'audio'],
  ['audio', 'audio'],
  ['document', 'file'],
  ['venue', 'location'],
  ['location', 'location'],
];

function messageKind(message: TelegramMessage): { kind: IncomingKind; command?: CoreCommand; text?: string } {
  if (message.text !== undefined) {
    const name = commandName(message.text);
    const command = name ? TELEGRAM_COMMANDS[name] : undefined;
    if (command) return { kind: 'command', command, text: message.text };
    return { kind: 'text', text: message.text };
  }
  const media = MEDIA_KINDS.find(([field]) => message[field] !== undefined);
  return { kind: media ? media[1] : 'other', text: message.caption };
}

/**
 * Translates one update. Returns undefined for updates Loa does not act on: edited
 * messages, channel posts, messages from bots, button presses that are neither feedback nor one of Loa's actions
 * (`a:<id>` → a `choice`).
 * `channelMessageId` is the `update_id`, which the core deduplicates on.
 */
export function toIncomingMessage(update: TelegramUpdate, now: Date = new Date()): IncomingMessage | undefined {
  const channelMessageId = String(update.update_id);
  const { message, callback_query: query } = update;

  if (message) {
    if (!message.from || message.from.is_bot) return undefined;
    const { kind, command, text } = messageKind(message);
    return {
      channel: 'telegram',
      channelMessageId,
      from: { channel: 'telegram', userId: String(message.from.id), address: { chatId: message.chat.id } },
      kind,
      ...(command ? { command } : {}),
      ...(text !== undefined ? { text } : {}),
      sentAt: new Date(message.date * 1000).toISOString(),
      ...(message.from.first_name ? { userName: message.from.first_name } : {}),
    };
  }

  if (query?.data) {
    const feedback = parseFeedbackCallbackData(query.data);
    const choice = feedback ? undefined : parseActionCallbackData(query.data);
    if (!feedback && !choice) return undefined;
    // In a private chat the chat id equals the user id; the message is absent only when too old.
    const chatId = query.message?.chat.id ?? query.from.id;
    return {
      channel: 'telegram',
      channelMessageId,
      from: { channel: 'telegram', userId: String(query.from.id), address: { chatId } },
      ...(feedback ? { kind: 'feedback' as const, feedback } : { kind: 'choice' as const, choice }),
      sentAt: now.toISOString(),
      ...(query.from.first_name ? { userName: query.from.first_name } : {}),
    };
  }

  return undefined;
}
