import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { SharedLock } from '../shared-lock.ts';

/** Deletes the key only if it still holds this holder's token (never another holder's lock). */
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export interface RedisLockOptions {
  /** The lock expires after this long even if its holder dies without releasing it (default 30 s). */
  ttlMs?: number;
  /** Longest wait to acquire before giving up with an error (default 60 s). */
  waitMs?: number;
}

/**
 * A lock shared through Redis: `SET key token NX PX ttl`, polled until free, released by a
 * compare-and-delete. The TTL bounds how long a dead holder blocks the others; `fn` must
 * finish well within it (a token refresh takes one HTTP request).
 */
export class RedisLock implements SharedLock {
  readonly scope = 'redis' as const;
  private readonly ttlMs: number;
  private readonly waitMs: number;

  constructor(
    private readonly redis: Redis,
    options: RedisLockOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 30_000;
    this.waitMs = options.waitMs ?? 60_000;
  }

  async withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const key = `loa:lock:${name}`;
    const token = randomUUID();
    const deadline = Date.now() + this.waitMs;
    for (let wait = 20; ; wait = Math.min(500, wait * 2)) {
      if ((await this.redis.set(key, token, 'PX', this.ttlMs, 'NX')) === 'OK') break;
      if (Date.now() > deadline) throw new Error(`redis lock "${name}": not acquired within ${this.waitMs} ms`);
      await new Promise((r) => setTimeout(r, wait));
    }
    try {
      return await fn();
    } finally {
      await this.redis.eval(RELEASE, 1, key, token);
    }
  }
}
