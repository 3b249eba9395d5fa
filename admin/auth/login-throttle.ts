import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

/** Makes a limiter; pass a shared (Redis) one so that every instance counts against the same limits. */
export type RateLimiterFactory = (opts: { keyPrefix: string; points: number; duration: number; blockDuration: number }) => RateLimiterAbstract;

const memoryLimiter: RateLimiterFactory = (opts) => new RateLimiterMemory(opts);

export interface LoginThrottleOptions {
  /** Failed logins one IP may make per 15 minutes. */
  failuresPerIp: number;
  /** Failed logins for one email before it is blocked (the account lockout threshold). */
  failuresPerEmail: number;
  /** How long an email stays blocked, in seconds. */
  blockSeconds: number;
}

export type ThrottleVerdict = { ok: true } | { ok: false; scope: 'ip' | 'email'; retryAfterS: number };

const IP_WINDOW_S = 15 * 60;

/**
 * Login throttling with rate-limiter-flexible, counting failures only: per IP (one address
 * guessing many accounts) and per email (many addresses guessing one account). The email
 * limit also applies to unknown emails, so a locked-out answer does not reveal that an
 * account exists. In process memory unless a shared limiter factory is given; the account
 * lockout itself is in the database either way.
 */
export class LoginThrottle {
  private readonly byIp: RateLimiterAbstract;
  private readonly byEmail: RateLimiterAbstract;

  constructor(options: LoginThrottleOptions, limiter: RateLimiterFactory = memoryLimiter) {
    this.byIp = limiter({ keyPrefix: 'login-ip', points: options.failuresPerIp, duration: IP_WINDOW_S, blockDuration: IP_WINDOW_S });
    this.byEmail = limiter({
      keyPrefix: 'login-email',
      points: options.failuresPerEmail,
      duration: options.blockSeconds,
      blockDuration: options.blockSeconds,
    });
  }

  /** May this IP try to log in as this email now? */
  async check(ip: string, email: string): Promise<ThrottleVerdict> {
    const [ip_, email_] = await Promise.all([this.byIp.get(ip), this.byEmail.get(email)]);
    if (ip_ && ip_.remainingPoints <= 0) return { ok: false, scope: 'ip', retryAfterS: seconds(ip_) };
    if (email_ && email_.remainingPoints <= 0) return { ok: false, scope: 'email', retryAfterS: seconds(email_) };
    return { ok: true };
  }

  /** Counts a failed attempt against both. */
  async failed(ip: string, email: string): Promise<void> {
    await Promise.all([consume(this.byIp, ip), consume(this.byEmail, email)]);
  }

  /** A successful login (or a password reset by an administrator) clears the email's count. */
  async clear(email: string): Promise<void> {
    await this.byEmail.delete(email);
  }
}

const seconds = (res: RateLimiterRes) => Math.max(1, Math.ceil(res.msBeforeNext / 1000));

/** Consuming past the limit rejects with a RateLimiterRes: that is the point, not an error. */
async function consume(limiter: RateLimiterAbstract, key: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (err) {
    if (!(err instanceof RateLimiterRes)) throw err;
  }
}
