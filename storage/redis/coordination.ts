import { Redis } from 'ioredis';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Config } from '../../app/config.ts';
import { createMemoryHub, type WebchatHub } from '../../bots/webchat/hub.ts';
import type { SharedLock } from '../shared-lock.ts';
import { createRedisLiveEventBus, type LiveEventBus } from './live-events-bus.ts';
import { createRateLimiter, type RateLimiterOptions } from './rate-limiter.ts';
import { RedisLock } from './redis-lock.ts';
import { createRedisWebchatHub } from './webchat-hub.ts';

/**
 * What instances of one deployment share besides the database: rate limits and web chat
 * fan-out. In Redis when `REDIS_URL` is set; in process memory otherwise (one instance).
 */
export interface Coordination {
  readonly backend: 'redis' | 'memory';
  /** A rate limiter counting across all instances (with Redis). */
  rateLimiter(opts: RateLimiterOptions): RateLimiterAbstract;
  /** Delivers web chat messages to event streams held by any instance (with Redis). */
  webchatHub: WebchatHub;
  /** A lock across instances (with Redis); without Redis the storage's own (`Storage.locks`) is used. */
  lock?: SharedLock;
  /** Console live events across instances (with Redis); without it each instance's console sees its own. */
  liveEvents?: LiveEventBus;
  close(): Promise<void>;
}

/** Shows a Redis URL without its password, for error messages. */
function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}

/** Connects eagerly so a wrong REDIS_URL stops start-up with a clear error, not later at the first message. */
async function connect(url: string, name: string, onError?: (err: Error) => void): Promise<Redis> {
  const client = new Redis(url, { lazyConnect: true, connectionName: name, connectTimeout: 5_000 });
  // Without a listener ioredis prints every reconnection error; it reconnects by itself.
  client.on('error', (err: Error) => onError?.(err));
  try {
    await client.connect();
  } catch (err) {
    client.disconnect();
    throw new Error(`REDIS_URL: cannot connect to ${redact(url)}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return client;
}

/**
 * Opens the coordination backend from `REDIS_URL`: two connections (one for commands and
 * publishing, one for subscribing). Without `REDIS_URL`, memory versions of the same.
 */
export async function openCoordination(
  config: Pick<Config, 'REDIS_URL'>,
  opts: { onError?: (err: Error) => void } = {},
): Promise<Coordination> {
  const url = config.REDIS_URL;
  if (!url) {
    return { backend: 'memory', rateLimiter: (o) => createRateLimiter(o), webchatHub: createMemoryHub(), close: async () => undefined };
  }
  if (!/^rediss?:\/\//i.test(url)) throw new Error(`REDIS_URL must start with redis:// or rediss:// (got ${redact(url)})`);

  const commands = await connect(url, 'loa', opts.onError);
  let subscriber: Redis | undefined;
  try {
    subscriber = await connect(url, 'loa-subscriber', opts.onError);
    const webchatHub = await createRedisWebchatHub({ publisher: commands, subscriber, onError: opts.onError });
    const liveEvents = await createRedisLiveEventBus({ publisher: commands, subscriber, onError: opts.onError });
    const sub = subscriber;
    return {
      backend: 'redis',
      rateLimiter: (o) => createRateLimiter(o, commands),
      webchatHub,
      lock: new RedisLock(commands),
      liveEvents,
      async close() {
        await webchatHub.close();
        await liveEvents.close();
        await Promise.all([sub.quit().catch(() => sub.disconnect()), commands.quit().catch(() => commands.disconnect())]);
      },
    };
  } catch (err) {
    subscriber?.disconnect();
    commands.disconnect();
    throw err;
  }
}
