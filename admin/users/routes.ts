import express, { type Response } from 'express';
import { z } from 'zod';
import { parseOr400, sendError } from '../http.ts';
import { errorSchema, operation } from '../openapi.ts';
import { currentUser, type AdminModule, type AuditLog } from '../types.ts';
import { DuplicateEmailError, type UserStore } from '../ports.ts';
import type { StaffUser } from '../../domain/roles.ts';
import { requireRole } from '../auth/middleware.ts';
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
  const router = express.Router();
  const json = express.json({ limit: '16kb' });
  const admin = requireRole('admin');

  const findUser = async (id: string, res: Response): Promise<StaffUser | undefined> => {
    const user = await users.get(id);
    if (!user) sendError(res, 404, 'not_found', 'Không tìm thấy tài khoản.');
    return user;
  };

  router.get('/users', admin, async (_req, res) => {
    res.json({ items: await users.list() });
  });

  router.post('/users', admin, json, async (req, res) => {
    const body = parseOr400(newUserSchema, req.body, res);
    if (!body) return;
    try {
      // The administrator knows the first password: the person replaces it at first sign-in.
      const created = await createStaffUser({ users, audit, clock: deps.clock }, body, currentUser(res).email, { mustChange: true });
      res.status(201).json(created);
    } catch (err) {
      if (err instanceof DuplicateEmailError) return sendError(res, 409, 'duplicate_email', 'Email này đã có tài khoản.');
      throw err;
    }
  });

  router.patch('/users/:id', admin, json, async (req, res) => {
    const params = parseOr400(userIdParams, req.params, res);
    const patch = params && parseOr400(userPatchSchema, req.body, res);
    if (!params || !patch) return;
    const target = await findUser(params.id, res);
    if (!target) return;
    // The console must always keep one administrator who can sign in.
    const losesAdmin = target.role === 'admin' && !target.disabled && ((patch.role && patch.role !== 'admin') || patch.disabled === true);
    if (losesAdmin && (await users.countActiveAdmins()) <= 1) {
      return sendError(res, 409, 'last_admin', 'Không thể bỏ quyền hoặc khoá quản trị viên cuối cùng.');
    }
    const updated = (await users.update(target.id, patch, deps.clock())) as StaffUser;
    if (patch.disabled === true) await sessions.endForUser(target.id);
    await audit.record({
      actor: currentUser(res).email,
      action: 'user.update',
      target: `user:${target.id}`,
      details: { email: target.email, before: { name: target.name, role: target.role, disabled: target.disabled }, after: patch },
    });
    res.json({ user: updated });
  });

  router.post('/users/:id/reset-password', admin, json, async (req, res) => {
    const params = parseOr400(userIdParams, req.params, res);
    const body = params && parseOr400(resetPasswordSchema, req.body, res);
    if (!params || !body) return;
    const target = await findUser(params.id, res);
    if (!target) return;
    const generated = body.password === undefined ? generatePassword() : undefined;
    // Also lifts every lockout of the account (its lockouts are keyed by the password hash).
    await users.setPassword(target.id, await hashPassword(body.password ?? (generated as string)), deps.clock(), { mustChange: true });
    // Account recovery: a lost phone is the usual reason, so the second factor is turned off too.
    await users.setTotp(target.id, undefined, deps.clock());
    await sessions.endForUser(target.id);
    await audit.record({ actor: currentUser(res).email, action: 'user.reset_password', target: `user:${target.id}`, details: { email: target.email } });
    res.json(generated ? { user: target, password: generated } : { user: target });
  });

  const tags = ['users'];
  const roles: ['admin'] = ['admin'];
  const userOut = z.object({ user: staffUserSchema });
  return {
    router,
    paths: {
      '/users': {
        get: operation('get', {
          summary: 'List staff accounts',
          tags,
          roles,
          responses: { 200: { description: 'Accounts, oldest first', schema: z.object({ items: z.array(staffUserSchema) }) } },
        }),
        post: operation('post', {
          summary: 'Invite a staff member',
          description: 'Without `password`, a one-time random password is generated and returned once.',
          tags,
          roles,
          body: newUserSchema,
          responses: {
            201: { description: 'Created', schema: z.object({ user: staffUserSchema, password: oneTimePassword.optional() }) },
            400: { description: 'Invalid (e.g. password under 10 characters)', schema: errorSchema },
            409: { description: 'Email already has an account', schema: errorSchema },
          },
        }),
      },
      '/users/{id}': {
        patch: operation('patch', {
          summary: 'Change name, role or disabled',
          description: 'Disabling signs the user out everywhere. The last active administrator cannot be demoted or disabled (409).',
          tags,
          roles,
          params: userIdParams,
          body: userPatchSchema,
          responses: {
            200: { description: 'Updated', schema: userOut },
            404: { description: 'No such account', schema: errorSchema },
            409: { description: 'Would leave no administrator', schema: errorSchema },
          },
        }),
      },
      '/users/{id}/reset-password': {
        post: operation('post', {
          summary: 'Reset a password (and lift a lockout)',
          description: 'Without `password`, a one-time random password is generated and returned once. Signs the user out everywhere.',
          tags,
          roles,
          params: userIdParams,
          body: resetPasswordSchema,
          responses: {
            200: { description: 'Reset', schema: z.object({ user: staffUserSchema, password: oneTimePassword.optional() }) },
            404: { description: 'No such account', schema: errorSchema },
          },
        }),
      },
    },
  };
}
