import { setTimeout as sleep } from 'node:timers/promises';
import { TelegramError, type Telegram } from 'telegraf';
import { z } from 'zod';
import type { Logger } from 'pino';
import type { UpdateHandler } from './receive-update.ts';

/** Update types Loa acts on; Telegram then does not even send the others. */
export const ALLOWED_UPDATES = ['message', 'callback_query'] as const;

export interface PollingOptions {
  /** Long-poll timeout in seconds (Telegram holds `getUpdates` open this long). */
  timeoutS?: number;
  /** Pause after a failed `getUpdates` or a failed hand-over to the core. */
  retryDelayMs?: number;
}

/** A running long-polling loop. */
export interface Poller {
  /** Stops polling, waits for the update in hand, and confirms the offset to Telegram. */
  stop(): Promise<void>;
}

type CallOptions = NonNullable<Parameters<Telegram['callApi']>[2]>;

const updateIdSchema = z.object({ update_id: z.number().int() });

/**
 * Long polling for a machine without a public URL. Deletes any webhook first (Telegram
 * refuses `getUpdates` while one is set), then fetches updates and hands them to the core
 * one at a time, in order. Loa's own loop rather than telegraf's `launch()`, which moves
 * the offset past a batch even when handling it failed, then stops: here a failed
 * hand-over is retried from the same update, so nothing is lost while the database is
 * briefly unavailable.
 */
export async function startPolling(
  deps: { telegram: Telegram; handleUpdate: UpdateHandler; logger: Logger },
  options: PollingOptions = {},
): Promise<Poller> {
  const { telegram, handleUpdate, logger } = deps;
  const timeoutS = options.timeoutS ?? 50;
  const retryDelayMs = options.retryDelayMs ?? 5000;
  const abort = new AbortController();
  // telegraf types the signal with its `abort-controller` polyfill; node-fetch accepts the native one.
  const callOptions = { signal: abort.signal } as unknown as CallOptions;
  let offset = 0;

  await telegram.deleteWebhook({ drop_pending_updates: false });

  const pause = async (ms: number): Promise<void> => {
    await sleep(ms, undefined, { signal: abort.signal }).catch(() => undefined);
  };

  const loop = async (): Promise<void> => {
    while (!abort.signal.aborted) {
      let updates: unknown[];
      try {
        updates = await telegram.callApi('getUpdates', { offset, timeout: timeoutS, allowed_updates: [...ALLOWED_UPDATES] }, callOptions);
      } catch (err) {
        if (abort.signal.aborted) return;
        if (err instanceof TelegramError && (err.code === 401 || err.code === 409)) {
          // Bad token, or another process polls / a webhook was set again: retrying cannot help.
          logger.error({ err }, 'telegram polling stopped');
          return;
        }
        const retryAfterS = err instanceof TelegramError ? err.parameters?.retry_after : undefined;
        logger.warn({ err }, 'telegram polling: getUpdates failed, retrying');
        await pause(retryAfterS ? retryAfterS * 1000 : retryDelayMs);
        continue;
      }
      for (const update of updates) {
        if (abort.signal.aborted) return;
        const updateId = updateIdSchema.safeParse(update).data?.update_id;
        try {
          await handleUpdate(update);
        } catch (err) {
          logger.error({ err, updateId }, 'telegram polling: core did not take the update, retrying');
          await pause(retryDelayMs);
          break; // fetch again from the same offset
        }
        if (updateId !== undefined) offset = updateId + 1;
      }
    }
  };

  const running = loop();
  logger.info('telegram: long polling started');

  return {
    async stop() {
      abort.abort();
      await running;
      // getUpdates with a higher offset is what tells Telegram the earlier updates are done.
      if (offset > 0) {
        await telegram.callApi('getUpdates', { offset, limit: 1, timeout: 0 }).catch((err: unknown) => {
          logger.warn({ err }, 'telegram polling: could not confirm the last offset');
        });
      }
      logger.info('telegram: long polling stopped');
    },
  };
}
