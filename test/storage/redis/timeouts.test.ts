import { afterEach, describe, expect, it } from 'vitest';
import { RateLimit } from '../../../bots/core/pipeline/rate-limit.ts';
import { openCoordination, type Coordination } from '../../../storage/index.ts';
import type { WebchatMessage } from '../../../storage/webchat-store.ts';
import { TEST_REDIS_URL, redisTestPrefix, useRedis } from '../../support/services.ts';
import { startBlackhole, startSwitchableProxy, type TcpFault } from '../../support/tcp-faults.ts';

const available = await useRedis();

/**
 * Redis that stops answering while Loa runs (a partition, a stuck server): the TCP connection
 * stays open, so only a command timeout notices. Limits must then fall back to memory at once
 * instead of holding every citizen's message.
 */
describe.runIf(available)('Redis that stops answering', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  async function coordinationThroughProxy(): Promise<{ c: Coordination; proxy: Awaited<ReturnType<typeof startSwitchableProxy>> }> {
    const target = new URL(TEST_REDIS_URL);
    const proxy = await startSwitchableProxy(target.hostname, Number(target.port || 6379));
    cleanup.push(() => proxy.close());
    const c = await openCoordination({ REDIS_URL: `redis://127.0.0.1:${proxy.port}`, LOA_REDIS_COMMAND_TIMEOUT_MS: 200 });
    cleanup.push(() => Promise.race([c.close(), new Promise<void>((r) => setTimeout(r, 500))]));
    return { c, proxy };
  }

  it('rate limits keep deciding (from the in-memory fallback) within the command timeout', async () => {
    const { c, proxy } = await coordinationThroughProxy();
    const limit = new RateLimit(100, c.rateLimiter({ points: 2, duration: 60, keyPrefix: redisTestPrefix() }));
    expect(await limit.check('zalo', 'u-before')).toBe('allow');

    proxy.blackhole();
    const started = performance.now();
    const decisions = [await limit.check('zalo', 'u'), await limit.check('zalo', 'u'), await limit.check('zalo', 'u')];
    const elapsed = performance.now() - started;
    // The fallback still counts: the third message in a minute is over a limit of 2.
    expect(decisions).toEqual(['allow', 'allow', 'notify']);
    // Three commands, each given up after 200 ms: far from the 30 s stall seen without a timeout.
    expect(elapsed).toBeLessThan(3_000);
  });

  it('publishing a web chat message does not hang and reports the error', async () => {
    const errors: Error[] = [];
    const target = new URL(TEST_REDIS_URL);
    const proxy = await startSwitchableProxy(target.hostname, Number(target.port || 6379));
    cleanup.push(() => proxy.close());
    const c = await openCoordination({ REDIS_URL: `redis://127.0.0.1:${proxy.port}`, LOA_REDIS_COMMAND_TIMEOUT_MS: 200 }, { onError: (e) => errors.push(e) });
    cleanup.push(() => Promise.race([c.close(), new Promise<void>((r) => setTimeout(r, 500))]));
    const heard: WebchatMessage[] = [];
    c.webchatHub.subscribe('s-1', (m) => heard.push(m));
    proxy.blackhole();
    const m: WebchatMessage = { seq: 1, kind: 'answer', text: 'x', citations: [], createdAt: '2026-03-01T08:00:00.000Z' };
    c.webchatHub.publish('s-1', m);
    // Streams on this instance still get it at once.
    expect(heard).toEqual([m]);
    await expect.poll(() => errors.some((e) => /timed out/i.test(e.message)), { timeout: 3_000 }).toBe(true);
  });
});

describe('Redis that accepts connections but never answers at start-up', () => {
  let hole: TcpFault | undefined;
  afterEach(async () => {
    await hole?.close();
  });

  it('stops start-up with an error naming REDIS_URL instead of hanging', async () => {
    hole = await startBlackhole();
    const started = performance.now();
    await expect(openCoordination({ REDIS_URL: `redis://127.0.0.1:${hole.port}`, LOA_REDIS_COMMAND_TIMEOUT_MS: 200 })).rejects.toThrow(
      new RegExp(`REDIS_URL: cannot connect to redis://127\\.0\\.0\\.1:${hole.port}`),
    );
    expect(performance.now() - started).toBeLessThan(8_000);
  }, 15_000);
});
