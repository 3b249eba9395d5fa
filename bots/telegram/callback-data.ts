import { createHash } from 'node:crypto';

/**
 * The `callback_data` of the 👍/👎 buttons under an answer: `fb:<answerId>:up|down`.
 *
 * Telegram limits callback data to 64 bytes, so an answer id longer than 56 bytes is
 * replaced by `~` + 22 base64url characters of its SHA-256 (132 bits). The feedback that
 * comes back then carries that short form as `answerId`; `callbackAnswerId()` computes it,
 * so whoever stores answers can match it. UUIDs (36 bytes) never need shortening.
 */
export const CALLBACK_DATA_MAX_BYTES = 64;

const PREFIX = 'fb:';
/** `fb:` plus the longest suffix `:down`. */
const MAX_ID_BYTES = CALLBACK_DATA_MAX_BYTES - PREFIX.length - ':down'.length;

/** The answer id as it appears in callback data: unchanged, or its short hash form. */
export function callbackAnswerId(answerId: string): string {
  if (Buffer.byteLength(answerId, 'utf8') <= MAX_ID_BYTES) return answerId;
  return `~${createHash('sha256').update(answerId).digest('base64url').slice(0, 22)}`;
}

/** Callback data for one feedback button; always within Telegram's 64 bytes. */
export function feedbackCallbackData(answerId: string, value: 'up' | 'down'): string {
  return `${PREFIX}${callbackAnswerId(answerId)}:${value}`;
}

/** Reads `fb:<answerId>:up|down`; anything else is not feedback. */
export function parseFeedbackCallbackData(data: string): { answerId: string; value: 'up' | 'down' } | undefined {
  const match = /^fb:(.+):(up|down)$/s.exec(data);
  if (!match) return undefined;
  return { answerId: match[1], value: match[2] === 'up' ? 'up' : 'down' };
}

const ACTION_PREFIX = 'a:';

/**
 * Callback data for one of Loa's action buttons (a clarify option, "Xem thêm" …): `a:<id>`.
 * Undefined when the id would not fit in 64 bytes; the core's ids (`<uuid>:<n>`, 38 bytes) always fit.
 */
export function actionCallbackData(actionId: string): string | undefined {
  const data = `${ACTION_PREFIX}${actionId}`;
  return Buffer.byteLength(data, 'utf8') <= CALLBACK_DATA_MAX_BYTES ? data : undefined;
}

/** Reads `a:<id>`; anything else is not an action. */
export function parseActionCallbackData(data: string): { id: string } | undefined {
  return data.startsWith(ACTION_PREFIX) && data.length > ACTION_PREFIX.length ? { id: data.slice(ACTION_PREFIX.length) } : undefined;
}
