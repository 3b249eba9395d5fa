import type { Logger } from 'pino';
import type { Config } from '../../app/config.ts';
import type { CoreEventEmitter } from '../../bots/core/events.ts';
import type { ChannelName } from '../../bots/core/types.ts';
import type { Escalation } from '../../storage/escalation-store.ts';

const CHANNEL_LABELS: Record<ChannelName, string> = { zalo: 'Zalo', telegram: 'Telegram', webchat: 'Web chat', botframework: 'Bot Framework' };
const MAX_QUESTION_CHARS = 300;

/** The console link of an escalation, when the public URL is known. */
export function escalationLink(publicUrl: string | undefined, id: string): string | undefined {
  if (!publicUrl) return undefined;
  return `${publicUrl.replace(/\/+$/, '')}/admin/#/escalations/${encodeURIComponent(id)}`;
}

/** The notification text: plain (no parse mode), so the citizen's words need no escaping. */
export function notificationText(e: Escalation, publicUrl: string | undefined): string {
  const question = e.question.length > MAX_QUESTION_CHARS ? `${e.question.slice(0, MAX_QUESTION_CHARS - 1)}…` : e.question;
  const link = escalationLink(publicUrl, e.id);
  return [`Câu hỏi mới cần cán bộ trả lời (${CHANNEL_LABELS[e.channel]}):`, `“${question}”`, ...(link ? [`Xem và trả lời: ${link}`] : [])].join('\n');
}

export interface TelegramNotifier {
  /** Resolves when notifications already started have finished. */
  idle(): Promise<void>;
  stop(): void;
}

/**
 * Tells the spokespeople's Telegram group about each new escalation, via the Bot API's
 * `sendMessage` at `TELEGRAM_API_ROOT`. Off unless `LOA_NOTIFY_TELEGRAM_CHAT_ID` and
 * `TELEGRAM_BOT_TOKEN` are set. Failures are logged only: the inbox is the source of truth.
 */
export function startTelegramNotifier(
  config: Pick<Config, 'LOA_NOTIFY_TELEGRAM_CHAT_ID' | 'TELEGRAM_BOT_TOKEN' | 'TELEGRAM_API_ROOT' | 'LOA_PUBLIC_URL'>,
  events: CoreEventEmitter,
  logger: Logger,
): TelegramNotifier | undefined {
  const chatId = config.LOA_NOTIFY_TELEGRAM_CHAT_ID;
  const token = config.TELEGRAM_BOT_TOKEN;
  if (!chatId || !token) return undefined;
  const endpoint = `${config.TELEGRAM_API_ROOT.replace(/\/+$/, '')}/bot${token}/sendMessage`;
  const pending = new Set<Promise<void>>();

  const send = async (e: Escalation): Promise<void> => {
    try {
      const res = await fetch(endpoint, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ chat_id: chatId, text: notificationText(e, config.LOA_PUBLIC_URL), link_preview_options: { is_disabled: true } }),
        signal: AbortSignal.timeout(10_000),
      });
      if (!res.ok) {
        const body = (await res.json().catch(() => ({}))) as { description?: string };
        logger.warn({ status: res.status, description: body.description, escalationId: e.id }, 'telegram notification refused');
      }
    } catch (err) {
      logger.warn({ err, escalationId: e.id }, 'telegram notification failed');
    }
  };

  const off = events.on('escalation.created', (e) => {
    const p = send(e).finally(() => pending.delete(p));
    pending.add(p);
  });
  logger.info({ chatId }, 'new escalations are announced on Telegram');
  return {
    idle: async () => {
      await Promise.all([...pending]);
    },
    stop: off,
  };
}
