import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { WebchatHub } from '../../bots/webchat/ports.ts';
import { createMemoryHub } from '../memory-webchat-hub.ts';
import type { WebchatMessage } from '../webchat-store.ts';

/** The one pub/sub channel all instances share (see `createRedisWebchatHub` for why only one). */
export const WEBCHAT_CHANNEL = 'loa:webchat';

/** Typed against `WebchatMessage`, so a new required field there fails to compile here instead of being dropped. */
const messageSchema: z.ZodType<WebchatMessage> = z.object({
  seq: z.number().int().positive(),
  kind: z.enum(['user', 'answer', 'notice', 'escalated', 'spokesperson_reply']),
  text: z.string(),
  citations: z.array(z.object({ n: z.number().int(), label: z.string(), url: z.string().optional(), quote: z.string() })),
  answerId: z.string().optional(),
  clientMessageId: z.string().optional(),
  createdAt: z.string(),
});

/** What travels on the channel: the message, its session, and which instance sent it. */
const envelopeSchema = z.object({ origin: z.string(), sessionId: z.string().min(1), message: messageSchema });

export interface RedisWebchatHub extends WebchatHub {
  /** Stops listening (the connections belong to the caller). */
  close(): Promise<void>;
}

/**
 * A web chat hub shared by several instances through Redis pub/sub: a spokesperson's reply
 * sent by instance A reaches the citizen's event stream held by instance B.
 *
 * Listeners on this instance are called at once; other instances hear it through Redis
 * (each envelope names its origin, so an instance ignores its own). Every instance
 * subscribes once, at start, to one channel for all sessions rather than per session: a
 * per-session SUBSCRIBE would be active only some time after `subscribe()` returned, and a
 * message published in that gap would be missed. Web chat traffic is small enough for every
 * instance to see every message. A message lost while Redis is away does no harm beyond a
 * delay: the store is the source of truth, and the stream reads it again on the next message
 * or when the browser reconnects.
 *
 * `publisher` must be a normal connection; `subscriber` a connection of its own (Redis puts
 * a subscribing connection in a mode where it can do nothing else).
 */
export async function createRedisWebchatHub(opts: {
  publisher: Redis;
  subscriber: Redis;
  channel?: string;
  onError?: (err: Error) => void;
}): Promise<RedisWebchatHub> {
  const channel = opts.channel ?? WEBCHAT_CHANNEL;
  const origin = randomUUID();
  const local = createMemoryHub();
  const onMessage = (from: string, payload: string): void => {
    if (from !== channel) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload);
    } catch {
      opts.onError?.(new Error('web chat hub: a message on Redis is not JSON'));
      return;
    }
    const envelope = envelopeSchema.safeParse(parsed);
    if (!envelope.success) {
      opts.onError?.(new Error(`web chat hub: a message on Redis does not have the expected shape: ${envelope.error.message}`));
      return;
    }
    if (envelope.data.origin === origin) return;
    local.publish(envelope.data.sessionId, envelope.data.message);
  };
  opts.subscriber.on('message', onMessage);
  await opts.subscriber.subscribe(channel);

  return {
    publish(sessionId, message) {
      local.publish(sessionId, message);
      opts.publisher.publish(channel, JSON.stringify({ origin, sessionId, message })).catch((err: unknown) => {
        opts.onError?.(err instanceof Error ? err : new Error(String(err)));
      });
    },
    subscribe: local.subscribe,
    async close() {
      opts.subscriber.off('message', onMessage);
      await opts.subscriber.unsubscribe(channel).catch(() => undefined);
    },
  };
}
