/**
 * A signed-in staff member's session. Only the SHA-256 of the session id is stored, so a
 * leaked database does not hand out live sessions.
 */
export interface StaffSession {
  /** Hex SHA-256 of the cookie value. */
  idHash: string;
  userId: string;
  createdAt: string;
  lastSeenAt: string;
  /** Absolute end of the session, whatever the activity. */
  expiresAt: string;
}

/** Console sessions, server side. */
export interface SessionStore {
  create(session: { idHash: string; userId: string; expiresAt: string }, now: Date): Promise<StaffSession>;
  get(idHash: string): Promise<StaffSession | undefined>;
  /** Marks activity (idle expiry counts from here). */
  touch(idHash: string, now: Date): Promise<void>;
  delete(idHash: string): Promise<boolean>;
  /** Ends every session of a user except `keepIdHash` (after a password change, disabling …). */
  deleteForUser(userId: string, keepIdHash?: string): Promise<number>;
  /** A user's sessions, most recently used first (expired ones included until swept). */
  listForUser(userId: string): Promise<StaffSession[]>;
  /** Removes sessions idle since `idleBefore` or past their absolute expiry at `now`. */
  deleteExpired(idleBefore: Date, now: Date): Promise<number>;
}
