import type { Logger } from 'pino';
import { Telegram, TelegramError } from 'telegraf';
import type { AdminConfig } from '../ports.ts';
import type { CoreEventEmitter } from '../../bots/core/events.ts';
import type { ChannelName } from '../../domain/channel.ts';
import type { Escalation } from '../../storage/escalation-store.ts';

const CHANNEL_LABELS: Record<ChannelName, string> = { zalo: 'Zalo', telegram: 'Telegram', webchat: 'Web chat', botframework: 'Bot Framework' };
const MAX_QUESTION_CHARS = 300;

/**
 * The console link of an escalation, when the public URL is known: its page's path, which
 * survives the sign-in redirect (older notices used `/admin/#/escalations/<id>`, which the
 * console still accepts).
 */
export function escalationLink(publicUrl: string | undefined, id: string): string | undefined {
  if (!publicUrl) return undefined;
  return `${publicUrl.replace(/\/+$/, '')}/admin/inbox/${encodeURIComponent(id)}`;
}

/** The notification text: plain (no parse mode), so the citizen's words need no escaping. */
export function notificationText(e: Escalation, publicUrl: string | undefined): string {
  const question = clip(e.question, MAX_QUESTION_CHARS);
  const link = escalationLink(publicUrl, e.id);
  return [`Câu hỏi mới cần cán bộ trả lời (${CHANNEL_LABELS[e.channel]}):`, `“${question}”`, ...(link ? [`Xem và trả lời: ${link}`] : [])].join('\n');
}

/** telegraf types its signal as the `abort-controller` polyfill's; its node-fetch takes the native one. */
type CallSignal = NonNullable<Parameters<Telegram['callApi']>[2]>['signal'];
const timeoutSignal = (ms: number) => AbortSignal.timeout(ms) as unknown as CallSignal;

const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
/** Questions listed in one batched notice (the rest are counted): stays well under Telegram's 4096 characters. */
const MAX_LISTED = 10;
const MAX_LISTED_CHARS = 150;

/** One notice for several escalations: the first few listed, the rest counted, one link to the inbox. */
export function batchText(batch: Escalation[], publicUrl: string | undefined): string {
  if (batch.length === 1) return notificationText(batch[0], publicUrl);
  const lines = batch.slice(0, MAX_LISTED).map((e) => `• (${CHANNEL_LABELS[e.channel]}) “${clip(e.question, MAX_LISTED_CHARS)}”`);
  const more = batch.length - MAX_LISTED;
  const inbox = publicUrl ? `${publicUrl.replace(/\/+$/, '')}/admin/inbox` : undefined;
  return [
    `${batch.length} câu hỏi mới cần cán bộ trả lời:`,
    ...lines,
    ...(more > 0 ? [`… và ${more} câu hỏi khác.`] : []),
    ...(inbox ? [`Xem và trả lời: ${inbox}`] : []),
  ].join('\n');
}

export interface TelegramNotifier {
  /** Resolves when notifications already started have finished. */
  idle(): Promise<void>;
  /** Stops listening; escalations still waiting for their batch are sent at once. */
  stop(): void;
}

/**
 * Tells the spokespeople's Telegram group about new escalations, via telegraf's client (the
 * one the Telegram channel uses) at `TELEGRAM_API_ROOT`: at most one message per `LOA_NOTIFY_TELEGRAM_BATCH_S`
 * seconds. The first escalation after a quiet spell is sent at once; those arriving within
 * the window are listed together in the next message, so a flood of escalations cannot
 * flood the group (or hit Telegram's limits). Off unless `LOA_NOTIFY_TELEGRAM_CHAT_ID` and
 * `TELEGRAM_BOT_TOKEN` are set. Failures are logged only: the inbox is the source of truth.
 */
export function startTelegramNotifier(
  config: Pick<AdminConfig, 'LOA_NOTIFY_TELEGRAM_CHAT_ID' | 'TELEGRAM_BOT_TOKEN' | 'TELEGRAM_API_ROOT' | 'LOA_PUBLIC_URL'> & { LOA_NOTIFY_TELEGRAM_BATCH_S?: number },
  events: CoreEventEmitter,
  logger: Logger,
  /** The Bot API client; made from the token and `TELEGRAM_API_ROOT` when absent. */
  client?: Telegram,
): TelegramNotifier | undefined {
  const chatId = config.LOA_NOTIFY_TELEGRAM_CHAT_ID;
  const token = config.TELEGRAM_BOT_TOKEN;
  if (!chatId || !token) return undefined;
  const telegram = client ?? new Telegram(token, { apiRoot: config.TELEGRAM_API_ROOT.replace(/\/+$/, ''), webhookReply: false });
  const windowMs = (config.LOA_NOTIFY_TELEGRAM_BATCH_S ?? 30) * 1000;
  const pending = new Set<Promise<void>>();
  let waiting: Escalation[] = [];
  let timer: NodeJS.Timeout | undefined;
  let lastSentAt = -Infinity;

  const send = async (batch: Escalation[]): Promise<void> => {
    const ids = batch.map((e) => e.id);
    try {
      // callApi, not sendMessage: only it takes an abort signal, and a hung API must not hold `idle()`.
      await telegram.callApi(
        'sendMessage',
        { chat_id: chatId, text: batchText(batch, config.LOA_PUBLIC_URL), link_preview_options: { is_disabled: true } },
        { signal: timeoutSignal(10_000) },
      );
    } catch (err) {
      if (err instanceof TelegramError) {
        logger.warn({ status: err.code, description: err.description, escalationIds: ids }, 'telegram notification refused');
      } else {
        logger.warn({ err, escalationIds: ids }, 'telegram notification failed');
      }
    }
  };

  const flush = () => {
    timer = undefined;
    if (waiting.length === 0) return;
    const batch = waiting;
    waiting = [];
    lastSentAt = Date.now();
    const p = send(batch).finally(() => pending.delete(p));
    pending.add(p);
  };

  const off = events.on('escalation.created', (e) => {
    waiting.push(e);
    if (timer) return;
    // The first after a quiet window goes out on the next tick (with whatever arrives in the same tick).
    timer = setTimeout(flush, Math.max(0, lastSentAt + windowMs - Date.now()));
    timer.unref();
  });
  logger.info({ chatId, batchSeconds: windowMs / 1000 }, 'new escalations are announced on Telegram');
  return {
    idle: async () => {
      await Promise.all([...pending]);
    },
    stop: () => {
      off();
      if (timer) clearTimeout(timer);
      flush();
    },
  };
}
