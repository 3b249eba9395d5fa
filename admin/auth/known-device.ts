import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readCookie, SESSION_COOKIE_PATH } from './cookies.ts';

/** Name of the cookie a browser gets after signing in: proof it has signed in to this account before. */
export const DEVICE_COOKIE = 'loa_device';
/** Its name over HTTPS (`__Secure-`: browsers accept it only with `Secure`). */
export const SECURE_DEVICE_COOKIE = '__Secure-loa_device';
/** How long a browser stays known without signing in again. */
export const DEVICE_COOKIE_DAYS = 90;

/**
 * Known devices: a signed cookie naming the account (by a keyed hash of its email) and a
 * random device id. A browser that carries one for the email being typed is not subject to
 * the per-address and per-account lockouts (see LoginThrottle), so an attacker who knows the
 * email cannot lock its owner out of their usual browser.
 */
export class KnownDevices {
  constructor(
    private readonly key: Buffer,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** The device id when the request's cookie is valid for `email`. */
  read(cookieHeader: string | undefined, email: string): string | undefined {
    const value = readCookie(cookieHeader, SECURE_DEVICE_COOKIE) ?? readCookie(cookieHeader, DEVICE_COOKIE);
    const parts = value?.split('.');
    if (!parts || parts.length !== 4 || parts[0] !== 'v1') return undefined;
    const [, expires, device] = parts;
    if (!/^\d{1,12}$/.test(expires) || Number(expires) * 1000 < this.clock().getTime()) return undefined;
    const expected = Buffer.from(this.mac(email, expires, device));
    const given = Buffer.from(parts[3]);
    return given.length === expected.length && timingSafeEqual(given, expected) ? device : undefined;
  }

  /** A `Set-Cookie` value that makes this browser known for `email` (keeps its device id if it had one). */
  cookie(email: string, opts: { secure: boolean; device?: string }): string {
    const device = opts.device ?? randomBytes(12).toString('base64url');
    const maxAgeS = DEVICE_COOKIE_DAYS * 86_400;
    const expires = String(Math.floor(this.clock().getTime() / 1000) + maxAgeS);
    const value = ['v1', expires, device, this.mac(email, expires, device)].join('.');
    const parts = [`${opts.secure ? SECURE_DEVICE_COOKIE : DEVICE_COOKIE}=${value}`, `Path=${SESSION_COOKIE_PATH}/login`, `Max-Age=${maxAgeS}`, 'HttpOnly', 'SameSite=Strict'];
    if (opts.secure) parts.push('Secure');
    return parts.join('; ');
  }

  private mac(email: string, expires: string, device: string): string {
    return createHmac('sha256', this.key).update(`${email}\n${expires}\n${device}`).digest('base64url');
  }
}
