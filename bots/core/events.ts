import type { Logger } from 'pino';
import type { ConversationTurn } from '../../storage/conversation-store.ts';
import type { Escalation } from '../../storage/escalation-store.ts';
import type { ChannelName, OutgoingMessage, Recipient } from './types.ts';

/** One outgoing message, as events report it. */
export interface MessageEvent {
  outboxId: number;
  channel: ChannelName;
  recipient: Recipient;
  message: OutgoingMessage;
  escalationId?: string;
  turnId?: string;
}

/** What the core announces, e.g. for the spokesperson console's live view. */
export interface CoreEvents {
  'escalation.created': Escalation;
  'escalation.updated': Escalation;
  /** A conversation turn was recorded (a question answered, escalated, …). */
  'turn.recorded': ConversationTurn;
  'message.sent': MessageEvent & { channelMessageIds: string[] };
  /** A send failed; `willRetry` says whether the outbox tries again. */
  'message.failed': MessageEvent & { error: string; willRetry: boolean; retryInMs?: number };
  /**
   * A send's outcome is unknown: `timeout` (it went out and no answer came in time) or
   * `interrupted` (the instance sending it died mid-send; seen when another one takes it over).
   */
  'message.unknown': MessageEvent & { error: string; unknownOutcomes: number; cause: 'timeout' | 'interrupted' };
}

type Listener<T> = (payload: T) => void;

/**
 * A small typed event emitter. A listener that throws is logged and does not disturb the
 * pipeline or the other listeners.
 *
 * @example
 * const off = core.events.on('escalation.created', (e) => console.log(e.question));
 * off();
 */
export class CoreEventEmitter {
  private readonly listeners = new Map<keyof CoreEvents, Set<Listener<never>>>();

  constructor(private readonly logger?: Logger) {}

  /** Subscribes; returns the function that unsubscribes. */
  on<K extends keyof CoreEvents>(event: K, listener: Listener<CoreEvents[K]>): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as Listener<never>);
    return () => this.off(event, listener);
  }

  off<K extends keyof CoreEvents>(event: K, listener: Listener<CoreEvents[K]>): void {
    this.listeners.get(event)?.delete(listener as Listener<never>);
  }

  emit<K extends keyof CoreEvents>(event: K, payload: CoreEvents[K]): void {
    for (const listener of this.listeners.get(event) ?? []) {
      try {
        (listener as Listener<CoreEvents[K]>)(payload);
      } catch (err) {
        this.logger?.error({ err, event }, 'event listener failed');
      }
    }
  }
}
