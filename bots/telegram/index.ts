import { Telegram } from 'telegraf';
import type { Logger } from 'pino';
import type { ChannelHandle, ChannelSetupContext } from '../core/types.ts';
import { ALLOWED_UPDATES, startPolling, type Poller } from './polling.ts';
import { createUpdateHandler } from './receive-update.ts';
import { createTelegramSender } from './send-message.ts';
import { mountTelegramWebhook, SECRET_TOKEN_PATTERN, TELEGRAM_WEBHOOK_PATH } from './webhook.ts';

export { TELEGRAM_WEBHOOK_PATH } from './webhook.ts';

/**
 * The Telegram channel. Off unless `TELEGRAM_BOT_TOKEN` is set.
 *
 * - `TELEGRAM_MODE=webhook` (default): mounts `POST /webhooks/telegram`; refuses to start
 *   without `TELEGRAM_WEBHOOK_SECRET`. `start()` checks the token with `getMe` and, when
 *   `LOA_PUBLIC_URL` is an https URL, registers `<LOA_PUBLIC_URL>/webhooks/telegram` with
 *   `setWebhook` (secret included).
 * - `TELEGRAM_MODE=polling`: no route; `start()` deletes any webhook and long-polls,
 *   `stop()` ends polling.
 *
 * All Bot API calls go to `TELEGRAM_API_ROOT` through telegraf's `Telegram` client.
 *
 * @example
 * const telegram = setupTelegram({ app, config, logger, receiver, secrets, loopbackOnly });
 * await telegram?.start?.();
 */
export function setupTelegram(ctx: ChannelSetupContext): ChannelHandle | undefined {
  const { config } = ctx;
  // app/server.ts hands each channel a logger already bound to its name.
  const logger = ctx.logger;
  const token = config.TELEGRAM_BOT_TOKEN;
  if (!token) return undefined;

  // webhookReply false: every call is a real HTTP request whose result and errors we see.
  const telegram = new Telegram(token, { apiRoot: config.TELEGRAM_API_ROOT, webhookReply: false });
  const handleUpdate = createUpdateHandler({ telegram, receiver: ctx.receiver, logger });
  const sender = createTelegramSender(telegram);

  if (config.TELEGRAM_MODE === 'polling') {
    let poller: Poller | undefined;
    return {
      sender,
      health: () => poller?.health() ?? { status: 'degraded', detail: 'polling not started' },
      async start() {
        poller ??= await startPolling({ telegram, handleUpdate, logger });
      },
      async stop() {
        await poller?.stop();
        poller = undefined;
      },
    };
  }

  const secret = config.TELEGRAM_WEBHOOK_SECRET;
  if (!secret) {
    logger.error('Telegram channel off: TELEGRAM_WEBHOOK_SECRET is required in webhook mode (or set TELEGRAM_MODE=polling)');
    return undefined;
  }
  if (!SECRET_TOKEN_PATTERN.test(secret)) {
    logger.error('Telegram channel off: TELEGRAM_WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and -');
    return undefined;
  }
  mountTelegramWebhook(ctx.app, { secret, handleUpdate, logger });
  logger.info({ path: TELEGRAM_WEBHOOK_PATH }, 'telegram: webhook route mounted');

  return {
    sender,
    async start() {
      await announceWebhook(telegram, { publicUrl: config.LOA_PUBLIC_URL, secret, logger });
    },
  };
}

/** Checks the token and registers the webhook URL; failures are logged, never fatal. */
async function announceWebhook(telegram: Telegram, opts: { publicUrl: string | undefined; secret: string; logger: Logger }): Promise<void> {
  const { publicUrl, secret, logger } = opts;
  try {
    const me = await telegram.getMe();
    logger.info({ username: me.username }, 'telegram: bot token accepted');
  } catch (err) {
    logger.error({ err }, 'telegram: getMe failed; check TELEGRAM_BOT_TOKEN and TELEGRAM_API_ROOT');
    return;
  }
  if (!publicUrl?.startsWith('https://')) {
    logger.info('telegram: LOA_PUBLIC_URL is not https, so the webhook is not registered automatically (see docs/channels/telegram.md)');
    return;
  }
  const url = `${publicUrl.replace(/\/+$/, '')}${TELEGRAM_WEBHOOK_PATH}`;
  try {
    await telegram.setWebhook(url, { secret_token: secret, allowed_updates: [...ALLOWED_UPDATES] });
    logger.info({ url }, 'telegram: webhook registered');
  } catch (err) {
    logger.error({ err, url }, 'telegram: setWebhook failed');
  }
}
