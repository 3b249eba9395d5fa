import type { Telegram } from 'telegraf';
import type { Logger } from 'pino';
import type { MessageReceiver } from '../core/types.ts';
import { telegramUpdateSchema, toIncomingMessage } from './incoming-message.ts';

/** The toast shown when a citizen presses 👍/👎. */
export const FEEDBACK_THANKS = 'Cảm ơn bạn!';

/** What happened to one update. */
export type UpdateOutcome = 'received' | 'duplicate' | 'ignored' | 'invalid';

/** Handles one raw update from the webhook or from long polling. */
export type UpdateHandler = (raw: unknown) => Promise<UpdateOutcome>;

/**
 * Validates an update, translates it and hands it to the core. Resolves once the core has
 * persisted it (so the webhook may answer 200, or polling may move its offset); rejects
 * when the core could not, so Telegram delivers the update again.
 *
 * The only wire-level reply made here is the callback-query toast, sent after the
 * feedback is persisted; if it fails (the query is too old, say) the feedback still counts.
 */
export function createUpdateHandler(deps: { telegram: Telegram; receiver: MessageReceiver; logger: Logger }): UpdateHandler {
  const { telegram, receiver, logger } = deps;
  return async (raw) => {
    const parsed = telegramUpdateSchema.safeParse(raw);
    if (!parsed.success) {
      logger.warn({ issues: parsed.error.issues.slice(0, 3) }, 'telegram: not an update');
      return 'invalid';
    }
    const update = parsed.data;
    const message = toIncomingMessage(update);
    if (!message) {
      logger.debug({ updateId: update.update_id }, 'telegram: update ignored');
      // Answer stray button presses too, or the citizen's client shows a spinner.
      if (update.callback_query) await answerQuietly(telegram, update.callback_query.id, undefined, logger);
      return 'ignored';
    }
    const { duplicate } = await receiver.receive(message);
    // A choice is answered by the message that follows; only feedback gets a toast.
    if (update.callback_query) await answerQuietly(telegram, update.callback_query.id, message.kind === 'feedback' ? FEEDBACK_THANKS : undefined, logger);
    return duplicate ? 'duplicate' : 'received';
  };
}

async function answerQuietly(telegram: Telegram, queryId: string, text: string | undefined, logger: Logger): Promise<void> {
  try {
    await telegram.answerCbQuery(queryId, text);
  } catch (err) {
    logger.warn({ err }, 'telegram: answerCallbackQuery failed');
  }
}
