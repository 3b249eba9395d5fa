import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/**
 * A simple challenge for a source that floods the public page: a sum to type, signed with a
 * server key so any instance can check it without storing anything. Valid for 10 minutes.
 */
export interface Challenge {
  question: string;
  token: string;
}

const TTL_MS = 10 * 60_000;
const DIGITS = ['không', 'một', 'hai', 'ba', 'bốn', 'năm', 'sáu', 'bảy', 'tám', 'chín'];

function sign(key: Buffer, answer: number, expires: number, nonce: string): string {
  return createHmac('sha256', key).update(`${answer}|${expires}|${nonce}`).digest('base64url');
}

/** A new sum, with the numbers in words so a naive script cannot read them off the page. */
export function newChallenge(key: Buffer, now: Date): Challenge {
  const a = randomInt(1, 10);
  const b = randomInt(1, 10);
  const expires = now.getTime() + TTL_MS;
  const nonce = randomBytes(8).toString('base64url');
  return { question: `${DIGITS[a]} cộng ${DIGITS[b]} bằng mấy?`, token: `${expires}.${nonce}.${sign(key, a + b, expires, nonce)}` };
}

/** True when `answer` solves the challenge of `token` and it has not expired. */
export function checkChallenge(key: Buffer, token: string | undefined, answer: string | undefined, now: Date): boolean {
  if (!token || !answer || !/^\d{1,3}$/.test(answer.trim())) return false;
  const [expiresText, nonce, mac] = token.split('.');
  const expires = Number(expiresText);
  if (!nonce || !mac || !Number.isFinite(expires) || expires < now.getTime()) return false;
  const want = Buffer.from(sign(key, Number(answer.trim()), expires, nonce));
  const got = Buffer.from(mac);
  return want.length === got.length && timingSafeEqual(want, got);
}
