import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import type { WebchatMessage } from '../../../storage/webchat-store.ts';
import { createRedisWebchatHub, type RedisWebchatHub } from '../../../storage/redis/webchat-hub.ts';
import { TEST_REDIS_URL, redisTestPrefix, useRedis } from '../../support/services.ts';

const available = await useRedis();

const message = (seq: number, text = `tin ${seq}`): WebchatMessage => ({
  seq,
  kind: 'spokesperson_reply',
  text,
  citations: [{ n: 1, label: 'Luật Cư trú, Điều 20', url: 'https://vbpl.vn/x', quote: 'Công dân …' }],
  createdAt: '2025-03-01T08:00:00.000Z',
});

/** Collects what a listener hears and resolves when `n` messages have arrived. */
function collector() {
  const got: WebchatMessage[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  return {
    got,
    listener: (m: WebchatMessage) => {
      got.push(m);
      for (const w of waiters.filter((w) => got.length >= w.n)) w.resolve();
    },
    until: (n: number) => new Promise<void>((resolve) => (got.length >= n ? resolve() : waiters.push({ n, resolve }))),
  };
}

describe.runIf(available)('Redis web chat hub', () => {
  const clients: Redis[] = [];
  const hubs: RedisWebchatHub[] = [];
  const errors: Error[] = [];
  const connect = () => {
    const c = new Redis(TEST_REDIS_URL);
    clients.push(c);
    return c;
  };
  const hub = async (channel: string) => {
    const h = await createRedisWebchatHub({ publisher: connect(), subscriber: connect(), channel, onError: (e) => errors.push(e) });
    hubs.push(h);
    return h;
  };
  afterEach(async () => {
    for (const h of hubs.splice(0)) await h.close();
    for (const c of clients.splice(0)) c.disconnect();
    errors.length = 0;
  });

  it("delivers a reply published on instance A to the stream held by instance B, once, and only for that session", async () => {
    const channel = redisTestPrefix();
    const a = await hub(channel);
    const b = await hub(channel);
    const onB = collector();
    const otherSessionOnB = collector();
    const onA = collector();
    b.subscribe('s1', onB.listener);
    b.subscribe('s2', otherSessionOnB.listener);
    a.subscribe('s1', onA.listener);

    a.publish('s1', message(1));
    a.publish('s1', message(2, 'Trả lời của cán bộ'));
    await onB.until(2);
    expect(onB.got).toEqual([message(1), message(2, 'Trả lời của cán bộ')]);
    // A's own listener heard each message once (directly, not again through Redis).
    b.publish('s1', message(3));
    await onA.until(3);
    expect(onA.got.map((m) => m.seq)).toEqual([1, 2, 3]);
    await onB.until(3);
    expect(onB.got.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(otherSessionOnB.got).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('stops delivering after unsubscribe and ignores foreign payloads on the channel', async () => {
    const channel = redisTestPrefix();
    const a = await hub(channel);
    const b = await hub(channel);
    const first = collector();
    const second = collector();
    const onA = collector();
    const stop = b.subscribe('s1', first.listener);
    b.subscribe('s1', second.listener);
    a.subscribe('s1', onA.listener);
    a.publish('s1', message(1));
    await first.until(1);
    stop();
    await connect().publish(channel, '{"not":"an envelope"}');
    // Published after the foreign payload, so once A hears it, both instances have seen that payload.
    b.publish('s1', message(2));
    await second.until(2);
    await onA.until(2);
    expect(first.got.map((m) => m.seq)).toEqual([1]);
    expect(second.got.map((m) => m.seq)).toEqual([1, 2]);
    // Both instances heard it, and both reported it.
    expect(errors.map((e) => e.message)).toEqual([expect.stringContaining('expected shape'), expect.stringContaining('expected shape')]);
  });
});
