import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Escalation } from '../escalation-store.ts';

/** The pub/sub channel of the console's live events. */
export const LIVE_EVENTS_CHANNEL = 'loa:live-events';

export type LiveEventName = 'escalation.created' | 'escalation.updated';

/** Carries escalation events between instances, so each console stream sees every instance's events. */
export interface LiveEventBus {
  /** Sends an event this instance's core emitted to the other instances. */
  publish(name: LiveEventName, escalation: Escalation): void;
  /** Calls `listener` for events from other instances (never this one's own). */
  subscribe(listener: (name: LiveEventName, escalation: Escalation) => void): () => void;
  close(): Promise<void>;
}

const escalationSchema = z.custom<Escalation>(
  (v) => typeof v === 'object' && v !== null && typeof (v as { id?: unknown }).id === 'string' && typeof (v as { status?: unknown }).status === 'string',
  'not an escalation',
);
const envelopeSchema = z.object({ origin: z.string(), name: z.enum(['escalation.created', 'escalation.updated']), escalation: escalationSchema });

/**
 * The live-event bus over Redis pub/sub, on the same pair of connections as the web chat
 * hub. An event lost while Redis is away costs a stale console view until the next event
 * or reload: the database stays the source of truth.
 */
export async function createRedisLiveEventBus(opts: { publisher: Redis; subscriber: Redis; channel?: string; onError?: (err: Error) => void }): Promise<LiveEventBus> {
  const channel = opts.channel ?? LIVE_EVENTS_CHANNEL;
  const origin = randomUUID();
  const listeners = new Set<(name: LiveEventName, escalation: Escalation) => void>();
  const onMessage = (from: string, payload: string): void => {
    if (from !== channel) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload);
    } catch {
      return opts.onError?.(new Error('live events: a message on Redis is not JSON'));
    }
    const envelope = envelopeSchema.safeParse(parsed);
    if (!envelope.success) return opts.onError?.(new Error(`live events: unexpected message on Redis: ${envelope.error.message}`));
    if (envelope.data.origin === origin) return;
    for (const l of listeners) l(envelope.data.name, envelope.data.escalation);
  };
  opts.subscriber.on('message', onMessage);
  await opts.subscriber.subscribe(channel);
  return {
    publish(name, escalation) {
      opts.publisher.publish(channel, JSON.stringify({ origin, name, escalation })).catch((err: unknown) => {
        opts.onError?.(err instanceof Error ? err : new Error(String(err)));
      });
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      listeners.clear();
      opts.subscriber.off('message', onMessage);
      await opts.subscriber.unsubscribe(channel).catch(() => undefined);
    },
  };
}
