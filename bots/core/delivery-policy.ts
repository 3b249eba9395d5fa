import type { OutboxItem } from './ports.ts';
import type { ChannelName } from '../../domain/channel.ts';

/**
 * What to do with a send whose outcome is unknown (the request went out, no answer came):
 * `resend` after a pause (a rare duplicate, counted, rather than a lost answer), or `hold` it
 * as a dead letter for a person to look at. See docs/ARCHITECTURE.md, "Durability rules".
 */
export type UnknownOutcomeAction = 'resend' | 'hold';

export interface DeliveryPolicyConfig {
  /** How long Telegram, web chat and Bot Framework messages are retried (`LOA_DELIVERY_MAX_AGE_HOURS`). */
  maxAgeMs: number;
  /** `LOA_UNKNOWN_OUTCOME`. */
  onUnknown: UnknownOutcomeAction;
  /** Pause before resending an unknown outcome, so a late answer can settle it first. */
  unknownResendAfterMs: number;
}

const HOUR = 3_600_000;

/** Zalo's free reply window after the citizen's message, and the longest it lets an OA write at all. */
export const ZALO_REPLY_WINDOW_MS = 48 * HOUR;
export const ZALO_MAX_WINDOW_MS = 7 * 24 * HOUR;

export const DEFAULT_DELIVERY_POLICY: DeliveryPolicyConfig = { maxAgeMs: 24 * HOUR, onUnknown: 'resend', unknownResendAfterMs: 30_000 };

/**
 * How long a message may still be sent, counted from when it was queued (or resent by
 * staff). Zalo: a reply to a citizen's message uses the free 48-hour window; other messages
 * are accepted up to 7 days after the citizen's last interaction. Other channels: the
 * configured maximum age.
 */
export function deliveryWindowMs(channel: ChannelName, item: Pick<OutboxItem, 'message'>, config: DeliveryPolicyConfig): number {
  if (channel === 'zalo') return item.message.replyToChannelMessageId ? ZALO_REPLY_WINDOW_MS : ZALO_MAX_WINDOW_MS;
  return config.maxAgeMs;
}

/** When the item's window closes (epoch ms). */
export function deliveryDeadline(item: Pick<OutboxItem, 'channel' | 'message' | 'createdAt' | 'resentAt'>, config: DeliveryPolicyConfig): number {
  return Date.parse(item.resentAt ?? item.createdAt) + deliveryWindowMs(item.channel, item, config);
}
