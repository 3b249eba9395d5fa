import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Telegram } from 'telegraf';
import type { Citation } from '../../../retrieval/types.ts';
import { ChannelSendError, type OutgoingMessage, type Recipient } from '../../../bots/core/types.ts';
import { createTelegramSender, FEEDBACK_BUTTONS, TELEGRAM_MAX_CHARS } from '../../../bots/telegram/send-message.ts';
import { callbackAnswerId, parseFeedbackCallbackData } from '../../../bots/telegram/callback-data.ts';
import { FAILURES, startFakeTelegramApi, type FakeTelegramApi } from '../../fakes/telegram-api.ts';

let api: FakeTelegramApi;
let sender: ReturnType<typeof createTelegramSender>;

beforeEach(async () => {
  api = await startFakeTelegramApi();
  sender = createTelegramSender(new Telegram(api.token, { apiRoot: api.apiRoot, webhookReply: false }));
});

afterEach(async () => {
  await api.close();
});

const to: Recipient = { channel: 'telegram', userId: '777', address: { chatId: 777 } };

const citation: Citation = {
  id: 'luat-cu-tru:d20:k2',
  title: 'Luật Cư trú',
  section: 'Điều 20, Khoản 2',
  number: '68/2020/QH14',
  url: 'https://vbpl.vn/luat-cu-tru?a=1&b=2',
  status: 'in_force',
  quote: 'Công dân được đăng ký thường trú…',
  score: 0.9,
};

type Sent = { text: string; parse_mode?: string; reply_markup?: { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> } };
const sent = (): Sent[] => api.callsTo('sendMessage') as unknown as Sent[];

async function sendError(message: OutgoingMessage): Promise<ChannelSendError> {
  const err = await sender.send(to, message).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ChannelSendError);
  return err as ChannelSendError;
}

describe('Telegram sender', () => {
  it('escapes < and & in HTML mode and renders citations as links', async () => {
    const result = await sender.send(to, { kind: 'answer', answerId: 'a1', text: 'Trẻ em <14 tuổi & người giám hộ cần mang giấy khai sinh.', citations: [citation] });
    expect(result.channelMessageIds).toHaveLength(1);
    const [msg] = sent();
    expect(msg.parse_mode).toBe('HTML');
    expect(msg.text).toContain('Trẻ em &lt;14 tuổi &amp; người giám hộ');
    expect(msg.text).toContain('<a href="https://vbpl.vn/luat-cu-tru?a=1&amp;b=2">Luật Cư trú (68/2020/QH14), Điều 20, Khoản 2</a>');
    expect(msg.reply_markup?.inline_keyboard[0].map((b) => [b.text, b.callback_data])).toEqual([
      [FEEDBACK_BUTTONS.up, 'fb:a1:up'],
      [FEEDBACK_BUTTONS.down, 'fb:a1:down'],
    ]);
  });

  it('splits a long answer on sentence boundaries, buttons only under the last part', async () => {
    const sentences = Array.from({ length: 160 }, (_, i) => `Câu ${i + 1} nói về thủ tục đăng ký thường trú và giấy tờ cần mang theo.`);
    const answerId = 'x'.repeat(100); // too long for callback data as is
    await sender.send(to, { kind: 'answer', answerId, text: sentences.join(' '), citations: [citation] });
    const parts = sent();
    expect(parts.length).toBeGreaterThan(2);
    for (const p of parts) expect(p.text.length).toBeLessThanOrEqual(TELEGRAM_MAX_CHARS);
    // Every part but the last ends a sentence; together they hold every sentence once, in order.
    for (const p of parts.slice(0, -1)) expect(p.text.endsWith('.')).toBe(true);
    const numbers = parts.flatMap((p) => [...p.text.matchAll(/Câu (\d+) /g)].map((m) => Number(m[1])));
    expect(numbers).toEqual(sentences.map((_, i) => i + 1));
    expect(parts.slice(0, -1).every((p) => p.reply_markup === undefined)).toBe(true);
    const buttons = parts.at(-1)?.reply_markup?.inline_keyboard[0] ?? [];
    expect(buttons).toHaveLength(2);
    for (const b of buttons) {
      expect(Buffer.byteLength(b.callback_data)).toBeLessThanOrEqual(64);
      expect(parseFeedbackCallbackData(b.callback_data)?.answerId).toBe(callbackAnswerId(answerId));
    }
    expect(callbackAnswerId(answerId)).not.toBe(answerId);
  });

  it('puts no buttons under notices', async () => {
    await sender.send(to, { kind: 'notice', text: 'Câu hỏi của bạn đã được chuyển cho cán bộ.' });
    expect(sent()[0].reply_markup).toBeUndefined();
  });

  it('puts actions one per row above 👍/👎, as a:<id> callback data, leaving out one that would not fit 64 bytes', async () => {
    const id = '0b7c6a52-1f4e-4d8a-9a53-2f1d7c1b9e10';
    await sender.send(to, {
      kind: 'answer',
      text: 'Trả lời ngắn.',
      answerId: 'a1',
      actions: [
        { kind: 'more', id: `${id}:1`, label: 'Xem thêm' },
        { kind: 'human', id: 'x'.repeat(63), label: 'Quá dài' },
      ],
    });
    expect(sent()[0].reply_markup?.inline_keyboard).toEqual([
      [{ text: 'Xem thêm', callback_data: `a:${id}:1` }],
      [
        { text: FEEDBACK_BUTTONS.up, callback_data: 'fb:a1:up' },
        { text: FEEDBACK_BUTTONS.down, callback_data: 'fb:a1:down' },
      ],
    ]);
    await sender.send(to, { kind: 'notice', text: 'Có phải bạn hỏi về:', actions: [{ kind: 'choose', id: `${id}:1`, label: 'Tuổi nghỉ hưu' }] });
    expect(sent()[1].reply_markup?.inline_keyboard).toEqual([[{ text: 'Tuổi nghỉ hưu', callback_data: `a:${id}:1` }]]);
  });

  it("resends a part as plain text when Telegram can't parse its entities", async () => {
    api.failNext('sendMessage', FAILURES.cantParseEntities());
    const result = await sender.send(to, { kind: 'answer', answerId: 'a2', text: 'Lệ phí < 50.000 đồng.', citations: [citation] });
    const calls = sent();
    expect(calls).toHaveLength(2);
    expect(calls[1].parse_mode).toBeUndefined();
    expect(calls[1].text).toContain('Lệ phí < 50.000 đồng.');
    expect(calls[1].text).toContain('[1] Luật Cư trú (68/2020/QH14), Điều 20, Khoản 2 – https://vbpl.vn/luat-cu-tru?a=1&b=2');
    expect(calls[1].text).not.toMatch(/<\/?[ab]\b|&amp;|&lt;/);
    expect(calls[1].reply_markup?.inline_keyboard[0]).toHaveLength(2);
    expect(result.channelMessageIds).toHaveLength(1);
  });

  it('reports 429 as retryable with retry_after in milliseconds', async () => {
    api.failNext('sendMessage', FAILURES.tooManyRequests(7));
    const err = await sendError({ kind: 'notice', text: 'Xin chào.' });
    expect(err).toMatchObject({ retryable: true, code: 429, retryAfterMs: 7000 });
  });

  it('reports a blocked bot (403) and a missing chat (400) as not retryable', async () => {
    api.failNext('sendMessage', FAILURES.blocked());
    expect(await sendError({ kind: 'notice', text: 'Xin chào.' })).toMatchObject({ retryable: false, code: 403 });
    api.failNext('sendMessage', FAILURES.chatNotFound());
    expect(await sendError({ kind: 'notice', text: 'Xin chào.' })).toMatchObject({ retryable: false, code: 400 });
  });

  it('reports 5xx and an unreachable API as retryable', async () => {
    api.failNext('sendMessage', FAILURES.serverError());
    expect(await sendError({ kind: 'notice', text: 'Xin chào.' })).toMatchObject({ retryable: true, code: 502 });
    await api.close();
    expect(await sendError({ kind: 'notice', text: 'Xin chào.' })).toMatchObject({ retryable: true, code: 'network' });
    api = await startFakeTelegramApi(); // for afterEach
  });

  it('refuses a recipient without a chat id, without calling Telegram', async () => {
    const err = await sender.send({ channel: 'telegram', userId: '1', address: {} }, { kind: 'notice', text: 'a' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ retryable: false, code: 'bad_address' });
    expect(sent()).toHaveLength(0);
  });
});
