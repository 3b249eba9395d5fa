import { normalizeForMatching } from '../bots/core/classify.ts';
import type { Topic } from './ports.ts';

/** What a citizen asked about subscriptions, before retrieval (like "gặp cán bộ"). */
export type SubscriptionIntent =
  | { type: 'subscribe'; topicText: string }
  | { type: 'unsubscribe'; topicText?: string }
  | { type: 'list' };

const UNSUBSCRIBE = /^(huy|ngung|dung|thoi) (dang ky|nhan tin|theo doi)( nhan tin| nhan thong bao)?( ve)?\s*(.*)$/;
const SUBSCRIBE = /^(dang ky|theo doi) (nhan tin|nhan thong bao|thong bao|tin)( ve)?\s*(.*)$/;

/** Reads "đăng ký nhận tin bảo hiểm xã hội", "hủy đăng ký", "/subscribe …", "tin đã đăng ký". */
export function subscriptionIntent(text: string): SubscriptionIntent | undefined {
  const trimmed = text.trim();
  const slash = /^\/(subscribe|unsubscribe|dangky|huydangky)(?:@\w+)?\s*(.*)$/i.exec(trimmed);
  if (slash) {
    const rest = slash[2]?.trim() ?? '';
    return /^(subscribe|dangky)$/i.test(slash[1] as string) ? { type: 'subscribe', topicText: rest } : { type: 'unsubscribe', topicText: rest || undefined };
  }
  const words = normalizeForMatching(trimmed);
  if (words === 'huy dang ky' || words === 'stop') return { type: 'unsubscribe' };
  if (words === 'tin da dang ky' || words === 'danh sach dang ky') return { type: 'list' };
  const un = UNSUBSCRIBE.exec(words);
  if (un) return { type: 'unsubscribe', topicText: un[5] || undefined };
  const sub = SUBSCRIBE.exec(words);
  if (sub) return { type: 'subscribe', topicText: sub[4] ?? '' };
  return undefined;
}

/** The topic a citizen named: its label or one of its keywords, in matching form; undefined when none fits. */
export function matchTopic(topicText: string, topics: readonly Topic[]): Topic | undefined {
  const words = normalizeForMatching(topicText);
  if (!words) return undefined;
  return topics.find((t) => normalizeForMatching(t.label) === words || t.keywords.some((k) => normalizeForMatching(k) === words))
    ?? topics.find((t) => [t.label, ...t.keywords].some((k) => { const n = normalizeForMatching(k); return n.length > 2 && (words.includes(n) || n.includes(words)); }));
}
