import type { OpenApiPaths } from '../http/openapi.ts';
import type { Response, Router } from 'express';
import type { Logger } from 'pino';
import type { Config } from '../app/config.ts';
import type { Runtime } from '../app/runtime.ts';
import type { ConversationCore } from '../bots/core/conversation-core.ts';

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

/** One audit entry: who did what to which thing. Append-only. */
export interface AuditEntryInput {
  /** Staff email, or 'system'. */
  actor: string;
  /** Dotted verb, e.g. 'escalation.reply', 'faq.approve', 'document.upload', 'user.create', 'auth.login_failed'. */
  action: string;
  /** The thing acted on, e.g. 'escalation:abc', 'document:luat-cu-tru'. */
  target?: string;
  details?: Record<string, unknown>;
}

export interface AuditLog {
  record(entry: AuditEntryInput): Promise<void>;
}


/** An OpenAPI 3.1 paths object fragment (each route module's routes, generated from their declarations). */
export type { OpenApiPaths };

/** What every console route module receives. */
export interface AdminDeps {
  config: Config;
  logger: Logger;
  runtime: Runtime;
  core: ConversationCore;
  audit: AuditLog;
}

/** A console route module: its router (mounted under /api/admin) and its OpenAPI description. */
export interface AdminModule {
  router: Router;
  paths: OpenApiPaths;
}

/** The signed-in staff member of a request that passed `requireRole` (set by admin/auth). */
export function currentUser(res: Response): StaffUser {
  const user = res.locals.user as StaffUser | undefined;
  if (!user) throw new Error('currentUser() used on a route without requireRole()');
  return user;
}
