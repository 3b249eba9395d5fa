import type { AuditLog } from '../types.ts';
import type { UserStore } from '../ports.ts';
import type { StaffUser } from '../../domain/roles.ts';
import { generatePassword, hashPassword } from '../auth/password.ts';
import type { NewUserInput } from './schemas.ts';

/**
 * Creates a staff account (console, `loa user add`, first admin). Without a password, a
 * one-time random one is generated and returned: it is shown once, never stored in clear,
 * and must be changed at the first sign-in (so must one an administrator chose for
 * someone else: `mustChange`). Throws `DuplicateEmailError` when the email is taken.
 */
export async function createStaffUser(
  deps: { users: UserStore; audit: AuditLog; clock?: () => Date },
  input: NewUserInput,
  actor: string,
  opts: { mustChange?: boolean } = {},
): Promise<{ user: StaffUser; password?: string }> {
  const generated = input.password === undefined ? generatePassword() : undefined;
  const passwordHash = await hashPassword(input.password ?? (generated as string));
  const mustChangePassword = generated !== undefined || opts.mustChange === true;
  const user = await deps.users.create({ email: input.email, name: input.name, role: input.role, passwordHash, mustChangePassword }, (deps.clock ?? (() => new Date()))());
  await deps.audit.record({ actor, action: 'user.create', target: `user:${user.id}`, details: { email: user.email, role: user.role } });
  return generated ? { user, password: generated } : { user };
}
