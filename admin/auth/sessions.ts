import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SessionStore, StaffSession, UserStore } from '../ports.ts';
import type { StaffUser } from '../../domain/roles.ts';

/** How long sessions live. */
export interface SessionPolicy {
  /** Ends after this long without a request. */
  idleMs: number;
  /** Ends this long after login, whatever the activity. */
  maxMs: number;
}

/** A session as a request sees it. */
export interface ActiveSession {
  /** The raw id from the cookie (never stored). */
  id: string;
  idHash: string;
  user: StaffUser;
  csrfToken: string;
  expiresAt: string;
}

/** Writing `last_seen_at` on every request is wasted I/O: a minute's precision is plenty for an 8-hour idle limit. */
const TOUCH_EVERY_MS = 60_000;

export const hashSessionId = (id: string): string => createHash('sha256').update(id).digest('hex');

/**
 * The CSRF token of a session: derived from the session id, so it needs no storage and
 * changes with every login. A page on another site knows neither.
 */
export const csrfTokenFor = (sessionId: string): string => createHmac('sha256', sessionId).update('loa-csrf-v1').digest('base64url');

/** Constant-time string comparison. */
export function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Console sessions: a random 32-byte id in the cookie, its SHA-256 in the store, idle and
 * absolute expiry, and the user re-read on every request (so disabling an account or
 * changing a role takes effect at once).
 */
export class StaffSessions {
  constructor(
    private readonly store: SessionStore,
    private readonly users: UserStore,
    readonly policy: SessionPolicy,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** A new session (always a new id: a session id known before login is useless after it). */
  async create(user: StaffUser): Promise<ActiveSession> {
    const id = randomBytes(32).toString('base64url');
    const idHash = hashSessionId(id);
    const now = this.clock();
    const expiresAt = new Date(now.getTime() + this.policy.maxMs).toISOString();
    const stored = await this.store.create({ idHash, userId: user.id, expiresAt }, now);
    return { id, idHash, user, csrfToken: csrfTokenFor(id), expiresAt: this.expiresAt(stored, now) };
  }

  /**
   * The live session for a cookie value, or undefined (expired ones are deleted on sight).
   * `touch: false` checks without counting as activity (e.g. for a long-lived event stream).
   */
  async resolve(id: string | undefined, opts: { touch?: boolean } = {}): Promise<ActiveSession | undefined> {
    // Ids we issue are 43 base64url characters; anything else is not worth a lookup.
    if (!id || !/^[A-Za-z0-9_-]{43}$/.test(id)) return undefined;
    const idHash = hashSessionId(id);
    const session = await this.store.get(idHash);
    if (!session) return undefined;
    const now = this.clock();
    if (this.expired(session, now)) {
      await this.store.delete(idHash);
      return undefined;
    }
    const user = await this.users.get(session.userId);
    if (!user || user.disabled) return undefined;
    if (opts.touch !== false && now.getTime() - Date.parse(session.lastSeenAt) >= TOUCH_EVERY_MS) await this.store.touch(idHash, now);
    return { id, idHash, user, csrfToken: csrfTokenFor(id), expiresAt: this.expiresAt(session, now) };
  }

  /** Logout. */
  async destroy(idHash: string): Promise<void> {
    await this.store.delete(idHash);
  }

  /** Ends a user's sessions (except one), e.g. after a password change or when disabled. */
  async endForUser(userId: string, keepIdHash?: string): Promise<number> {
    return this.store.deleteForUser(userId, keepIdHash);
  }

  /** A user's live sessions, most recently used first. */
  async listForUser(userId: string): Promise<StaffSession[]> {
    const now = this.clock();
    return (await this.store.listForUser(userId)).filter((s) => !this.expired(s, now));
  }

  /** Removes expired sessions from the store. */
  async sweep(): Promise<number> {
    const now = this.clock();
    return this.store.deleteExpired(new Date(now.getTime() - this.policy.idleMs), now);
  }

  private expired(session: StaffSession, now: Date): boolean {
    return now.getTime() >= Date.parse(session.expiresAt) || now.getTime() - Date.parse(session.lastSeenAt) >= this.policy.idleMs;
  }

  /** Whichever comes first: the absolute end, or the idle end counted from now. */
  private expiresAt(session: StaffSession, now: Date): string {
    return new Date(Math.min(Date.parse(session.expiresAt), now.getTime() + this.policy.idleMs)).toISOString();
  }
}
