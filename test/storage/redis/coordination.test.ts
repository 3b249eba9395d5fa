import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { WebchatMessage } from '../../../storage/webchat-store.ts';
import { openCoordination, type Coordination } from '../../../storage/index.ts';
import { RateLimit } from '../../../bots/core/pipeline/rate-limit.ts';
import { TEST_REDIS_URL, redisTestPrefix, useRedis } from '../../support/services.ts';

const available = await useRedis();

describe('openCoordination', () => {
  const opened: Coordination[] = [];
  afterEach(async () => {
    for (const c of opened.splice(0)) await c.close();
  });

  it('works in process memory without REDIS_URL', async () => {
    const c = await openCoordination({ REDIS_URL: undefined });
    opened.push(c);
    expect(c.backend).toBe('memory');
    const heard: WebchatMessage[] = [];
    c.webchatHub.subscribe('s', (m) => heard.push(m));
    const m: WebchatMessage = { seq: 1, kind: 'answer', text: 'x', citations: [], createdAt: '2025-03-01T08:00:00.000Z' };
    c.webchatHub.publish('s', m);
    expect(heard).toEqual([m]);
    const limit = new RateLimit(100, c.rateLimiter({ points: 1, duration: 60, keyPrefix: 'citizen' }));
    expect([await limit.check('zalo', 'u'), await limit.check('zalo', 'u')]).toEqual(['allow', 'notify']);
  });

  it('refuses a REDIS_URL that is not redis:// before connecting', async () => {
    await expect(openCoordination({ REDIS_URL: 'http://127.0.0.1:6379' })).rejects.toThrow(/redis:\/\//);
  });

  it.runIf(available)('says clearly when Redis cannot be reached, without leaking the password', async () => {
    await expect(openCoordination({ REDIS_URL: 'redis://:s3cret@127.0.0.1:1' })).rejects.toThrow(/REDIS_URL: cannot connect to redis:\/\/:\*\*\*@127\.0\.0\.1:1/);
  });

  it.runIf(available)('shares rate limits and web chat messages between two instances through Redis', async () => {
    const one = await openCoordination({ REDIS_URL: TEST_REDIS_URL });
    opened.push(one);
    const two = await openCoordination({ REDIS_URL: TEST_REDIS_URL });
    opened.push(two);
    expect(one.backend).toBe('redis');

    const keyPrefix = redisTestPrefix();
    const limitOne = new RateLimit(100, one.rateLimiter({ points: 2, duration: 60, keyPrefix }));
    const limitTwo = new RateLimit(100, two.rateLimiter({ points: 2, duration: 60, keyPrefix }));
    expect([await limitOne.check('zalo', 'u'), await limitTwo.check('zalo', 'u'), await limitOne.check('zalo', 'u'), await limitTwo.check('zalo', 'u')]).toEqual([
      'allow',
      'allow',
      'notify',
      'drop',
    ]);

    const session = randomUUID();
    const heard = new Promise<WebchatMessage>((resolve) => two.webchatHub.subscribe(session, resolve));
    const reply: WebchatMessage = { seq: 5, kind: 'spokesperson_reply', text: 'Trả lời của cán bộ', citations: [], createdAt: '2025-03-01T08:00:00.000Z' };
    one.webchatHub.publish(session, reply);
    expect(await heard).toEqual(reply);
  });
});
