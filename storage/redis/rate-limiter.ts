import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';

export interface RateLimiterOptions {
  /** Allowed consumptions per window. */
  points: number;
  /** Window, in seconds. */
  duration: number;
  /** Names the limit (e.g. 'citizen'); limiters with the same prefix share their counts. */
  keyPrefix: string;
  /** Seconds a key stays blocked once over the limit (default: until the window ends). */
  blockDuration?: number;
}

/**
 * A rate limiter: in Redis when a client is given, so that every instance counts against the
 * same limit (a citizen spreading messages over two instances behind a load balancer gets no
 * more than one instance would allow); in process memory otherwise.
 *
 * With Redis, the counting is one atomic Lua call, so exactly one consumption sees
 * `points + 1` across instances. While Redis is unreachable, each instance falls back to its
 * own in-memory limiter instead of failing or queueing: limits then hold per instance only,
 * which is better than not answering citizens at all.
 */
export function createRateLimiter(opts: RateLimiterOptions, redis?: Redis): RateLimiterAbstract {
  const memory = new RateLimiterMemory(opts);
  if (!redis) return memory;
  return new RateLimiterRedis({
    ...opts,
    keyPrefix: `loa:rl:${opts.keyPrefix}`,
    storeClient: redis,
    rejectIfRedisNotReady: true,
    insuranceLimiter: memory,
  });
}
