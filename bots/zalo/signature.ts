import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Zalo signs each webhook event with a plain SHA-256 (not an HMAC) of
 * `app_id + rawBody + timestamp + OA secret key`, sent as `X-ZEvent-Signature: mac=<hex>`.
 * `app_id` and `timestamp` are the strings found in the body; `rawBody` is the exact bytes
 * received, so verification must run on the raw buffer, never on re-serialised JSON.
 */
export const ZALO_SIGNATURE_HEADER = 'x-zevent-signature';

/** Hex SHA-256 of `appId + rawBody + timestamp + oaSecretKey` (without the `mac=` prefix). */
export function computeZaloSignature(appId: string, rawBody: Buffer, timestamp: string, oaSecretKey: string): string {
  return createHash('sha256')
    .update(appId, 'utf8')
    .update(rawBody)
    .update(timestamp, 'utf8')
    .update(oaSecretKey, 'utf8')
    .digest('hex');
}

/**
 * True when `header` carries the right signature. Accepts the value with or without the
 * `mac=` prefix (some senders omit it) and in either hex case; compares in constant time.
 */
export function verifyZaloSignature(
  header: string | undefined,
  appId: string,
  rawBody: Buffer,
  timestamp: string,
  oaSecretKey: string,
): boolean {
  if (!header) return false;
  const given = header.trim().replace(/^mac=/i, '').toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(given)) return false;
  const expected = computeZaloSignature(appId, rawBody, timestamp, oaSecretKey);
  return timingSafeEqual(Buffer.from(given, 'hex'), Buffer.from(expected, 'hex'));
}
