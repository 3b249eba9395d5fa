import { z } from 'zod';
import type { InboxItem, InboxStore, Lease } from '../ports.ts';
import { CHANNELS, type IncomingMessage } from '../../../domain/channel.ts';

/** Longer than any channel allows (Zalo 2000, Telegram 4096 characters). */
const MAX_TEXT_CHARS = 10_000;

const recipientSchema = z.object({
  channel: z.enum(CHANNELS),
  userId: z.string().min(1).max(256),
  address: z.record(z.string(), z.unknown()),
});

const incomingSchema = z
  .object({
    channel: z.enum(CHANNELS),
    channelMessageId: z.string().min(1).max(256),
    from: recipientSchema,
    kind: z.enum(['text', 'command', 'feedback', 'choice', 'follow', 'unfollow', 'image', 'sticker', 'file', 'audio', 'video', 'location', 'other']),
    text: z.string().max(MAX_TEXT_CHARS).optional(),
    command: z.enum(['start', 'help', 'human']).optional(),
    feedback: z.object({ answerId: z.string().min(1).max(256), value: z.enum(['up', 'down']) }).optional(),
    choice: z.object({ id: z.string().min(1).max(256) }).optional(),
    sentAt: z.string().min(1).max(64),
    userName: z.string().max(256).optional(),
    origin: z.string().max(64).optional(),
  })
  .refine((m) => m.from.channel === m.channel, { message: 'from.channel must equal channel', path: ['from', 'channel'] });

/** The shape of a `Recipient`, for callers outside the pipeline (proactive messages). */
export const recipientInput = recipientSchema;

/** Thrown when an adapter hands over a message that does not fit the contract (a bug in the adapter). */
export class InvalidIncomingMessageError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid incoming message: ${issues.join('; ')}`);
    this.name = 'InvalidIncomingMessageError';
  }
}

/**
 * Step 1: checks the event, stores it in the inbox and drops re-deliveries. Once this
 * resolves the event is durable and the webhook may acknowledge it.
 */
export async function recordIncoming(
  inbox: InboxStore,
  message: IncomingMessage,
  now: Date,
  /** Stores it already claimed by this instance (see `storage/lease.ts`). */
  lease?: Lease,
): Promise<{ duplicate: true } | { duplicate: false; item: InboxItem }> {
  const parsed = incomingSchema.safeParse(message);
  if (!parsed.success) {
    throw new InvalidIncomingMessageError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  return inbox.add(parsed.data, now, lease);
}
