import type { Role, StaffUser } from '../domain/roles.ts';

/** A staff account with what only the login code may see. */
export interface StaffCredentials {
  user: StaffUser;
  /** Self-describing hash, e.g. `scrypt$32768$8$1$<salt>$<hash>`; never plaintext. */
  passwordHash: string;
  /** Wrong passwords since the last success or lockout. */
  failedLogins: number;
  /** ISO time until which every login is refused, when locked. */
  lockedUntil?: string;
  /** Base32 TOTP secret, when the second factor is on. */
  totpSecret?: string;
}

/** How every backend stores and looks up an email: trimmed and lower-cased, so comparisons ignore case. */
export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

export interface NewStaffUser {
  /** Stored lower-cased: emails are compared case-insensitively. */
  email: string;
  name: string;
  role: Role;
  passwordHash: string;
  /** A generated or administrator-set password: to be replaced at the next sign-in. */
  mustChangePassword?: boolean;
}

export interface StaffUserPatch {
  name?: string;
  role?: Role;
  disabled?: boolean;
}

/** What a wrong password did to the account. */
export interface LoginFailureOutcome {
  failedLogins: number;
  /** Set when this failure locked the account. */
  lockedUntil?: string;
}

/** Thrown by `create` when the email is taken. */
export class DuplicateEmailError extends Error {
  constructor(readonly email: string) {
    super(`A staff account with email ${email} already exists`);
    this.name = 'DuplicateEmailError';
  }
}

/** Staff accounts of the console. Lockout counters change atomically. */
export interface UserStore {
  /** Throws `DuplicateEmailError` when the email is taken. */
  create(input: NewStaffUser, now: Date): Promise<StaffUser>;
  get(id: string): Promise<StaffUser | undefined>;
  getByEmail(email: string): Promise<StaffUser | undefined>;
  /** For login only. */
  credentials(email: string): Promise<StaffCredentials | undefined>;
  credentialsById(id: string): Promise<StaffCredentials | undefined>;
  /** Oldest first. */
  list(): Promise<StaffUser[]>;
  update(id: string, patch: StaffUserPatch, now: Date): Promise<StaffUser | undefined>;
  /** Sets a new password hash and clears any lockout; `mustChange` when someone else chose it (generated, reset). */
  setPassword(id: string, passwordHash: string, now: Date, opts?: { mustChange?: boolean }): Promise<boolean>;
  /**
   * Counts one wrong password; the `maxFailures`-th locks the account until `now + lockMs`
   * (and resets the counter). Atomic, so parallel guesses cannot slip past the limit.
   */
  recordLoginFailure(id: string, now: Date, policy: { maxFailures: number; lockMs: number }): Promise<LoginFailureOutcome>;
  /** Turns the second factor on (a secret) or off (undefined). */
  setTotp(id: string, secret: string | undefined, now: Date): Promise<boolean>;
  /**
   * Records that the TOTP code of time step `step` was used; false if that step (or a later
   * one) was used already. Atomic: a code works once, even raced on two instances.
   */
  useTotpStep(id: string, step: number): Promise<boolean>;
  /** Clears the failure counter and stamps `lastLoginAt`. */
  recordLoginSuccess(id: string, now: Date): Promise<void>;
  /** Admin accounts that are not disabled. */
  countActiveAdmins(): Promise<number>;
}
