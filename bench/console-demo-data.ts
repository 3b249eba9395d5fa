import type { ChannelSender } from '../bots/core/types.ts';
import type { ChannelName, IncomingMessage } from '../domain/channel.ts';
import type { ConversationCore } from '../bots/core/conversation-core.ts';
import type { Runtime } from '../app/runtime.ts';
import { officerActor, SYSTEM_ACTOR } from '../domain/escalation.ts';

/**
 * Demo traffic for the console's screenshots and manual tries: two weeks of past questions
 * written straight into the stores (so the reports have days to draw), and live questions
 * sent through the real conversation core (so the inbox fills the way it does in production).
 * Zalo and Telegram are not configured in a demo, so their replies go to in-process senders
 * that accept every message.
 */

/** Questions the sample knowledge base answers, as citizens type them (with and without diacritics). */
export const ANSWERABLE = [
  'Thủ tục làm căn cước công dân gồm những gì?',
  'lam cccd can giay to gi',
  'Đăng ký thường trú cần giấy tờ gì?',
  'dang ky tam tru o dau',
  'Mức đóng bảo hiểm xã hội tự nguyện là bao nhiêu?',
  'doi bang lai xe het han thi lam the nao',
  'Trợ cấp thất nghiệp được hưởng bao lâu?',
  'đăng ký khai sinh cho con cần những gì',
  'thủ tục đăng ký kết hôn',
  'nghỉ thai sản được mấy tháng',
  'tuổi nghỉ hưu của lao động nam',
  'lương tối thiểu vùng 1 là bao nhiêu',
  'cài ứng dụng VNeID như thế nào',
  'ly hon thuan tinh can giay to gi',
];

/** Questions outside the documents: they go to a spokesperson. */
export const OUT_OF_SCOPE = [
  'Giá vàng hôm nay bao nhiêu?',
  'Khi nào thì đường Nguyễn Trãi hết ngập nước?',
  'Hồ sơ cấp sổ đỏ của nhà tôi nộp 3 tháng rồi sao chưa có kết quả?',
  'Xã tôi có được hỗ trợ tiền sau bão số 3 không?',
  'Lịch cắt điện khu vực phường 5 tuần này thế nào?',
];

/** Questions that ramp up over the period (a "rising" topic in the reports). */
const RISING = ['Trợ cấp thất nghiệp được hưởng bao lâu?', 'mất việc thì nhận trợ cấp thất nghiệp ở đâu', 'bảo hiểm thất nghiệp đóng bao lâu thì được hưởng'];

const CHANNEL_MIX: ChannelName[] = ['zalo', 'zalo', 'zalo', 'webchat', 'webchat', 'telegram'];

/** A small deterministic generator, so every run draws the same screenshots. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** A sender that accepts everything: the demo has no Zalo or Telegram account. */
export function demoSender(channel: ChannelName): ChannelSender {
  let n = 0;
  return { channel, send: async () => ({ channelMessageIds: [`${channel}-demo-${++n}`] }) };
}

/**
 * Writes `days` days (before today) of questions with answers, escalations (most answered
 * by `officer` after a while, some closed) and 👍/👎, through the stores.
 */
export async function seedHistory(runtime: Runtime, opts: { days: number; officer: string; seed?: number }): Promise<{ questions: number }> {
  const { conversations, escalations } = runtime.storage;
  const rand = random(opts.seed ?? 7);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)];
  const now = Date.now();
  let count = 0;
  for (let d = opts.days; d >= 1; d--) {
    const perDay = 5 + Math.floor(rand() * 7) + (d % 7 === 0 ? -3 : 0);
    // The rising topic is asked more and more towards today.
    const rising = Math.max(0, Math.round((opts.days - d) / 3 + rand() - 1));
    const questions = [
      ...Array.from({ length: perDay }, () => (rand() < 0.2 ? pick(OUT_OF_SCOPE) : pick(ANSWERABLE))),
      ...Array.from({ length: rising }, () => pick(RISING)),
    ];
    for (const [i, question] of questions.entries()) {
      const at = new Date(now - d * 86_400_000 + (i - questions.length / 2) * 23 * 60_000);
      const channel = pick(CHANNEL_MIX);
      const userId = `${channel}-citizen-${Math.floor(rand() * 40)}`;
      const result = await runtime.answerer.ask(question);
      count++;
      if (!result.abstained) {
        const answerId = `demo-${d}-${i}`;
        await conversations.recordTurn({
          channel,
          userId,
          intent: 'question',
          userText: question,
          replyKind: 'answer',
          replyText: result.answer,
          citations: result.citations,
          answerId,
          confidence: result.confidence,
          abstained: false,
          escalated: false,
          createdAt: at.toISOString(),
        });
        const r = rand();
        if (r < 0.55) await conversations.recordFeedback(answerId, r < 0.47 ? 'up' : 'down', new Date(at.getTime() + 60_000));
        continue;
      }
      const escalation = await escalations.create(
        {
          reason: 'abstained',
          abstainReason: result.reason,
          recipient: { channel, userId, address: {} },
          question,
          context: [],
          candidates: result.citations,
        },
        at,
      );
      await conversations.recordTurn({
        channel,
        userId,
        intent: 'question',
        userText: question,
        replyKind: 'escalated',
        replyText: 'Câu hỏi của bạn đã được chuyển đến cán bộ phụ trách.',
        confidence: result.confidence,
        abstained: true,
        abstainReason: result.reason,
        escalated: true,
        escalationId: escalation.id,
        createdAt: at.toISOString(),
      });
      const fate = rand();
      if (fate < 0.15) {
        await escalations.apply(escalation.id, { type: 'close', reason: 'out_of_remit' }, officerActor(opts.officer), new Date(at.getTime() + 3600_000));
      } else if (fate < 0.9) {
        // Answered between 20 minutes and a day and a half later.
        const answeredAt = new Date(at.getTime() + (20 + rand() * 2000) * 60_000);
        const text = 'Cảm ơn bạn đã hỏi. Cơ quan đã chuyển câu hỏi đến đơn vị phụ trách và xin trả lời như sau …';
        await escalations.apply(escalation.id, { type: 'answer', text, citations: [] }, officerActor(opts.officer), answeredAt);
        await escalations.apply(escalation.id, { type: 'delivered' }, SYSTEM_ACTOR, answeredAt);
      }
    }
  }
  return { questions: count };
}

let liveSeq = 0;

/** A citizen message on any channel, through the core (as an adapter would deliver it). */
export async function citizenSays(core: ConversationCore, channel: ChannelName, userId: string, text: string, userName?: string): Promise<void> {
  const message: IncomingMessage = {
    channel,
    channelMessageId: `demo-${channel}-${Date.now()}-${++liveSeq}`,
    from: { channel, userId, address: channel === 'zalo' ? { userId } : { chatId: userId } },
    kind: 'text',
    text,
    sentAt: new Date().toISOString(),
    ...(userName ? { userName } : {}),
  };
  await core.receive(message);
}
