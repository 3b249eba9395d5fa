import { z } from 'zod';
import { ApiError } from '../../http/errors.ts';
import { adminRoute, routeModule } from '../route.ts';
import { currentUser, type AdminModule, type AuditLog } from '../types.ts';
import { DuplicateEmailError, type UserStore } from '../ports.ts';
import type { StaffUser } from '../../domain/roles.ts';
import { generatePassword, hashPassword } from '../auth/password.ts';
import type { StaffSessions } from '../auth/sessions.ts';
import { createStaffUser } from './create-user.ts';
import { newUserSchema, resetPasswordSchema, staffUserSchema, userIdParams, userPatchSchema } from './schemas.ts';

export interface UserRouteDeps {
  users: UserStore;
  sessions: StaffSessions;
  audit: AuditLog;
  clock: () => Date;
}

const oneTimePassword = z.string().describe('Shown once: give it to the person, who should change it (POST /me/password)');

/** Staff accounts (administrators only): list, invite, change role/name/disabled, reset password. */
export function usersModule(deps: UserRouteDeps): AdminModule {
  const { users, sessions, audit } = deps;
  const tags = ['users'];
  const roles = ['admin'] as const;
  const bodyLimit = '16kb';
  const userOut = z.object({ user: staffUserSchema });

  const findUser = async (id: string): Promise<StaffUser> => {
    const user = await users.get(id);
    if (!user) throw new ApiError(404, 'not_found', 'Không tìm thấy tài khoản.');
    return user;
  };

  return routeModule([
    adminRoute({
      method: 'get',
      path: '/users',
      summary: 'List staff accounts',
      tags,
      roles,
      responses: { 200: { description: 'Accounts, oldest first', schema: z.object({ items: z.array(staffUserSchema) }) } },
      handler: async () => ({ status: 200, body: { items: await users.list() } }),
    }),
    adminRoute({
      method: 'post',
      path: '/users',
      summary: 'Invite a staff member',
      description: 'Without `password`, a one-time random password is generated and returned once. A password under 10 characters is `validation_failed`.',
      tags,
      roles,
      body: newUserSchema,
      bodyLimit,
      responses: { 201: { description: 'Created', schema: z.object({ user: staffUserSchema, password: oneTimePassword.optional() }) } },
      errors: { 409: { codes: ['duplicate_email'], description: 'Email already has an account' } },
      handler: async ({ body, res }) => {
        try {
          // The administrator knows the first password: the person replaces it at first sign-in.
          const created = await createStaffUser({ users, audit, clock: deps.clock }, body, currentUser(res).email, { mustChange: true });
          return { status: 201, body: created };
        } catch (err) {
          if (err instanceof DuplicateEmailError) throw new ApiError(409, 'duplicate_email', 'Email này đã có tài khoản.');
          throw err;
        }
      },
    }),
    adminRoute({
      method: 'patch',
      path: '/users/{id}',
      summary: 'Change name, role or disabled',
      description: 'Disabling signs the user out everywhere. The last active administrator cannot be demoted or disabled (409 `last_admin`).',
      tags,
      roles,
      params: userIdParams,
      body: userPatchSchema,
      bodyLimit,
      responses: { 200: { description: 'Updated', schema: userOut } },
      errors: { 404: ['not_found'], 409: { codes: ['last_admin'], description: 'Would leave no administrator' } },
      handler: async ({ params, body: patch, res }) => {
        const target = await findUser(params.id);
        // The console must always keep one administrator who can sign in.
        const losesAdmin = target.role === 'admin' && !target.disabled && ((patch.role && patch.role !== 'admin') || patch.disabled === true);
        if (losesAdmin && (await users.countActiveAdmins()) <= 1) {
          throw new ApiError(409, 'last_admin', 'Không thể bỏ quyền hoặc khoá quản trị viên cuối cùng.');
        }
        const updated = (await users.update(target.id, patch, deps.clock())) as StaffUser;
        if (patch.disabled === true) await sessions.endForUser(target.id);
        await audit.record({
          actor: currentUser(res).email,
          action: 'user.update',
          target: `user:${target.id}`,
          details: { email: target.email, before: { name: target.name, role: target.role, disabled: target.disabled }, after: patch },
        });
        return { status: 200, body: { user: updated } };
      },
    }),
    adminRoute({
      method: 'post',
      path: '/users/{id}/reset-password',
      summary: 'Reset a password (and lift a lockout)',
      description: 'Without `password`, a one-time random password is generated and returned once. Signs the user out everywhere.',
      tags,
      roles,
      params: userIdParams,
      body: resetPasswordSchema,
      bodyLimit,
      responses: { 200: { description: 'Reset', schema: z.object({ user: staffUserSchema, password: oneTimePassword.optional() }) } },
      errors: { 404: ['not_found'] },
      handler: async ({ params, body, res }) => {
        const target = await findUser(params.id);
        const generated = body.password === undefined ? generatePassword() : undefined;
        // Also lifts every lockout of the account (its lockouts are keyed by the password hash).
        await users.setPassword(target.id, await hashPassword(body.password ?? (generated as string)), deps.clock(), { mustChange: true });
        // Account recovery: a lost phone is the usual reason, so the second factor is turned off too.
        await users.setTotp(target.id, undefined, deps.clock());
        await sessions.endForUser(target.id);
        await audit.record({ actor: currentUser(res).email, action: 'user.reset_password', target: `user:${target.id}`, details: { email: target.email } });
        return { status: 200, body: generated ? { user: target, password: generated } : { user: target } };
      },
    }),
  ]);
}
