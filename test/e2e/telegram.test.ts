import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeHtml } from '../../bots/core/format.ts';
import { FEEDBACK_THANKS } from '../../bots/telegram/receive-update.ts';
import { startTestLoa, type TestLoa } from '../admin/harness.ts';
import { FAILURES, startFakeTelegramApi, type FakeTelegramApi } from '../fakes/telegram-api.ts';
import { answeredQuestion, waitFor, type AnsweredQuestion } from './support.ts';

/**
 * Telegram through the whole product: the real server (sample knowledge base, real
 * retrieval, real SQLite) in webhook mode, its Bot API calls going to a local fake.
 */

const SECRET = 'e2e-telegram-secret';

let fake: FakeTelegramApi;
let t: TestLoa;
let answered: AnsweredQuestion;

beforeAll(async () => {
  fake = await startFakeTelegramApi();
  t = await startTestLoa({
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    TELEGRAM_API_ROOT: fake.apiRoot,
    TELEGRAM_MODE: 'webhook',
  });
  answered = await answeredQuestion(t.runtime);
});

afterAll(async () => {
  await t?.stop();
  await fake?.close();
});

let nextUpdateId = 1000;
let nextChat = 7000;

function textUpdate(chatId: number, text: string, updateId = ++nextUpdateId): Record<string, unknown> {
  return {
    update_id: updateId,
    message: {
      message_id: updateId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: chatId, type: 'private', first_name: 'Lan' },
      from: { id: chatId, is_bot: false, first_name: 'Lan', language_code: 'vi' },
      text,
      ...(text.startsWith('/') ? { entities: [{ type: 'bot_command', offset: 0, length: text.split(' ')[0].length }] } : {}),
    },
  };
}

async function postUpdate(update: Record<string, unknown>, secret = SECRET): Promise<number> {
  const res = await fetch(`${t.url}/webhooks/telegram`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
    body: JSON.stringify(update),
  });
  await res.body?.cancel();
  return res.status;
}

const messagesTo = (chatId: number) => fake.callsTo('sendMessage').filter((b) => b.chat_id === chatId);

interface Button {
  text: string;
  callback_data: string;
}
function buttonsOf(body: Record<string, unknown>): Button[] {
  const markup = body.reply_markup as { inline_keyboard?: Button[][] } | undefined;
  return markup?.inline_keyboard?.flat() ?? [];
}

describe('Telegram end to end', () => {
  it('answers with HTML, a footnote citing the document, and 👍/👎 buttons; 👍 is recorded', async () => {
    const chatId = ++nextChat;
    expect(await postUpdate(textUpdate(chatId, answered.sample.question))).toBe(200);

    const [sent] = await waitFor(() => messagesTo(chatId).length > 0 && messagesTo(chatId), 'sendMessage to the chat');
    expect(sent.parse_mode).toBe('HTML');
    expect(sent.text).toContain('<b>Nguồn:</b>');
    expect(sent.text).toContain(`[1] ${escapeHtml(answered.title)}`);
    expect(sent.text).toContain(escapeHtml(answered.result.citations[0].quote.split('\n')[0]));

    // The answer's continuation is a "Xem thêm" button above the feedback buttons.
    expect(answered.result.more).toBeDefined();
    const buttons = buttonsOf(sent);
    expect(buttons.map((b) => b.text)).toEqual(['Xem thêm', expect.stringMatching(/^👍/), expect.stringMatching(/^👎/)]);
    const up = buttons[1].callback_data;
    const answerId = /^fb:(.+):up$/.exec(up)?.[1];
    expect(answerId).toBeDefined();

    // The citizen presses 👍.
    const press = {
      update_id: ++nextUpdateId,
      callback_query: {
        id: `cq-${nextUpdateId}`,
        chat_instance: '1',
        from: { id: chatId, is_bot: false, first_name: 'Lan' },
        message: { message_id: 1, date: Math.floor(Date.now() / 1000), chat: { id: chatId, type: 'private' } },
        data: up,
      },
    };
    expect(await postUpdate(press)).toBe(200);
    const toast = fake.callsTo('answerCallbackQuery').find((b) => b.callback_query_id === press.callback_query.id);
    expect(toast).toMatchObject({ text: FEEDBACK_THANKS });

    const turn = await waitFor(async () => {
      const found = await t.runtime.storage.conversations.findByAnswerId(answerId as string);
      return found?.feedback === 'up' && found;
    }, 'feedback on the answer');
    expect(turn).toMatchObject({ channel: 'telegram', userId: String(chatId), replyKind: 'answer' });
  });

  it('answers a duplicate update_id once', async () => {
    const chatId = ++nextChat;
    const update = textUpdate(chatId, answered.sample.question);
    expect(await postUpdate(update)).toBe(200);
    expect(await postUpdate(update)).toBe(200);
    await waitFor(() => messagesTo(chatId).length > 0, 'the answer');
    expect(await postUpdate(update)).toBe(200);
    await t.loa.core.drain();
    expect(messagesTo(chatId)).toHaveLength(1);
  });

  it('welcomes /start', async () => {
    const chatId = ++nextChat;
    expect(await postUpdate(textUpdate(chatId, '/start'))).toBe(200);
    const [sent] = await waitFor(() => messagesTo(chatId).length > 0 && messagesTo(chatId), 'the welcome');
    expect(sent.text).toContain('Xin chào! Loa là trợ lý');
    expect(sent.text).toContain('gặp cán bộ');
    expect(buttonsOf(sent)).toEqual([]);
  });

  it('waits out a 429 (retry_after 1 s) and delivers once', async () => {
    const chatId = ++nextChat;
    fake.failNext('sendMessage', FAILURES.tooManyRequests(1));
    expect(await postUpdate(textUpdate(chatId, answered.sample.question))).toBe(200);

    await waitFor(() => messagesTo(chatId).length >= 2, 'the second sendMessage');
    await t.loa.core.drain();
    // Both calls reached the fake: the first was refused with 429, the second accepted.
    expect(messagesTo(chatId)).toHaveLength(2);
    const [turn] = await t.runtime.storage.conversations.recentTurns('telegram', String(chatId), 5);
    expect(turn).toMatchObject({ replyKind: 'answer' });
    expect(turn.deliveryError).toBeUndefined();
  });

  it('refuses an update without the right secret and answers nothing', async () => {
    const chatId = ++nextChat;
    expect(await postUpdate(textUpdate(chatId, answered.sample.question), 'wrong-secret')).toBe(401);
    await t.loa.core.drain();
    expect(messagesTo(chatId)).toHaveLength(0);
  });
});
