import { Redis } from 'ioredis';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { WebchatHub } from '../../bots/webchat/ports.ts';
import { createMemoryHub } from '../memory-webchat-hub.ts';
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
  /** A round trip to Redis (readiness); resolves at once in memory. Fails after the command timeout. */
  ping(): Promise<void>;
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

function withDeadline<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** Connects eagerly so a wrong REDIS_URL stops start-up with a clear error, not later at the first message. */
async function connect(url: string, name: string, commandTimeoutMs: number, onError?: (err: Error) => void): Promise<Redis> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectionName: name,
    connectTimeout: 5_000,
    // A Redis that accepts connections and never answers (a partition, a stuck server) must not
    // hold a citizen's message: commands fail after this and the callers fall back to memory.
    commandTimeout: commandTimeoutMs,
    // Fail fast while disconnected instead of queueing commands for the reconnection.
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
  });
  // Without a listener ioredis prints every reconnection error; it reconnects by itself.
  client.on('error', (err: Error) => onError?.(err));
  try {
    // connectTimeout covers the TCP connection only; a server that accepts and stays silent is caught here.
    await withDeadline(client.connect(), 5_000 + commandTimeoutMs, 'no answer from the server');
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
  config: { REDIS_URL?: string; LOA_REDIS_COMMAND_TIMEOUT_MS?: number },
  opts: { onError?: (err: Error) => void } = {},
): Promise<Coordination> {
  const url = config.REDIS_URL;
  const commandTimeoutMs = config.LOA_REDIS_COMMAND_TIMEOUT_MS ?? 500;
  if (!url) {
    return {
      backend: 'memory',
      rateLimiter: (o) => createRateLimiter(o),
      webchatHub: createMemoryHub(),
      ping: async () => undefined,
      close: async () => undefined,
    };
  }
  if (!/^rediss?:\/\//i.test(url)) throw new Error(`REDIS_URL must start with redis:// or rediss:// (got ${redact(url)})`);

  const commands = await connect(url, 'loa', commandTimeoutMs, opts.onError);
  let subscriber: Redis | undefined;
  try {
    subscriber = await connect(url, 'loa-subscriber', commandTimeoutMs, opts.onError);
    const webchatHub = await createRedisWebchatHub({ publisher: commands, subscriber, onError: opts.onError });
    const liveEvents = await createRedisLiveEventBus({ publisher: commands, subscriber, onError: opts.onError });
    const sub = subscriber;
    return {
      backend: 'redis',
      rateLimiter: (o) => createRateLimiter(o, commands),
      webchatHub,
      async ping() {
        await commands.ping();
      },
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
