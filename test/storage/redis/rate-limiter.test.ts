import { Redis, type RedisOptions } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { RateLimit } from '../../../bots/core/pipeline/rate-limit.ts';
import { createRateLimiter } from '../../../storage/redis/rate-limiter.ts';
import { TEST_REDIS_URL, redisTestPrefix, useRedis } from '../../support/services.ts';

const available = await useRedis();

describe.runIf(available)('Redis rate limiter', () => {
  const clients: Redis[] = [];
  const client = (url: string, opts: RedisOptions = {}) => {
    const c = new Redis(url, opts);
    c.on('error', () => undefined);
    clients.push(c);
    return c;
  };
  /** A connected client: until it is ready, limiters fall back to memory (see the last test). */
  const ready = async () => {
    const c = client(TEST_REDIS_URL, { lazyConnect: true });
    await c.connect();
    return c;
  };
  afterEach(() => {
    for (const c of clients.splice(0)) c.disconnect();
  });

  it('shares one limit between two instances (two clients, two limiters)', async () => {
    const keyPrefix = redisTestPrefix();
    const a = createRateLimiter({ points: 3, duration: 60, keyPrefix }, await ready());
    const b = createRateLimiter({ points: 3, duration: 60, keyPrefix }, await ready());
    await a.consume('zalo:u1');
    await b.consume('zalo:u1');
    await a.consume('zalo:u1');
    await expect(b.consume('zalo:u1')).rejects.toMatchObject({ consumedPoints: 4 });
    // Another citizen has a limit of their own.
    await expect(b.consume('zalo:u2')).resolves.toMatchObject({ consumedPoints: 1 });
  });

  it('tells a citizen once across instances, then drops silently', async () => {
    const keyPrefix = redisTestPrefix();
    const one = new RateLimit(100, createRateLimiter({ points: 4, duration: 60, keyPrefix }, await ready()));
    const two = new RateLimit(100, createRateLimiter({ points: 4, duration: 60, keyPrefix }, await ready()));
    const decisions = await Promise.all([...Array(10)].map((_, i) => (i % 2 ? one : two).check('telegram', '42')));
    expect(decisions.filter((d) => d === 'allow')).toHaveLength(4);
    expect(decisions.filter((d) => d === 'notify')).toHaveLength(1);
    expect(decisions.filter((d) => d === 'drop')).toHaveLength(5);
  });

  it('counts in memory, per instance, without Redis', async () => {
    const keyPrefix = redisTestPrefix();
    const a = createRateLimiter({ points: 1, duration: 60, keyPrefix });
    const b = createRateLimiter({ points: 1, duration: 60, keyPrefix });
    await a.consume('k');
    await expect(b.consume('k')).resolves.toMatchObject({ consumedPoints: 1 });
    await expect(a.consume('k')).rejects.toMatchObject({ consumedPoints: 2 });
  });

  it('falls back to a per-instance limit while Redis is unreachable instead of failing', async () => {
    // Nothing listens on port 1: the client never becomes ready.
    const down = client('redis://127.0.0.1:1', { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    const limiter = new RateLimit(100, createRateLimiter({ points: 2, duration: 60, keyPrefix: redisTestPrefix() }, down));
    expect(await limiter.check('zalo', 'u1')).toBe('allow');
    expect(await limiter.check('zalo', 'u1')).toBe('allow');
    expect(await limiter.check('zalo', 'u1')).toBe('notify');
  });
});
