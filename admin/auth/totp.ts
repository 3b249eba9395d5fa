import { Secret, TOTP } from 'otpauth';

/** The issuer name shown in authenticator apps. */
const ISSUER = 'Loa';

/** RFC 6238 defaults (SHA-1, 6 digits, 30 s), which every authenticator app reads. */
const totpFor = (secret: string, email: string) => new TOTP({ issuer: ISSUER, label: email, secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 });

/** A new random secret (160 bits, base32) and the `otpauth://` URI to put in an authenticator app. */
export function newTotpSecret(email: string): { secret: string; uri: string } {
  const secret = new Secret({ size: 20 }).base32;
  return { secret, uri: totpFor(secret, email).toString() };
}

/** A well-formed base32 secret of at least 128 bits (what `newTotpSecret` makes). */
export const isTotpSecret = (s: string): boolean => /^[A-Z2-7]{26,64}$/.test(s);

/**
 * Whether `code` is the current one-time code for `secret` (or the one just before or after,
 * for clock drift). Returns the time step it matched, so a caller can refuse a replay.
 */
export function checkTotp(secret: string, email: string, code: string, now: Date = new Date()): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const totp = totpFor(secret, email);
  const delta = totp.validate({ token: code, timestamp: now.getTime(), window: 1 });
  return delta === null ? undefined : Math.floor(now.getTime() / 30_000) + delta;
}

/** The current code (tests, and nothing else). */
export const currentTotp = (secret: string, email: string, now: Date = new Date()): string => totpFor(secret, email).generate({ timestamp: now.getTime() });
