/** Name of the console session cookie over plain HTTP (local development). */
export const SESSION_COOKIE = 'loa_session';
/**
 * Its name over HTTPS: the `__Host-` prefix makes browsers accept it only with `Secure`,
 * `Path=/` and no `Domain`, so a sibling subdomain (or a plain-HTTP page on the same host)
 * cannot plant or overwrite the session cookie.
 */
export const SECURE_SESSION_COOKIE = '__Host-loa_session';
/** The cookie is only sent to the console API (the UI's static files need no session). */
export const SESSION_COOKIE_PATH = '/api/admin';

/** Reads one cookie from a `Cookie` header (no dependency for a single value). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    try {
      return decodeURIComponent(value);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The session id a request carries: the `__Host-` cookie first, then the plain one. */
export function readSessionCookie(header: string | undefined): string | undefined {
  return readCookie(header, SECURE_SESSION_COOKIE) ?? readCookie(header, SESSION_COOKIE);
}

/**
 * The session cookie: HTTP-only (scripts cannot read it), SameSite=Strict (other sites'
 * pages cannot send it). Over HTTPS it is `__Host-loa_session` (Secure, Path=/); over plain
 * HTTP `loa_session`, sent only to the console API. `maxAgeS` 0 deletes it.
 */
export function sessionCookie(value: string, opts: { maxAgeS: number; secure: boolean }): string {
  const parts = [
    `${opts.secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE}=${encodeURIComponent(value)}`,
    `Path=${opts.secure ? '/' : SESSION_COOKIE_PATH}`,
    `Max-Age=${Math.max(0, Math.floor(opts.maxAgeS))}`,
    'HttpOnly',
    'SameSite=Strict',
  ];
  if (opts.secure) parts.push('Secure');
  return parts.join('; ');
}
