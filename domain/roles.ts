/** Staff roles and the staff account as the console and its API show it. */

/** Console roles: admin (everything), spokesperson (inbox, answers, FAQ drafts), viewer (reports only). */
export const ROLES = ['admin', 'spokesperson', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** A staff account as the console and its API show it (never with the password hash). */
export interface StaffUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
  lastLoginAt?: string;
  /** Set while the account's password was generated or set by an administrator: it must be changed first. */
  mustChangePassword?: boolean;
  /** Set when sign-in needs a one-time code from an authenticator app too. */
  totpEnabled?: boolean;
}
