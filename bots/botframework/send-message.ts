import { ActionTypes, CardFactory, type Activity, type Attachment, type CloudAdapter, type ConversationReference } from 'botbuilder';
import { z } from 'zod';
import { actionsAsTyped, renderMessage } from '../core/format.ts';
import { ChannelSendError, type ChannelSender } from '../core/types.ts';
import type { OutgoingAction, OutgoingMessage, Recipient } from '../../domain/channel.ts';

/** Stays under the 4096 characters Teams and Web Chat handle comfortably in one message. */
export const BOTFRAMEWORK_MAX_CHARS = 4000;

export const FEEDBACK_QUESTION = 'Câu trả lời có hữu ích không?';
export const FEEDBACK_BUTTONS = { up: '👍 Hữu ích', down: '👎 Chưa hữu ích' } as const;

/** The fields of a stored conversation reference that continuing the conversation needs. */
const storedReference = z.looseObject({
  serviceUrl: z.url({ protocol: /^https?$/ }),
  channelId: z.string().min(1),
  conversation: z.looseObject({ id: z.string().min(1) }),
});
const referenceSchema = z.custom<Partial<ConversationReference>>((v) => storedReference.safeParse(v).success);

/**
 * The 👍/👎 card under an answer. `messageBack` brings `{fb, v}` back as the activity's
 * `value`; channels that downgrade it to `imBack` send the emoji as text instead, which
 * the core's feedback keywords understand.
 */
export function feedbackCard(answerId: string): Attachment {
  const button = (value: 'up' | 'down') => ({
    type: ActionTypes.MessageBack,
    title: FEEDBACK_BUTTONS[value],
    value: { fb: answerId, v: value },
    text: value === 'up' ? '👍' : '👎',
    displayText: FEEDBACK_BUTTONS[value],
  });
  return CardFactory.heroCard('', undefined, [button('up'), button('down')], { text: FEEDBACK_QUESTION });
}

/**
 * A message's actions as suggested actions (buttons above the composer that go away once one
 * is pressed). `messageBack` brings `{a: id}` back as the activity's `value`; a channel that
 * downgrades it to `imBack` sends the typed form instead ("2", "xem thêm"), which the core
 * reads the same way.
 */
export function suggestedActions(actions: readonly OutgoingAction[], userId: string): Activity['suggestedActions'] | undefined {
  if (!actions.length) return undefined;
  const { typed } = actionsAsTyped(actions);
  return {
    to: [userId],
    actions: actions.map((a, i) => ({ type: ActionTypes.MessageBack, title: a.label, value: { a: a.id }, text: typed[i], displayText: a.label })),
  };
}

/**
 * One rendered part as an activity. Sent as markdown so that links in the footnotes are
 * clickable; a line break needs two trailing spaces there, or the footnotes run together.
 */
function messageActivity(text: string, attachment: Attachment | undefined, suggested?: Activity['suggestedActions']): Partial<Activity> {
  return {
    type: 'message',
    textFormat: 'markdown',
    text: text.replace(/\n/g, '  \n'),
    ...(attachment ? { attachments: [attachment] } : {}),
    ...(suggested ? { suggestedActions: suggested } : {}),
  };
}

function retryAfterMs(err: object): number | undefined {
  if (!('response' in err) || typeof err.response !== 'object' || err.response === null) return undefined;
  const headers = 'headers' in err.response ? err.response.headers : undefined;
  if (typeof headers !== 'object' || headers === null || !('get' in headers) || typeof headers.get !== 'function') return undefined;
  const value: unknown = headers.get('retry-after');
  const seconds = typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

/**
 * Maps a connector failure to the outbox's terms. The SDK has already retried 5xx,
 * network errors and 429 with `Retry-After` a few times by itself (about 5 s in all);
 * what remains: 408/429/5xx and network errors are retryable, 400/401/403/404 are not.
 */
export function toChannelSendError(err: unknown): ChannelSendError {
  const message = err instanceof Error ? err.message : String(err);
  const status = typeof err === 'object' && err !== null && 'statusCode' in err && typeof err.statusCode === 'number' ? err.statusCode : undefined;
  if (status === undefined) return new ChannelSendError(`botframework: ${message}`, true, 'network');
  const retryable = status === 408 || status === 429 || status >= 500;
  const after = status === 429 && typeof err === 'object' && err !== null ? retryAfterMs(err) : undefined;
  return new ChannelSendError(`botframework: ${status} ${message}`, retryable, status, after);
}

/**
 * The Bot Framework `ChannelSender`: writes to a conversation proactively
 * (`continueConversationAsync`) from the stored conversation reference. Plain text split
 * at sentence boundaries into messages of at most 4000 characters; the feedback card (on
 * answers) and the suggested actions go with the last part.
 */
export function createBotFrameworkSender(adapter: CloudAdapter, appId: string): ChannelSender {
  return {
    channel: 'botframework',
    async send(to: Recipient, message: OutgoingMessage) {
      const reference = referenceSchema.safeParse(to.address);
      if (to.channel !== 'botframework' || !reference.success) {
        throw new ChannelSendError('botframework: recipient has no conversation reference', false, 'bad_address');
      }
      const parts = renderMessage(message, { maxChars: BOTFRAMEWORK_MAX_CHARS, markup: 'plain' });
      if (parts.length === 0) throw new ChannelSendError('botframework: empty message', false, 'empty');
      const card = message.kind === 'answer' && message.answerId ? feedbackCard(message.answerId) : undefined;
      const suggested = suggestedActions(message.actions ?? [], to.userId);
      const ids: string[] = [];
      try {
        await adapter.continueConversationAsync(appId, reference.data, async (turn) => {
          for (const [i, part] of parts.entries()) {
            const last = i === parts.length - 1;
            const sent = await turn.sendActivity(messageActivity(part, last ? card : undefined, last ? suggested : undefined));
            ids.push(sent?.id ?? '');
          }
        });
      } catch (err) {
        throw toChannelSendError(err);
      }
      return { channelMessageIds: ids };
    },
  };
}
