import { setTimeout as sleep } from 'node:timers/promises';
import { TelegramError, type Telegram } from 'telegraf';
import { z } from 'zod';
import type { Logger } from 'pino';
import type { ChannelHealth } from '../core/types.ts';
import type { UpdateHandler } from './receive-update.ts';

/** Update types Loa acts on; Telegram then does not even send the others. */
export const ALLOWED_UPDATES = ['message', 'callback_query'] as const;

export interface PollingOptions {
  /** Long-poll timeout in seconds (Telegram holds `getUpdates` open this long). */
  timeoutS?: number;
  /** Pause after a failed `getUpdates` or a failed hand-over to the core; doubles on each further failure. */
  retryDelayMs?: number;
  /** The longest pause between attempts (default 60 s). */
  maxRetryDelayMs?: number;
}

/** A running long-polling loop. */
export interface Poller {
  /** `degraded` while `getUpdates` keeps failing (bad token, 409 conflict, network). */
  health(): ChannelHealth;
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
 * briefly unavailable. No error stops the loop for good: a 409 (a webhook was set again, or
 * another process polls) or a 401 is retried with a growing pause and reported as degraded
 * by `health()` until `getUpdates` works again.
 */
export async function startPolling(
  deps: { telegram: Telegram; handleUpdate: UpdateHandler; logger: Logger },
  options: PollingOptions = {},
): Promise<Poller> {
  const { telegram, handleUpdate, logger } = deps;
  const timeoutS = options.timeoutS ?? 50;
  const retryDelayMs = options.retryDelayMs ?? 5000;
  const maxRetryDelayMs = options.maxRetryDelayMs ?? 60_000;
  let failures = 0;
  let health: ChannelHealth = { status: 'ok' };
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
        failures += 1;
        const code = err instanceof TelegramError ? err.code : undefined;
        health = { status: 'degraded', detail: `getUpdates: ${code ?? (err instanceof Error ? err.message : String(err))}`.slice(0, 200) };
        const retryAfterS = err instanceof TelegramError ? err.parameters?.retry_after : undefined;
        const delay = retryAfterS ? retryAfterS * 1000 : Math.min(maxRetryDelayMs, retryDelayMs * 2 ** Math.min(failures - 1, 16));
        // 401 and 409 need an operator (bad token; a webhook set again or a second poller): say so loudly.
        const level = code === 401 || code === 409 ? 'error' : 'warn';
        logger[level]({ err, failures, retryInMs: delay }, 'telegram polling: getUpdates failed, retrying');
        if (code === 409 && err instanceof TelegramError && /webhook/i.test(err.description)) {
          await telegram.deleteWebhook({ drop_pending_updates: false }).catch(() => undefined);
        }
        await pause(delay);
        continue;
      }
      if (failures > 0) logger.info({ failures }, 'telegram polling: getUpdates works again');
      failures = 0;
      health = { status: 'ok' };
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
    health: () => health,
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
