import type { RequestHandler, Response } from 'express';
import { sendError } from '../http.ts';
import type { Role } from '../../domain/roles.ts';
import { readSessionCookie } from './cookies.ts';
import { sameToken, type ActiveSession, type StaffSessions } from './sessions.ts';

/** The header every state-changing console request must carry. */
export const CSRF_HEADER = 'X-CSRF-Token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The session of this request, when it has a valid one (set by `loadSession`, for every console route). */
export function activeSession(res: Response): ActiveSession | undefined {
  return res.locals.staffSession as ActiveSession | undefined;
}

/** Whether the signed-in account must turn the second factor on before anything else (`LOA_REQUIRE_TOTP`). */
export function totpEnrolmentRequired(res: Response): boolean {
  return res.locals.totpEnrolmentRequired === true;
}

/**
 * Reads the session cookie and, when it names a live session, puts it in `res.locals.staffSession`.
 * `totpRequired` says which roles must have a second factor: such an account without one may
 * only enrol (see `requireRole`).
 */
export function loadSession(sessions: StaffSessions, opts: { totpRequired?: (role: Role) => boolean } = {}): RequestHandler {
  return async (req, res, next) => {
    const session = await sessions.resolve(readSessionCookie(req.get('cookie')));
    if (session) {
      res.locals.staffSession = session;
      res.locals.totpEnrolmentRequired = !session.user.totpEnabled && (opts.totpRequired?.(session.user.role) ?? false);
    }
    next();
  };
}

/**
 * CSRF protection: a state-changing request (POST/PUT/PATCH/DELETE) made with a session must
 * carry the session's token in `X-CSRF-Token`, else 403. Requests without a session are left
 * to `requireRole` (401). `exempt` lists paths (relative to the mount point) such as `/login`.
 */
export function csrfProtection(exempt: string[] = []): RequestHandler {
  const skip = new Set(exempt);
  return (req, res, next) => {
    if (SAFE_METHODS.has(req.method) || skip.has(req.path)) return next();
    const session = activeSession(res);
    if (!session) return next();
    const token = req.get(CSRF_HEADER);
    if (!token || !sameToken(token, session.csrfToken)) {
      return sendError(res, 403, 'csrf', 'Thiếu hoặc sai mã bảo vệ (CSRF). Vui lòng tải lại trang.');
    }
    next();
  };
}

/**
 * Allows the request only for signed-in staff with one of `roles`: 401 without a session,
 * 403 with another role. Sets `res.locals.user` (read it with `currentUser(res)`).
 * Use it on each route, never router-wide (`router.use`): every console module's router
 * is mounted on the same path, so a router-wide check would also guard the other modules.
 *
 * @example
 * router.post('/faqs', requireRole('admin', 'spokesperson'), async (req, res) => { const me = currentUser(res); … });
 */
export function requireRole(...roles: Role[]): RequestHandler {
  const allowed = new Set<Role>(roles);
  return (req, res, next) => {
    const session = activeSession(res);
    if (!session) return sendError(res, 401, 'unauthorized', 'Vui lòng đăng nhập.');
    // A generated or reset password (known to someone else) is good for nothing but choosing a new one.
    if (session.user.mustChangePassword && !PASSWORD_CHANGE_PATHS.has(req.path)) {
      return sendError(res, 403, 'password_change_required', 'Bạn cần đổi mật khẩu trước khi tiếp tục (Tài khoản của tôi → Đổi mật khẩu).');
    }
    // An account that must have a second factor and has none may only enrol (server-side, whatever the UI does).
    if (totpEnrolmentRequired(res) && !TOTP_ENROLMENT_PATHS.has(req.path)) {
      return sendError(res, 403, 'totp_enrolment_required', 'Bạn cần bật xác thực hai bước trước khi tiếp tục (Tài khoản của tôi → Xác thực hai bước).');
    }
    if (!allowed.has(session.user.role)) return sendError(res, 403, 'forbidden', 'Tài khoản của bạn không có quyền thực hiện thao tác này.');
    res.locals.user = session.user;
    next();
  };
}

/** What a session whose password must change may still do. */
const PASSWORD_CHANGE_PATHS = new Set(['/session', '/logout', '/me/password']);
/** What a session that must enrol in the second factor may still do. */
const TOTP_ENROLMENT_PATHS = new Set([...PASSWORD_CHANGE_PATHS, '/me/totp/setup', '/me/totp/enable']);

/** Every role: any signed-in staff member. */
export const ANY_ROLE: Role[] = ['admin', 'spokesperson', 'viewer'];
