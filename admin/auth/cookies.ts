/** Name of the console session cookie. */
export const SESSION_COOKIE = 'loa_session';
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

/**
 * The session cookie: HTTP-only (scripts cannot read it), SameSite=Strict (other sites'
 * pages cannot send it), Secure over HTTPS. `maxAgeS` 0 deletes it.
 */
export function sessionCookie(value: string, opts: { maxAgeS: number; secure: boolean }): string {
  const parts = [
    `${SESSION_COOKIE}=${encodeURIComponent(value)}`,
    `Path=${SESSION_COOKIE_PATH}`,
    `Max-Age=${Math.max(0, Math.floor(opts.maxAgeS))}`,
    'HttpOnly',
    'SameSite=Strict',
  ];
  if (opts.secure) parts.push('Secure');
  return parts.join('; ');
}
