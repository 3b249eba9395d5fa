import type { OpenApiPaths } from '../http/openapi.ts';
import type { Response, Router } from 'express';
import type { Logger } from 'pino';
import type { ConversationCore } from '../bots/core/conversation-core.ts';
import type { AuditEntryInput } from '../domain/audit.ts';
import type { AdminConfig, AdminRuntime } from './ports.ts';
import type { StaffUser } from '../domain/roles.ts';

// Roles, staff accounts and audit entries live in domain/; re-exported for the console's modules.
export { ROLES } from '../domain/roles.ts';
export type { Role, StaffUser } from '../domain/roles.ts';
export type { AuditEntryInput } from '../domain/audit.ts';

export interface AuditLog {
  record(entry: AuditEntryInput): Promise<void>;
}


/** An OpenAPI 3.1 paths object fragment (each route module's routes, generated from their declarations). */
export type { OpenApiPaths };

/** What every console route module receives. */
export interface AdminDeps {
  config: AdminConfig;
  logger: Logger;
  runtime: AdminRuntime;
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
