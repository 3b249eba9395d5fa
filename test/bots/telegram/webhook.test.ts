import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setupTelegram, TELEGRAM_WEBHOOK_PATH } from '../../../bots/telegram/index.ts';
import { FEEDBACK_THANKS } from '../../../bots/telegram/receive-update.ts';
import { feedbackCallbackData } from '../../../bots/telegram/callback-data.ts';
import { startFakeTelegramApi, type FakeTelegramApi } from '../../fakes/telegram-api.ts';
import { startHarness, type Harness } from './harness.ts';

const SECRET = 'webhook-secret_123';

let api: FakeTelegramApi;
let h: Harness;

beforeEach(async () => {
  api = await startFakeTelegramApi();
  h = await startHarness(setupTelegram, {
    TELEGRAM_BOT_TOKEN: api.token,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    TELEGRAM_API_ROOT: api.apiRoot,
  });
});

afterEach(async () => {
  await h.close();
  await api.close();
});

/** `secret: null` sends no secret header. */
function post(body: string | object, secret: string | null = SECRET): Promise<Response> {
  return fetch(`${h.baseUrl}${TELEGRAM_WEBHOOK_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(secret !== null ? { 'x-telegram-bot-api-secret-token': secret } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const from = { id: 777, is_bot: false, first_name: 'Lan', language_code: 'vi' };
const chat = { id: 777, type: 'private', first_name: 'Lan' };

function messageUpdate(updateId: number, fields: Record<string, unknown>) {
  return { update_id: updateId, message: { message_id: 40 + updateId, date: 1_700_000_000, chat, from, ...fields } };
}

describe('Telegram webhook', () => {
  it('turns a text update with the right secret into an IncomingMessage', async () => {
    const res = await post(messageUpdate(1001, { text: 'thu tuc lam cccd' }));
    expect(res.status).toBe(200);
    expect(h.receiver.messages).toEqual([
      {
        channel: 'telegram',
        channelMessageId: '1001',
        from: { channel: 'telegram', userId: '777', address: { chatId: 777 } },
        kind: 'text',
        text: 'thu tuc lam cccd',
        sentAt: new Date(1_700_000_000_000).toISOString(),
        userName: 'Lan',
      },
    ]);
  });

  it('rejects a wrong or missing secret with 401 and receives nothing', async () => {
    expect((await post(messageUpdate(1, { text: 'a' }), 'wrong-secret')).status).toBe(401);
    expect((await post(messageUpdate(2, { text: 'b' }), null)).status).toBe(401);
    expect((await post(messageUpdate(3, { text: 'c' }), `${SECRET}x`)).status).toBe(401);
    expect(h.receiver.messages).toHaveLength(0);
  });

  it('answers 400 to malformed JSON and to a body that is not an update', async () => {
    expect((await post('{"update_id": 5, "message": ')).status).toBe(400);
    expect((await post({ hello: 'world' })).status).toBe(400);
    expect(h.receiver.messages).toHaveLength(0);
  });

  it('maps /start, /help, /canbo (also addressed to the bot) to core commands', async () => {
    await post(messageUpdate(10, { text: '/start' }));
    await post(messageUpdate(11, { text: '/help' }));
    await post(messageUpdate(12, { text: '/canbo tôi cần gặp cán bộ' }));
    await post(messageUpdate(13, { text: '/help@loa_test_bot' }));
    await post(messageUpdate(14, { text: '/khongco' }));
    expect(h.receiver.messages.map((m) => [m.kind, m.command])).toEqual([
      ['command', 'start'],
      ['command', 'help'],
      ['command', 'human'],
      ['command', 'help'],
      ['text', undefined],
    ]);
  });

  it('maps media messages to their kinds and keeps a caption as text', async () => {
    const file = { file_id: 'F', file_unique_id: 'U' };
    await post(messageUpdate(20, { photo: [{ ...file, width: 90, height: 90 }], caption: 'giấy tờ này đúng không?' }));
    await post(messageUpdate(21, { sticker: { ...file, type: 'regular', width: 1, height: 1, is_animated: false, is_video: false } }));
    await post(messageUpdate(22, { document: { ...file, file_name: 'don.pdf' } }));
    await post(messageUpdate(23, { voice: { ...file, duration: 3 } }));
    await post(messageUpdate(24, { audio: { ...file, duration: 3 } }));
    await post(messageUpdate(25, { video: { ...file, width: 1, height: 1, duration: 3 } }));
    await post(messageUpdate(26, { location: { latitude: 21.03, longitude: 105.85 } }));
    await post(messageUpdate(27, { contact: { phone_number: '0900000000', first_name: 'A' } }));
    expect(h.receiver.messages.map((m) => m.kind)).toEqual(['image', 'sticker', 'file', 'audio', 'audio', 'video', 'location', 'other']);
    expect(h.receiver.messages[0].text).toBe('giấy tờ này đúng không?');
  });

  it('ignores edited messages and messages from bots, still answering 200', async () => {
    const edited = { update_id: 30, edited_message: { message_id: 1, date: 1, edit_date: 2, chat, from, text: 'sửa' } };
    expect((await post(edited)).status).toBe(200);
    expect((await post(messageUpdate(31, { from: { ...from, is_bot: true }, text: 'bot' }))).status).toBe(200);
    expect(h.receiver.messages).toHaveLength(0);
  });

  it('turns a feedback button press into feedback, then answers the callback query', async () => {
    let toastsAtReceive = -1;
    h.receiver.onReceive = () => {
      toastsAtReceive = api.callsTo('answerCallbackQuery').length;
    };
    const update = {
      update_id: 40,
      callback_query: {
        id: 'cbq-1',
        from,
        chat_instance: '1',
        data: feedbackCallbackData('ans-42', 'down'),
        message: { message_id: 9, date: 1_700_000_000, chat, text: 'câu trả lời' },
      },
    };
    expect((await post(update)).status).toBe(200);
    expect(h.receiver.messages).toHaveLength(1);
    expect(h.receiver.messages[0]).toMatchObject({
      kind: 'feedback',
      channelMessageId: '40',
      feedback: { answerId: 'ans-42', value: 'down' },
      from: { channel: 'telegram', userId: '777', address: { chatId: 777 } },
    });
    expect(toastsAtReceive).toBe(0);
    expect(api.callsTo('answerCallbackQuery')).toEqual([{ callback_query_id: 'cbq-1', text: FEEDBACK_THANKS }]);
  });

  it('answers a button press that is not feedback without receiving it', async () => {
    const update = { update_id: 41, callback_query: { id: 'cbq-2', from, chat_instance: '1', data: 'something-else' } };
    expect((await post(update)).status).toBe(200);
    expect(h.receiver.messages).toHaveLength(0);
    expect(api.callsTo('answerCallbackQuery')).toEqual([{ callback_query_id: 'cbq-2' }]);
  });

  it('acknowledges a duplicate delivery without receiving it twice', async () => {
    const update = messageUpdate(50, { text: 'xin chào' });
    expect((await post(update)).status).toBe(200);
    expect((await post(update)).status).toBe(200);
    expect(h.receiver.messages).toHaveLength(1);
  });

  it('answers 500 when the core cannot persist the update, so Telegram redelivers', async () => {
    h.receiver.failNext();
    expect((await post(messageUpdate(60, { text: 'a' }))).status).toBe(500);
    expect((await post(messageUpdate(60, { text: 'a' }))).status).toBe(200);
    expect(h.receiver.messages.map((m) => m.channelMessageId)).toEqual(['60']);
  });

  it('registers <LOA_PUBLIC_URL>/webhooks/telegram with its secret on start when the URL is https', async () => {
    const h2 = await startHarness(setupTelegram, {
      TELEGRAM_BOT_TOKEN: api.token,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_ROOT: api.apiRoot,
      LOA_PUBLIC_URL: 'https://loa.example.gov.vn/',
    });
    try {
      await h2.handle?.start?.();
      expect(api.callsTo('setWebhook')).toEqual([
        { url: 'https://loa.example.gov.vn/webhooks/telegram', secret_token: SECRET, allowed_updates: ['message', 'callback_query'] },
      ]);
    } finally {
      await h2.close();
    }
  });
});

describe('Telegram setup', () => {
  it('is off without a bot token', async () => {
    const off = await startHarness(setupTelegram, {});
    try {
      expect(off.handle).toBeUndefined();
    } finally {
      await off.close();
    }
  });

  it('refuses webhook mode without TELEGRAM_WEBHOOK_SECRET, with a log line, and mounts no route', async () => {
    const off = await startHarness(setupTelegram, { TELEGRAM_BOT_TOKEN: '1:x', TELEGRAM_API_ROOT: 'http://127.0.0.1:9' });
    try {
      expect(off.handle).toBeUndefined();
      expect(off.logLines().some((l) => l.includes('TELEGRAM_WEBHOOK_SECRET is required'))).toBe(true);
      const res = await fetch(`${off.baseUrl}${TELEGRAM_WEBHOOK_PATH}`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
      expect(res.status).toBe(404);
    } finally {
      await off.close();
    }
  });

  it('refuses a secret Telegram would not accept', async () => {
    const off = await startHarness(setupTelegram, { TELEGRAM_BOT_TOKEN: '1:x', TELEGRAM_WEBHOOK_SECRET: 'has spaces!' });
    try {
      expect(off.handle).toBeUndefined();
    } finally {
      await off.close();
    }
  });
});
