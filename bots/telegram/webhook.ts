import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { sendError } from '../../http/errors.ts';
import { webhookErrorHandler } from '../core/webhook-errors.ts';
import type { UpdateHandler } from './receive-update.ts';

/** Where Telegram POSTs updates; register `<public url>/webhooks/telegram` with `setWebhook`. */
export const TELEGRAM_WEBHOOK_PATH = '/webhooks/telegram';

/** Telegram sends the `secret_token` given to `setWebhook` in this header. */
export const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/** Telegram accepts 1–256 characters `A-Z a-z 0-9 _ -` as `secret_token`. */
export const SECRET_TOKEN_PATTERN = /^[A-Za-z0-9_-]{1,256}$/;

/** Compares through SHA-256 digests so neither content nor length leaks through timing. */
function sameSecret(received: string, expected: string): boolean {
  const a = createHash('sha256').update(received).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * Mounts `POST /webhooks/telegram`: secret check (401 when the header is wrong or
 * missing, before the body is parsed), JSON body up to 256 kB (400 when malformed), then
 * the update handler. The response waits until the core has persisted the update: 200 on
 * success, 400 for a body that is not an update, 500 when the core failed (Telegram then
 * delivers the update again). Loa's own route instead of telegraf's `webhookCallback`,
 * whose filter answers 404 for a wrong secret and for any mount prefix or query string.
 */
export function mountTelegramWebhook(app: Express, deps: { secret: string; handleUpdate: UpdateHandler; logger: Logger }): void {
  const { secret, handleUpdate, logger } = deps;

  const checkSecret = (req: Request, res: Response, next: NextFunction): void => {
    const header = req.get(SECRET_HEADER);
    if (header === undefined || !sameSecret(header, secret)) {
      logger.warn({ ip: req.ip }, 'telegram webhook: wrong or missing secret token');
      sendError(res, 401, 'unauthorized', 'Wrong or missing secret token');
      return;
    }
    next();
  };

  const handle = async (req: Request, res: Response): Promise<void> => {
    const outcome = await handleUpdate(req.body);
    if (outcome === 'invalid') {
      sendError(res, 400, 'validation_failed', 'Not a Telegram update');
      return;
    }
    res.status(200).json({ ok: true });
  };

  app.post(
    TELEGRAM_WEBHOOK_PATH,
    checkSecret,
    express.json({ limit: '256kb' }),
    handle,
    webhookErrorHandler(logger, 'telegram webhook: could not hand the update to the core'),
  );
}
