/**
 * One-time recovery codes of the console's second factor (a lost phone is not a lockout).
 * Only hashes are stored; a code is spent by deleting its row, so it works once even when
 * two requests (or two instances) use it at the same moment.
 */
export interface RecoveryCodeStore {
  /** Replaces all of a user's codes with these hashes (a new set makes the old one useless). */
  replace(userId: string, codeHashes: string[], now: Date): Promise<void>;
  /** Spends one code: true when `codeHash` was one of the user's unused codes. Atomic. */
  consume(userId: string, codeHash: string): Promise<boolean>;
  /** Unused codes left. */
  count(userId: string): Promise<number>;
  /** Removes all of a user's codes (second factor turned off or reset); returns how many. */
  deleteForUser(userId: string): Promise<number>;
}
