import { ZALO_MAX_WINDOW_MS, ZALO_REPLY_WINDOW_MS } from '../bots/core/delivery-policy.ts';
import type { ChannelName } from '../bots/core/types.ts';
import type { Subscription } from './ports.ts';

/**
 * What one channel's rule makes of one subscriber for a proactive message (see
 * ../shared/CHANNELS.md, "Proactive messages"):
 * - Zalo: within 48 h of the citizen's last message, a free consultation reply to that
 *   message; 48 h–7 days, a paid consultation message by user id (only if the agency allows
 *   paid messages); after 7 days Zalo refuses (-230), so it is not sent and counted.
 * - Telegram: every subscriber started the bot; paced at `pacePerSecond` overall.
 * - Web chat: stored in the visitor's session, shown at the next visit.
 * - Bot Framework: a proactive message to the stored conversation.
 */
export type RouteDecision =
  | { send: true; route: 'zalo_free_reply' | 'zalo_paid_consultation' | 'telegram' | 'webchat_next_visit' | 'botframework'; replyToChannelMessageId?: string }
  | { send: false; reason: 'zalo_no_interaction_7d' | 'zalo_paid_not_allowed' | 'zalo_never_wrote' };

export interface ChannelRuleOptions {
  /** Whether Zalo messages in the paid 48 h–7 d window may be sent. */
  allowPaidZalo: boolean;
}

export function routeFor(sub: Subscription, now: Date, options: ChannelRuleOptions): RouteDecision {
  switch (sub.channel) {
    case 'zalo': {
      if (!sub.lastMessageAt) return { send: false, reason: 'zalo_never_wrote' };
      const age = now.getTime() - Date.parse(sub.lastMessageAt);
      if (age <= ZALO_REPLY_WINDOW_MS && sub.lastMessageId) return { send: true, route: 'zalo_free_reply', replyToChannelMessageId: sub.lastMessageId };
      if (age <= ZALO_MAX_WINDOW_MS) return options.allowPaidZalo ? { send: true, route: 'zalo_paid_consultation' } : { send: false, reason: 'zalo_paid_not_allowed' };
      return { send: false, reason: 'zalo_no_interaction_7d' };
    }
    case 'telegram':
      return { send: true, route: 'telegram' };
    case 'webchat':
      return { send: true, route: 'webchat_next_visit' };
    case 'botframework':
      return { send: true, route: 'botframework' };
  }
}

/** Messages per second each channel is sent at, overall (Telegram: about 30/s; one message per chat per announcement keeps 1/s per chat). */
export const DEFAULT_PACE_PER_SECOND: Record<ChannelName, number> = { telegram: 30, zalo: 20, webchat: 200, botframework: 10 };

/** Explanations shown in the console before sending, per reason and route (Vietnamese first, English in console-i18n.js). */
export const RULE_TEXT: Record<string, string> = {
  zalo_free_reply: 'Zalo: trả lời miễn phí trong 48 giờ kể từ tin nhắn cuối của người dân',
  zalo_paid_consultation: 'Zalo: tin tư vấn có tính phí (48 giờ – 7 ngày sau tin nhắn cuối)',
  zalo_no_interaction_7d: 'Zalo: không gửi được — người dân không tương tác 7 ngày (lỗi -230)',
  zalo_paid_not_allowed: 'Zalo: không gửi — ngoài 48 giờ và cơ quan chưa cho phép tin tính phí',
  zalo_never_wrote: 'Zalo: không gửi — chưa có tin nhắn nào của người dân để trả lời',
  telegram: 'Telegram: gửi lần lượt, khoảng 30 tin/giây, 1 tin/giây mỗi người',
  webchat_next_visit: 'Web chat: hiển thị khi người dân mở lại trang',
  botframework: 'Bot Framework: gửi vào cuộc trò chuyện đã lưu',
};
