import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { WebchatSession, WebchatStore } from './ports.ts';

/** A new random session id (`ws_` + 24 base64url characters). */
export function newSessionId(): string {
  return `ws_${randomBytes(18).toString('base64url')}`;
}

/** A new random bearer token (256 bits). Only its hash is stored. */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** The token from `Authorization: Bearer <token>`, if the header has that form. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S{1,200})\s*$/i.exec(header ?? '');
  return match?.[1];
}

/**
 * The session, when `token` is its token. Hashes are compared in constant time, and an
 * unknown session and a wrong token are indistinguishable to the caller.
 */
export async function authenticateSession(
  store: WebchatStore,
  sessionId: string,
  token: string | undefined,
): Promise<WebchatSession | undefined> {
  if (!token) return undefined;
  const session = await store.getSession(sessionId);
  if (!session) return undefined;
  const expected = Buffer.from(session.tokenHash, 'hex');
  const given = Buffer.from(hashToken(token), 'hex');
  return expected.length === given.length && timingSafeEqual(expected, given) ? session : undefined;
}
