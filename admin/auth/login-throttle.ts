import { createHash } from 'node:crypto';
import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

/** Makes a limiter; pass a shared (Redis) one so that every instance counts against the same limits. */
export type RateLimiterFactory = (opts: { keyPrefix: string; points: number; duration: number; blockDuration?: number }) => RateLimiterAbstract;

const memoryLimiter: RateLimiterFactory = (opts) => new RateLimiterMemory(opts);

export interface LoginThrottleOptions {
  /** Password checks one IP may make per 15 minutes (whatever the accounts). */
  failuresPerIp: number;
  /** Wrong passwords for one account from one source before that source is locked out. */
  failuresPerSource: number;
  /** The first lockout of a source, in seconds; each further one within a day doubles it. */
  blockSeconds: number;
}

/** Who is trying: the request's address, the email typed, and whether the browser proved it signed in here before. */
export interface LoginAttempt {
  ip: string;
  email: string;
  /**
   * Changes when the account's password changes (e.g. a hash of the stored hash), so a reset
   * lifts every lockout of the account; constant for unknown emails.
   */
  passwordEpoch: string;
  /** Set when the request carries a valid known-device cookie for this email: its device id. */
  knownDevice?: string;
}

export type ThrottleVerdict =
  | { ok: true; ticket: LoginTicket }
  | { ok: false; scope: 'ip' | 'source' | 'account' | 'device'; retryAfterS: number; lockedNow?: { lockout: number; seconds: number } };

/** An attempt that was counted before its password check: report how the check went. */
export interface LoginTicket {
  /** The password was right: the points are given back and the source's failures forgotten. */
  succeeded(): Promise<void>;
}

const IP_WINDOW_S = 15 * 60;
const ACCOUNT_WINDOW_S = 60 * 60;
const LOCKOUT_MEMORY_S = 24 * 3600;
const MAX_BLOCK_S = 24 * 3600;

/**
 * Login throttling with rate-limiter-flexible. Each attempt is counted *before* its password
 * is checked (and given back when it was right), so parallel guesses cannot all pass a check
 * made before any of them failed.
 *
 * - per IP: one address guessing many accounts;
 * - per source (account × IP): the lockout. Whoever knows an email locks out only their own
 *   address, never the account; lockouts repeat with exponential backoff;
 * - per account, for unknown devices only: many addresses guessing one account (a botnet);
 *   a generous limit, and browsers that signed in before (known-device cookie) are exempt,
 *   so the rightful owner keeps getting in;
 * - per known device: a stolen device cookie buys only a few guesses.
 *
 * Unknown emails are counted exactly like real ones, so nothing here reveals which accounts
 * exist. In process memory unless a shared limiter factory is given.
 */
/** The shortest period over which failures from one source are counted (15 minutes). */
const SOURCE_WINDOW_S = 15 * 60;

export class LoginThrottle {
  private readonly byIp: RateLimiterAbstract;
  private readonly bySource: RateLimiterAbstract;
  private readonly lockouts: RateLimiterAbstract;
  private readonly byAccount: RateLimiterAbstract;
  private readonly byDevice: RateLimiterAbstract;

  constructor(
    private readonly options: LoginThrottleOptions,
    limiter: RateLimiterFactory = memoryLimiter,
  ) {
    this.byIp = limiter({ keyPrefix: 'login-ip', points: options.failuresPerIp, duration: IP_WINDOW_S, blockDuration: IP_WINDOW_S });
    // Blocked explicitly (with backoff) by `attempt`, not by the limiter.
    // Failures count over at least SOURCE_WINDOW_S, however short the lock: slow attempts
    // (scrypt under load) must not slip under the limit. `block` below replaces the count, so
    // the window restarts when a lock ends.
    this.bySource = limiter({ keyPrefix: 'login-source', points: options.failuresPerSource, duration: Math.max(options.blockSeconds, SOURCE_WINDOW_S) });
    this.lockouts = limiter({ keyPrefix: 'login-lockouts', points: 1_000_000, duration: LOCKOUT_MEMORY_S });
    this.byAccount = limiter({
      keyPrefix: 'login-account',
      points: options.failuresPerSource * 20,
      duration: ACCOUNT_WINDOW_S,
      blockDuration: ACCOUNT_WINDOW_S,
    });
    this.byDevice = limiter({ keyPrefix: 'login-device', points: options.failuresPerSource, duration: options.blockSeconds, blockDuration: options.blockSeconds });
  }

  /** Counts the attempt; refused when any of its limits is used up (nothing stays counted then). */
  async attempt(a: LoginAttempt): Promise<ThrottleVerdict> {
    const account = digest(`${a.email}\n${a.passwordEpoch}`);
    const steps: { scope: 'ip' | 'source' | 'account' | 'device'; limiter: RateLimiterAbstract; key: string }[] = a.knownDevice
      ? [{ scope: 'device', limiter: this.byDevice, key: digest(`${account}\n${a.knownDevice}`) }]
      : [
          { scope: 'ip', limiter: this.byIp, key: a.ip },
          { scope: 'source', limiter: this.bySource, key: digest(`${account}\n${a.ip}`) },
          { scope: 'account', limiter: this.byAccount, key: account },
        ];
    const taken: typeof steps = [];
    for (const step of steps) {
      const res = await take(step.limiter, step.key);
      if (res.ok) {
        taken.push(step);
        continue;
      }
      // Refused: an attempt that never reaches the password check costs nothing elsewhere.
      await Promise.all(taken.map((s) => s.limiter.reward(s.key, 1)));
      let retryAfterS = seconds(res.res);
      let lockedNow: { lockout: number; seconds: number } | undefined;
      // Exactly one attempt sees the first point over the limit (atomic counting): it locks the source.
      if (step.scope === 'source' && res.res.consumedPoints === this.options.failuresPerSource + 1) {
        const lockout = (await this.lockouts.consume(step.key)).consumedPoints;
        retryAfterS = Math.min(MAX_BLOCK_S, this.options.blockSeconds * 2 ** (lockout - 1));
        await this.bySource.block(step.key, retryAfterS);
        lockedNow = { lockout, seconds: retryAfterS };
      }
      return { ok: false, scope: step.scope, retryAfterS, ...(lockedNow ? { lockedNow } : {}) };
    }
    return {
      ok: true,
      ticket: {
        succeeded: async () => {
          await Promise.all(
            taken.map((s) => (s.scope === 'source' || s.scope === 'device' ? s.limiter.delete(s.key) : s.limiter.reward(s.key, 1))),
          );
          const source = taken.find((s) => s.scope === 'source');
          if (source) await this.lockouts.delete(source.key);
        },
      },
    };
  }
}

const digest = (s: string) => createHash('sha256').update(s).digest('base64url').slice(0, 32);

const seconds = (res: RateLimiterRes) => Math.max(1, Math.ceil(res.msBeforeNext / 1000));

/** Consuming past the limit rejects with a RateLimiterRes: that is the point, not an error. */
async function take(limiter: RateLimiterAbstract, key: string): Promise<{ ok: true } | { ok: false; res: RateLimiterRes }> {
  try {
    await limiter.consume(key);
    return { ok: true };
  } catch (err) {
    if (err instanceof RateLimiterRes) return { ok: false, res: err };
    throw err;
  }
}
