import express, { type Request, type Response } from 'express';
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { z } from 'zod';
import { parseOr400, sendError } from '../http.ts';
import { errorSchema, operation } from '../openapi.ts';
import { type AdminModule, type AuditLog, currentUser } from '../types.ts';
import { passwordSchema, staffUserSchema } from '../users/schemas.ts';
import type { StaffCredentials, UserStore } from '../ports.ts';
import type { RecoveryCodeStore } from '../../storage/recovery-code-store.ts';
import { hashRecoveryCode, newRecoveryCodes, normalizeRecoveryCode } from './recovery-codes.ts';
import { totpRequiredFor, type TotpRequirement } from './totp-policy.ts';
import { sessionCookie } from './cookies.ts';
import type { LoginThrottle } from './login-throttle.ts';
import { activeSession, ANY_ROLE, requireRole } from './middleware.ts';
import type { KnownDevices } from './known-device.ts';
import { checkTotp, isTotpSecret, newTotpSecret } from './totp.ts';
import { decoyHash, hashPassword, MAX_PASSWORD_LENGTH, PasswordWorkBusyError, verifyPassword } from './password.ts';
import type { ActiveSession, StaffSessions } from './sessions.ts';

export interface AuthRouteDeps {
  users: UserStore;
  /** One-time recovery codes of the second factor. */
  recoveryCodes: RecoveryCodeStore;
  /** `LOA_REQUIRE_TOTP`: whose accounts must enrol in the second factor. */
  totpRequirement: TotpRequirement;
  sessions: StaffSessions;
  throttle: LoginThrottle;
  audit: AuditLog;
  logger: Logger;
  /** Signs and reads the known-device cookie. */
  devices: KnownDevices;
  /** Whether the cookie gets `Secure` for this request. */
  secureCookie: (req: Request) => boolean;
  clock: () => Date;
  /** Called when a session ends by logout (e.g. to close its live event streams). */
  onSessionEnded?: (idHash: string) => void;
}

/** One message for every wrong email/password combination: nothing tells which part was wrong. */
export const LOGIN_FAILED_MESSAGE = 'Email hoặc mật khẩu không đúng';
const THROTTLED_MESSAGE = 'Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau ít phút.';
const BUSY_MESSAGE = 'Máy chủ đang bận. Vui lòng thử lại sau vài giây.';

/** Changes whenever the password does: a reset or change lifts the account's lockouts. */
const passwordEpoch = (hash: string | undefined) => (hash ? createHash('sha256').update(hash).digest('base64url').slice(0, 16) : 'none');

// Login takes any string: a too-short password is simply wrong, and must look wrong.
const loginSchema = z.object({
  email: z.string().trim().toLowerCase().min(1).max(254),
  password: z.string().min(1).max(MAX_PASSWORD_LENGTH),
  code: z.string().trim().max(32).optional().describe('The 6-digit code from the authenticator app, or one of the recovery codes (xxxxx-xxxxx), for accounts with the second factor on'),
});
const totpEnableSchema = z.object({
  currentPassword: z.string().min(1).max(MAX_PASSWORD_LENGTH),
  secret: z.string().refine(isTotpSecret, 'not a secret from POST /me/totp/setup'),
  code: z.string().trim().max(12),
});
const totpDisableSchema = z.object({
  currentPassword: z.string().min(1).max(MAX_PASSWORD_LENGTH),
  code: z.string().trim().max(32).describe('A code from the app, or a recovery code'),
});
const recoveryCodesSchema = z.object({ recoveryCodes: z.array(z.string()).describe('Shown once: each works once instead of a code from the app') });
const totpStatusSchema = z.object({
  enabled: z.boolean(),
  required: z.boolean().describe('LOA_REQUIRE_TOTP applies to this account: it cannot be turned off'),
  recoveryCodesLeft: z.number().int(),
});
const sessionIdParams = z.object({ id: z.string().regex(/^[0-9a-f]{64}$/) });
const sessionListSchema = z.object({
  items: z.array(z.object({ id: z.string(), createdAt: z.string(), lastSeenAt: z.string(), expiresAt: z.string(), current: z.boolean() })),
});
const TOTP_REQUIRED_MESSAGE = 'Nhập mã xác thực 6 số từ ứng dụng trên điện thoại.';
const TOTP_FAILED_MESSAGE = 'Mã xác thực không đúng hoặc đã được dùng.';
const changePasswordSchema = z.object({ currentPassword: z.string().min(1).max(MAX_PASSWORD_LENGTH), newPassword: passwordSchema });
const sessionSchema = z.object({
  user: staffUserSchema,
  csrfToken: z.string().describe('Send in X-CSRF-Token on every POST/PUT/PATCH/DELETE'),
  expiresAt: z.string().describe('When the session ends unless used (idle) or at the latest (absolute)'),
  totpEnrolmentRequired: z
    .boolean()
    .describe('The account must turn the second factor on (LOA_REQUIRE_TOTP): until then every route but /session, /logout, /me/password and /me/totp/setup|enable answers 403 totp_enrolment_required'),
});

/** `POST /login`, `POST /logout`, `GET /session`, `POST /me/password`. */
export function authModule(deps: AuthRouteDeps): AdminModule {
  const { users, sessions, throttle, audit, recoveryCodes } = deps;
  const mustEnrol = (user: ActiveSession['user']) => !user.totpEnabled && totpRequiredFor(deps.totpRequirement, user.role);
  const sessionBody = (s: ActiveSession) => ({ user: s.user, csrfToken: s.csrfToken, expiresAt: s.expiresAt, totpEnrolmentRequired: mustEnrol(s.user) });

  /**
   * Checks a second-factor code: a TOTP code (its time step used once) or a recovery code
   * (spent by deleting it). Both are atomic in the store, so one code raced twice works once.
   */
  const secondFactor = async (creds: StaffCredentials, code: string, now: Date): Promise<{ ok: true; recovery: boolean } | { ok: false; reason: 'wrong_code' | 'reused_code' }> => {
    const secret = creds.totpSecret as string;
    if (/^\d{6}$/.test(code)) {
      const step = checkTotp(secret, creds.user.email, code, now);
      if (step === undefined) return { ok: false, reason: 'wrong_code' };
      return (await users.useTotpStep(creds.user.id, step)) ? { ok: true, recovery: false } : { ok: false, reason: 'reused_code' };
    }
    const canonical = normalizeRecoveryCode(code);
    if (canonical && (await recoveryCodes.consume(creds.user.id, hashRecoveryCode(creds.user.id, canonical)))) {
      const left = await recoveryCodes.count(creds.user.id);
      deps.logger.warn({ user: creds.user.id, left }, 'console sign-in with a recovery code');
      await audit.record({ actor: creds.user.email, action: 'auth.recovery_code_used', target: `user:${creds.user.id}`, details: { left } });
      return { ok: true, recovery: true };
    }
    return { ok: false, reason: 'wrong_code' };
  };

  /** A fresh set of recovery codes for the account: stored hashed, returned once. */
  const issueRecoveryCodes = async (userId: string): Promise<string[]> => {
    const codes = newRecoveryCodes();
    await recoveryCodes.replace(userId, codes.map((c) => hashRecoveryCode(userId, normalizeRecoveryCode(c) as string)), deps.clock());
    return codes;
  };
  const router = express.Router();
  const json = express.json({ limit: '16kb' });

  const setCookie = (req: Request, res: Response, value: string, maxAgeS: number) =>
    res.append('Set-Cookie', sessionCookie(value, { maxAgeS, secure: deps.secureCookie(req) }));

  router.post('/login', json, async (req, res) => {
    const body = parseOr400(loginSchema, req.body, res);
    if (!body) return;
    const ip = req.ip ?? 'unknown';
    const { email, password } = body;
    const now = deps.clock();
    const creds = await users.credentials(email);
    const knownDevice = deps.devices.read(req.get('cookie'), email);

    // Counted before the password is checked, so parallel guesses all count.
    const verdict = await throttle.attempt({ ip, email, passwordEpoch: passwordEpoch(creds?.passwordHash), knownDevice });
    if (!verdict.ok) {
      if (verdict.lockedNow) {
        // An alert for the operator (log) and a trace in the audit log; the same for unknown emails.
        deps.logger.warn({ email, ip, lockout: verdict.lockedNow.lockout, seconds: verdict.lockedNow.seconds }, 'console login locked out for this address');
        await audit.record({
          actor: 'system',
          action: 'auth.lockout',
          target: creds ? `user:${creds.user.id}` : `email:${email}`,
          details: { email, ip, lockout: verdict.lockedNow.lockout, seconds: verdict.lockedNow.seconds },
        });
      } else {
        deps.logger.warn({ ip, scope: verdict.scope }, 'console login throttled');
      }
      res.set('Retry-After', String(verdict.retryAfterS));
      return sendError(res, 429, 'too_many_attempts', THROTTLED_MESSAGE);
    }

    let passwordOk: boolean;
    try {
      // Unknown emails cost a hash too, so response time does not reveal which accounts exist.
      passwordOk = await verifyPassword(password, creds?.passwordHash ?? (await decoyHash()));
    } catch (err) {
      if (!(err instanceof PasswordWorkBusyError)) throw err;
      await verdict.ticket.succeeded(); // not checked, so not counted
      res.set('Retry-After', '5');
      return sendError(res, 503, 'busy', BUSY_MESSAGE);
    }
    if (!creds || !passwordOk || creds.user.disabled) {
      const reason = !creds ? 'unknown_user' : !passwordOk ? 'wrong_password' : 'disabled';
      await audit.record({ actor: email, action: 'auth.login_failed', ...(creds ? { target: `user:${creds.user.id}` } : {}), details: { ip, reason } });
      return sendError(res, 401, 'login_failed', LOGIN_FAILED_MESSAGE);
    }
    // The second factor: asked for only after the right password; a missing or wrong code stays counted.
    if (creds.totpSecret) {
      if (!body.code) return sendError(res, 401, 'totp_required', TOTP_REQUIRED_MESSAGE);
      const factor = await secondFactor(creds, body.code, now);
      if (!factor.ok) {
        await audit.record({ actor: email, action: 'auth.login_failed', target: `user:${creds.user.id}`, details: { ip, reason: factor.reason } });
        return sendError(res, 401, 'totp_failed', TOTP_FAILED_MESSAGE);
      }
    }

    await verdict.ticket.succeeded();
    await users.recordLoginSuccess(creds.user.id, now);
    // Session fixation: whatever session the browser had is ended, and a new id is issued.
    const previous = activeSession(res);
    if (previous) {
      await sessions.destroy(previous.idHash);
      deps.onSessionEnded?.(previous.idHash);
    }
    const session = await sessions.create({ ...creds.user, lastLoginAt: now.toISOString() });
    setCookie(req, res, session.id, sessions.policy.maxMs / 1000);
    res.append('Set-Cookie', deps.devices.cookie(email, { secure: deps.secureCookie(req), device: knownDevice }));
    const enrol = mustEnrol(creds.user);
    await audit.record({
      actor: creds.user.email,
      action: 'auth.login',
      target: `user:${creds.user.id}`,
      details: { ip, knownDevice: knownDevice !== undefined, ...(enrol ? { totpEnrolmentRequired: true } : {}) },
    });
    res.json(sessionBody(session));
  });

  router.post('/logout', requireRole(...ANY_ROLE), async (req, res) => {
    const session = activeSession(res) as ActiveSession;
    await sessions.destroy(session.idHash);
    deps.onSessionEnded?.(session.idHash);
    await audit.record({ actor: session.user.email, action: 'auth.logout', target: `user:${session.user.id}` });
    setCookie(req, res, '', 0);
    res.status(204).end();
  });

  router.get('/session', requireRole(...ANY_ROLE), (_req, res) => {
    res.json(sessionBody(activeSession(res) as ActiveSession));
  });

  router.post('/me/password', requireRole(...ANY_ROLE), json, async (req, res) => {
    const body = parseOr400(changePasswordSchema, req.body, res);
    if (!body) return;
    const me = currentUser(res);
    const session = activeSession(res) as ActiveSession;
    const creds = await users.credentialsById(me.id);
    // A stolen session must not become a way to guess the password: it counts like a login attempt.
    const verdict = await throttle.attempt({ ip: req.ip ?? 'unknown', email: me.email, passwordEpoch: passwordEpoch(creds?.passwordHash) });
    if (!verdict.ok) {
      res.set('Retry-After', String(verdict.retryAfterS));
      return sendError(res, 429, 'too_many_attempts', THROTTLED_MESSAGE);
    }
    if (!creds || !(await verifyPassword(body.currentPassword, creds.passwordHash))) {
      await audit.record({ actor: me.email, action: 'auth.password_change_failed', target: `user:${me.id}`, details: { reason: 'wrong_password' } });
      return sendError(res, 400, 'wrong_password', 'Mật khẩu hiện tại không đúng.');
    }
    await verdict.ticket.succeeded();
    await users.setPassword(me.id, await hashPassword(body.newPassword), deps.clock());
    // Other browsers signed in with the old password are signed out.
    await sessions.endForUser(me.id, session.idHash);
    await audit.record({ actor: me.email, action: 'auth.password_change', target: `user:${me.id}` });
    res.status(204).end();
  });

  /** Checks the current password for a /me/* change, counted like a login attempt. */
  const currentPasswordOk = async (req: Request, res: Response, currentPassword: string): Promise<StaffCredentials | undefined> => {
    const me = currentUser(res);
    const creds = await users.credentialsById(me.id);
    const verdict = await throttle.attempt({ ip: req.ip ?? 'unknown', email: me.email, passwordEpoch: passwordEpoch(creds?.passwordHash) });
    if (!verdict.ok) {
      res.set('Retry-After', String(verdict.retryAfterS));
      sendError(res, 429, 'too_many_attempts', THROTTLED_MESSAGE);
      return undefined;
    }
    if (!creds || !(await verifyPassword(currentPassword, creds.passwordHash))) {
      sendError(res, 400, 'wrong_password', 'Mật khẩu hiện tại không đúng.');
      return undefined;
    }
    await verdict.ticket.succeeded();
    return creds;
  };

  router.get('/me/sessions', requireRole(...ANY_ROLE), async (_req, res) => {
    const current = activeSession(res) as ActiveSession;
    const items = await sessions.listForUser(current.user.id);
    res.json({
      items: items.map((s) => ({ id: s.idHash, createdAt: s.createdAt, lastSeenAt: s.lastSeenAt, expiresAt: s.expiresAt, current: s.idHash === current.idHash })),
    });
  });

  router.delete('/me/sessions/:id', requireRole(...ANY_ROLE), async (req, res) => {
    const params = parseOr400(sessionIdParams, req.params, res);
    if (!params) return;
    const current = activeSession(res) as ActiveSession;
    // Only one's own sessions: someone else's id answers the same 404 as an unknown one.
    const mine = (await sessions.listForUser(current.user.id)).some((s) => s.idHash === params.id);
    if (!mine) return sendError(res, 404, 'not_found', 'Không tìm thấy phiên đăng nhập này.');
    await sessions.destroy(params.id);
    deps.onSessionEnded?.(params.id);
    await audit.record({ actor: current.user.email, action: 'auth.session_revoked', target: `user:${current.user.id}`, details: { current: params.id === current.idHash } });
    if (params.id === current.idHash) setCookie(req, res, '', 0);
    res.status(204).end();
  });

  router.post('/me/totp/setup', requireRole(...ANY_ROLE), (_req, res) => {
    // Nothing is stored yet: the secret comes back with a first code in POST /me/totp/enable.
    res.json(newTotpSecret(currentUser(res).email));
  });

  router.post('/me/totp/enable', requireRole(...ANY_ROLE), json, async (req, res) => {
    const body = parseOr400(totpEnableSchema, req.body, res);
    if (!body) return;
    const creds = await currentPasswordOk(req, res, body.currentPassword);
    if (!creds) return;
    const step = checkTotp(body.secret, creds.user.email, body.code, deps.clock());
    if (step === undefined) return sendError(res, 400, 'totp_failed', TOTP_FAILED_MESSAGE);
    await users.setTotp(creds.user.id, body.secret, deps.clock());
    await users.useTotpStep(creds.user.id, step);
    const codes = await issueRecoveryCodes(creds.user.id);
    await audit.record({ actor: creds.user.email, action: 'auth.totp_enabled', target: `user:${creds.user.id}`, details: { recoveryCodes: codes.length } });
    res.json({ recoveryCodes: codes });
  });

  router.get('/me/totp', requireRole(...ANY_ROLE), async (_req, res) => {
    const me = currentUser(res);
    res.json({ enabled: me.totpEnabled === true, required: totpRequiredFor(deps.totpRequirement, me.role), recoveryCodesLeft: me.totpEnabled ? await recoveryCodes.count(me.id) : 0 });
  });

  router.post('/me/totp/recovery-codes', requireRole(...ANY_ROLE), json, async (req, res) => {
    const body = parseOr400(totpDisableSchema, req.body, res);
    if (!body) return;
    const creds = await currentPasswordOk(req, res, body.currentPassword);
    if (!creds) return;
    if (!creds.totpSecret) return sendError(res, 409, 'totp_off', 'Xác thực hai bước chưa được bật.');
    if (!(await secondFactor(creds, body.code, deps.clock())).ok) return sendError(res, 400, 'totp_failed', TOTP_FAILED_MESSAGE);
    const codes = await issueRecoveryCodes(creds.user.id);
    await audit.record({ actor: creds.user.email, action: 'auth.recovery_codes_renewed', target: `user:${creds.user.id}`, details: { recoveryCodes: codes.length } });
    res.json({ recoveryCodes: codes });
  });

  router.post('/me/totp/disable', requireRole(...ANY_ROLE), json, async (req, res) => {
    const body = parseOr400(totpDisableSchema, req.body, res);
    if (!body) return;
    const creds = await currentPasswordOk(req, res, body.currentPassword);
    if (!creds) return;
    if (!creds.totpSecret) return res.status(204).end();
    if (totpRequiredFor(deps.totpRequirement, creds.user.role)) {
      return sendError(res, 403, 'totp_required_by_policy', 'Tài khoản này bắt buộc dùng xác thực hai bước (LOA_REQUIRE_TOTP).');
    }
    if (!(await secondFactor(creds, body.code, deps.clock())).ok) return sendError(res, 400, 'totp_failed', TOTP_FAILED_MESSAGE);
    await users.setTotp(creds.user.id, undefined, deps.clock());
    await recoveryCodes.deleteForUser(creds.user.id);
    await audit.record({ actor: creds.user.email, action: 'auth.totp_disabled', target: `user:${creds.user.id}` });
    res.status(204).end();
  });

  const tags = ['auth'];
  return {
    router,
    paths: {
      '/login': {
        post: operation('post', {
          summary: 'Sign in',
          description:
            'Sets the `loa_session` cookie (a new id on every login) and returns the CSRF token. Sets `loa_device` too (a signed known-device cookie). Every attempt is counted before the password is checked (and given back when right): per IP, per account × IP (five wrong passwords lock that address out for 15 minutes, doubling on each further lockout), per account for unknown devices. A browser that signed in before keeps working.',
          tags,
          roles: 'public',
          noCsrf: true,
          body: loginSchema,
          responses: {
            200: { description: 'Signed in', schema: sessionSchema },
            400: { description: 'Malformed body', schema: errorSchema },
            401: { description: `${LOGIN_FAILED_MESSAGE}; totp_required (send \`code\`) or totp_failed for accounts with the second factor`, schema: errorSchema },
            429: { description: 'Too many failed attempts (Retry-After header)', schema: errorSchema },
            503: { description: 'Too many password checks in progress (Retry-After header)', schema: errorSchema },
          },
        }),
      },
      '/logout': {
        post: operation('post', { summary: 'Sign out (ends the session)', tags, roles: ANY_ROLE, responses: { 204: { description: 'Signed out' } } }),
      },
      '/session': {
        get: operation('get', {
          summary: 'The current session: user and CSRF token',
          tags,
          roles: ANY_ROLE,
          responses: { 200: { description: 'Signed in', schema: sessionSchema } },
        }),
      },
      '/me/sessions': {
        get: operation('get', {
          summary: 'My signed-in sessions (browsers), most recently used first',
          tags,
          roles: ANY_ROLE,
          responses: { 200: { description: 'Sessions; `current` is this one', schema: sessionListSchema } },
        }),
      },
      '/me/sessions/{id}': {
        delete: operation('delete', {
          summary: 'Sign out one of my sessions (e.g. a lost phone)',
          tags,
          roles: ANY_ROLE,
          params: sessionIdParams,
          responses: { 204: { description: 'Signed out' }, 404: { description: 'Not one of my sessions', schema: errorSchema } },
        }),
      },
      '/me/totp': {
        get: operation('get', {
          summary: 'My second factor: on or off, required or not, recovery codes left',
          tags,
          roles: ANY_ROLE,
          responses: { 200: { description: 'Status', schema: totpStatusSchema } },
        }),
      },
      '/me/totp/recovery-codes': {
        post: operation('post', {
          summary: 'New recovery codes (the old ones stop working); current password and a code',
          tags,
          roles: ANY_ROLE,
          body: totpDisableSchema,
          responses: {
            200: { description: 'The new codes, shown this once', schema: recoveryCodesSchema },
            400: { description: 'Wrong password or code', schema: errorSchema },
            409: { description: 'The second factor is off', schema: errorSchema },
          },
        }),
      },
      '/me/totp/setup': {
        post: operation('post', {
          summary: 'Start turning on the second factor: a new TOTP secret and its otpauth:// URI',
          description: 'Nothing is stored until POST /me/totp/enable confirms it with a code.',
          tags,
          roles: ANY_ROLE,
          responses: { 200: { description: 'The secret', schema: z.object({ secret: z.string(), uri: z.string() }) } },
        }),
      },
      '/me/totp/enable': {
        post: operation('post', {
          summary: 'Turn on the second factor (current password, the secret, and a code from the app)',
          tags,
          roles: ANY_ROLE,
          body: totpEnableSchema,
          responses: { 200: { description: 'On: sign-in now needs a code. The recovery codes are shown this once', schema: recoveryCodesSchema }, 400: { description: 'Wrong password or code', schema: errorSchema } },
        }),
      },
      '/me/totp/disable': {
        post: operation('post', {
          summary: 'Turn off the second factor (current password and a code)',
          tags,
          roles: ANY_ROLE,
          body: totpDisableSchema,
          responses: {
            204: { description: 'Off (its recovery codes are deleted)' },
            400: { description: 'Wrong password or code', schema: errorSchema },
            403: { description: 'totp_required_by_policy: LOA_REQUIRE_TOTP applies to this account', schema: errorSchema },
          },
        }),
      },
      '/me/password': {
        post: operation('post', {
          summary: 'Change my password',
          description: 'Needs the current password; signs out the other sessions of the account.',
          tags,
          roles: ANY_ROLE,
          body: changePasswordSchema,
          responses: { 204: { description: 'Changed' }, 400: { description: 'Weak new password or wrong current password', schema: errorSchema } },
        }),
      },
    },
  };
}
