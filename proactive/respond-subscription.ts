import type { PipelineContext, TurnDraft } from '../bots/core/context.ts';
import type { InboxItem } from '../storage/inbox-store.ts';
import type { ProactiveStore } from './ports.ts';
import { matchTopic, type SubscriptionIntent } from './subscription-intent.ts';

function topicList(labels: string[]): string {
  return labels.map((l) => `• ${l}`).join('\n');
}

/**
 * Step 4 for "đăng ký nhận tin …" / "hủy đăng ký": subscribes or unsubscribes the citizen on
 * the channel they wrote from, and says so in plain Vietnamese. An unknown topic gets the
 * list of topics rather than a guess.
 */
export async function respondToSubscription(ctx: PipelineContext, store: ProactiveStore, item: InboxItem, intent: SubscriptionIntent): Promise<TurnDraft> {
  const reply = (replyText: string): TurnDraft => ({ intent: 'subscription', replyKind: 'notice', replyText });
  const now = ctx.clock();
  const topics = await store.topics();
  const { channel, userId } = item;
  if (intent.type === 'list') {
    const mine = (await store.subscriptionsOf(channel, userId)).filter((s) => s.active);
    const labels = mine.map((s) => topics.find((t) => t.id === s.topicId)?.label ?? s.topicId);
    return reply(labels.length ? `Bạn đang nhận tin về:\n${topicList(labels)}\n\nNhắn "hủy đăng ký" để ngừng nhận tất cả.` : 'Bạn chưa đăng ký nhận tin chủ đề nào.');
  }
  if (intent.type === 'unsubscribe') {
    const topic = intent.topicText ? matchTopic(intent.topicText, topics) : undefined;
    if (intent.topicText && !topic) return reply(`Không tìm thấy chủ đề "${intent.topicText}". Nhắn "tin đã đăng ký" để xem các chủ đề bạn đang nhận.`);
    const n = await store.unsubscribe(channel, userId, topic?.id, now);
    if (n === 0) return reply('Bạn không còn đăng ký nhận tin nào cần hủy.');
    return reply(topic ? `Đã hủy nhận tin về "${topic.label}".` : 'Đã hủy tất cả các tin bạn đăng ký nhận. Bạn vẫn có thể hỏi Loa bất cứ lúc nào.');
  }
  const topic = intent.topicText ? matchTopic(intent.topicText, topics) : undefined;
  if (!topic) {
    const list = topics.length ? `Các chủ đề có thể đăng ký:\n${topicList(topics.map((t) => t.label))}\n\nVí dụ: "đăng ký nhận tin ${topics[0]?.label ?? ''}".` : 'Hiện cơ quan chưa mở chủ đề nào để đăng ký.';
    return reply(intent.topicText ? `Không tìm thấy chủ đề "${intent.topicText}".\n${list}` : list);
  }
  const sub = await store.subscribe(item.message.from, topic.id, now);
  // The subscription message itself opens Zalo's reply window.
  await store.touch(channel, userId, item.message.channelMessageId, new Date(item.message.sentAt));
  void sub;
  return reply(`Đã đăng ký nhận tin về "${topic.label}". Loa sẽ gửi thông báo chính thức về chủ đề này tại đây. Nhắn "hủy đăng ký" để ngừng nhận.`);
}
