import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLARIFY_TEXT } from '../../../bots/core/messages.ts';
import { setupTelegram, TELEGRAM_WEBHOOK_PATH } from '../../../bots/telegram/index.ts';
import { startFakeTelegramApi, type FakeTelegramApi } from '../../fakes/telegram-api.ts';
import { waitFor } from '../../e2e/support.ts';
import { DECLINE_REPLY, PASSPORT_MORE, RETIREMENT_AGE } from '../core/support.ts';
import { startCoreHarness, type CoreHarness } from '../support/core-harness.ts';

const SECRET = 'outcomes-secret_1';
const CHAT = 4242;

let api: FakeTelegramApi;
let h: CoreHarness;
let updateId = 500;

beforeEach(async () => {
  api = await startFakeTelegramApi();
  h = await startCoreHarness(setupTelegram, { TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: api.apiRoot });
});

afterEach(async () => {
  await h.close();
  await api.close();
});

async function post(update: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${h.baseUrl}${TELEGRAM_WEBHOOK_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
    body: JSON.stringify(update),
  });
  expect(res.status).toBe(200);
}

const user = { id: CHAT, is_bot: false, first_name: 'Lan' };
const say = (text: string) =>
  post({ update_id: ++updateId, message: { message_id: updateId, date: Math.floor(Date.now() / 1000), chat: { id: CHAT, type: 'private' }, from: user, text } });
const press = (data: string) =>
  post({ update_id: ++updateId, callback_query: { id: `cq-${updateId}`, from: user, chat_instance: 'ci', data, message: { message_id: 1, date: 0, chat: { id: CHAT, type: 'private' } } } });

interface Button {
  text: string;
  callback_data: string;
}
const buttonsOf = (body: Record<string, unknown>): Button[] =>
  (body.reply_markup as { inline_keyboard?: Button[][] } | undefined)?.inline_keyboard?.flat() ?? [];
const sent = () => api.callsTo('sendMessage');
const nthMessage = (n: number) => waitFor(() => sent().length >= n && sent()[n - 1], `message ${n}`);

describe('Telegram: the four outcomes', () => {
  it('shows a clarifying question as an inline keyboard; pressing an option answers from it', async () => {
    await say('bao nhieu tuoi thi dc nghi huu');
    const clarify = await nthMessage(1);
    expect(clarify.text).toBe(CLARIFY_TEXT);
    const buttons = buttonsOf(clarify);
    expect(buttons.map((b) => b.text)).toEqual(['Tuổi nghỉ hưu hiện nay — Bộ luật Lao động', 'Nghỉ hưu trước tuổi — Bộ luật Lao động', 'Không phải — gặp cán bộ']);
    for (const b of buttons) expect(Buffer.byteLength(b.callback_data)).toBeLessThanOrEqual(64);

    await press(buttons[0].callback_data);
    const answer = await nthMessage(2);
    expect(answer.text).toContain(RETIREMENT_AGE.quote.slice(0, 40));
    expect(answer.text).toContain('<b>Nguồn:</b>');
    expect(buttonsOf(answer).map((b) => b.text)).toEqual(['👍 Hữu ích', '👎 Chưa hữu ích']);
    // The press was acknowledged (no spinner left on the citizen's phone).
    expect(api.callsTo('answerCallbackQuery').map((c) => c.callback_query_id)).toEqual([`cq-${updateId}`]);
    expect((await h.stores.examples.list()).map((e) => e.unitId)).toEqual([RETIREMENT_AGE.id]);
  });

  it('"Không phải — gặp cán bộ" hands the question to a person', async () => {
    await say('bao nhieu tuoi thi dc nghi huu');
    const [, , notThis] = buttonsOf(await nthMessage(1));
    await press(notThis.callback_data);
    await nthMessage(2);
    expect((await h.stores.escalations.list()).map((e) => e.question)).toEqual(['bao nhieu tuoi thi dc nghi huu']);
  });

  it('"Xem thêm" under an answer sends the rest', async () => {
    await say('làm hộ chiếu cần gì');
    const answer = await nthMessage(1);
    const more = buttonsOf(answer).find((b) => b.text === 'Xem thêm');
    expect(more).toBeDefined();
    await press(more?.callback_data as string);
    expect((await nthMessage(2)).text).toContain(PASSPORT_MORE);
  });

  it('a decline offers "Gặp cán bộ" and escalates nothing; 👎 asks why', async () => {
    await say('giá vàng hôm nay');
    const decline = await nthMessage(1);
    expect(decline.text).toBe(DECLINE_REPLY);
    expect(buttonsOf(decline).map((b) => b.text)).toEqual(['Gặp cán bộ']);
    expect(await h.stores.escalations.list()).toEqual([]);

    await say('làm hộ chiếu cần gì');
    const down = buttonsOf(await nthMessage(2)).find((b) => b.text.startsWith('👎'));
    await press(down?.callback_data as string);
    const why = await nthMessage(3);
    const reasons = buttonsOf(why);
    expect(reasons.map((b) => b.text)).toEqual(['Sai', 'Chưa đủ', 'Khó hiểu']);
    await press(reasons[2].callback_data);
    await nthMessage(4);
    const [turn] = (await h.stores.conversations.recentTurns('telegram', String(CHAT), 10)).filter((t) => t.answerId);
    expect(turn).toMatchObject({ feedback: 'down', feedbackReason: 'unclear' });
  });
});
