import type { Logger } from 'pino';
import type { AuditLog } from '../types.ts';
import type { UserStore } from '../ports.ts';
import { createStaffUser } from '../users/create-user.ts';
import { emailSchema, passwordSchema } from '../users/schemas.ts';
import { hashPassword } from './password.ts';

/** The account generated on a first local start without LOA_ADMIN_EMAIL. */
export const GENERATED_ADMIN_EMAIL = 'admin@loa.local';

/**
 * The first administrator, from `LOA_ADMIN_EMAIL` / `LOA_ADMIN_PASSWORD`, when no active
 * administrator exists. If that email already has an account (say, a disabled one), it is
 * made an active administrator with that password: the operator's way back in. Throws
 * on an invalid email or a password shorter than the minimum.
 */
export async function ensureFirstAdmin(
  deps: { users: UserStore; audit: AuditLog; logger: Logger; clock: () => Date },
  env: {
    email?: string;
    password?: string;
    /** When set (an interactive start), an administrator is generated and its one-time password handed to this callback. */
    announceGenerated?: (email: string, password: string) => void;
  },
): Promise<'created' | 'restored' | 'exists' | 'missing' | 'generated'> {
  const { users, audit, logger } = deps;
  if ((await users.countActiveAdmins()) > 0) return 'exists';
  if (!env.email || !env.password) {
    if (env.announceGenerated) {
      // A first `npm start` on a laptop: make the console usable at once, and tell only the
      // operator's terminal. Never when output goes to logs, which may be shared.
      const { user, password } = await createStaffUser(
        { users, audit, clock: deps.clock },
        { email: GENERATED_ADMIN_EMAIL, name: 'Quản trị viên', role: 'admin' },
        'system',
      );
      env.announceGenerated(user.email, password ?? '');
      logger.warn({ email: user.email }, 'console administrator generated for local use: change its password, or set LOA_ADMIN_EMAIL and LOA_ADMIN_PASSWORD');
      return 'generated';
    }
    logger.warn('no console administrator: set LOA_ADMIN_EMAIL and LOA_ADMIN_PASSWORD, or run `loa user add --role admin`');
    return 'missing';
  }
  const email = emailSchema.safeParse(env.email);
  if (!email.success) throw new Error('LOA_ADMIN_EMAIL is not a valid email address');
  const password = passwordSchema.safeParse(env.password);
  if (!password.success) throw new Error(`LOA_ADMIN_PASSWORD: ${password.error.issues[0]?.message}`);

  const existing = await users.getByEmail(email.data);
  if (existing) {
    await users.update(existing.id, { role: 'admin', disabled: false }, deps.clock());
    await users.setPassword(existing.id, await hashPassword(password.data), deps.clock());
    await audit.record({ actor: 'system', action: 'user.bootstrap', target: `user:${existing.id}`, details: { email: email.data, restored: true } });
    logger.info({ email: email.data }, 'console administrator restored from LOA_ADMIN_EMAIL');
    return 'restored';
  }
  const { user } = await createStaffUser({ users, audit, clock: deps.clock }, { email: email.data, name: 'Quản trị viên', role: 'admin', password: password.data }, 'system');
  logger.info({ email: user.email }, 'console administrator created from LOA_ADMIN_EMAIL');
  return 'created';
}
