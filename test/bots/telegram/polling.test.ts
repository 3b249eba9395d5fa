import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Telegram } from 'telegraf';
import { setupTelegram } from '../../../bots/telegram/index.ts';
import { startPolling } from '../../../bots/telegram/polling.ts';
import { createUpdateHandler } from '../../../bots/telegram/receive-update.ts';
import { startFakeTelegramApi, type FakeTelegramApi } from '../../fakes/telegram-api.ts';
import { captureLogger } from '../../support/capture-logger.ts';
import { RecordingReceiver } from '../../support/recording-receiver.ts';
import { startHarness } from './harness.ts';

let api: FakeTelegramApi;

beforeEach(async () => {
  api = await startFakeTelegramApi();
});

afterEach(async () => {
  await api.close();
});

const update = (id: number, text: string) => ({
  update_id: id,
  message: { message_id: id, date: 1_700_000_000, chat: { id: 5, type: 'private' }, from: { id: 5, is_bot: false, first_name: 'Minh' }, text },
});

describe('Telegram long polling', () => {
  it('deletes the webhook, receives queued updates, and confirms the offset on stop', async () => {
    const h = await startHarness(setupTelegram, { TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_MODE: 'polling', TELEGRAM_API_ROOT: api.apiRoot });
    try {
      expect(h.handle).toBeDefined();
      await h.handle?.start?.();
      expect(api.callsTo('deleteWebhook')).toHaveLength(1);
      api.enqueueUpdate(update(900, 'xin chào'));
      await h.receiver.waitForCount(1);
      api.enqueueUpdate(update(901, 'thủ tục cấp căn cước'));
      await h.receiver.waitForCount(2);
      expect(h.receiver.messages.map((m) => [m.channelMessageId, m.text, m.from.address])).toEqual([
        ['900', 'xin chào', { chatId: 5 }],
        ['901', 'thủ tục cấp căn cước', { chatId: 5 }],
      ]);
      await h.handle?.stop?.();
      const polls = api.callsTo('getUpdates');
      expect(polls.at(-1)).toMatchObject({ offset: 902 });
    } finally {
      await h.close();
    }
  });

  it('retries an update the core failed to persist instead of skipping it', async () => {
    const receiver = new RecordingReceiver();
    receiver.failNext();
    const telegram = new Telegram(api.token, { apiRoot: api.apiRoot, webhookReply: false });
    const { logger } = captureLogger();
    const handleUpdate = createUpdateHandler({ telegram, receiver, logger });
    api.enqueueUpdate(update(70, 'lần một'));
    const poller = await startPolling({ telegram, handleUpdate, logger }, { retryDelayMs: 1 });
    try {
      await receiver.waitForCount(1);
      expect(receiver.messages.map((m) => m.channelMessageId)).toEqual(['70']);
      // The failed hand-over did not move the offset: the second fetch asked from 70 again.
      expect(api.callsTo('getUpdates').slice(0, 2).map((c) => c.offset)).toEqual([0, 0]);
    } finally {
      await poller.stop();
    }
  });

  it('keeps polling after a later 409 (another poller), reports degraded meanwhile, then ok again', async () => {
    const receiver = new RecordingReceiver();
    const telegram = new Telegram(api.token, { apiRoot: api.apiRoot, webhookReply: false });
    const { logger, records } = captureLogger();
    const handleUpdate = createUpdateHandler({ telegram, receiver, logger });
    const poller = await startPolling({ telegram, handleUpdate, logger }, { timeoutS: 0, retryDelayMs: 20, maxRetryDelayMs: 40 });
    try {
      api.enqueueUpdate(update(80, 'trước'));
      await receiver.waitForCount(1);
      const conflict = { code: 409, description: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running' };
      const before = api.callsTo('getUpdates').length;
      api.failNext('getUpdates', conflict, 4);
      await api.waitForGetUpdates(before + 2);
      expect(poller.health()).toMatchObject({ status: 'degraded', detail: 'getUpdates: 409' });
      api.enqueueUpdate(update(81, 'sau'));
      await receiver.waitForCount(2);
      expect(receiver.messages.map((m) => m.channelMessageId)).toEqual(['80', '81']);
      expect(poller.health()).toEqual({ status: 'ok' });
      expect(records().filter((r) => r.msg === 'telegram polling: getUpdates failed, retrying' && r.level === 50).length).toBeGreaterThanOrEqual(4);
    } finally {
      await poller.stop();
    }
  });

  it('deletes a webhook that was set again while polling (409) and goes on receiving', async () => {
    const receiver = new RecordingReceiver();
    const telegram = new Telegram(api.token, { apiRoot: api.apiRoot, webhookReply: false });
    const { logger } = captureLogger();
    const handleUpdate = createUpdateHandler({ telegram, receiver, logger });
    const poller = await startPolling({ telegram, handleUpdate, logger }, { timeoutS: 0, retryDelayMs: 20 });
    try {
      await telegram.setWebhook('https://example.gov.vn/webhooks/telegram');
      api.enqueueUpdate(update(90, 'vẫn nhận được'));
      await receiver.waitForCount(1);
      expect(api.callsTo('deleteWebhook').length).toBe(2); // at start, and after the 409
    } finally {
      await poller.stop();
    }
  });
});
