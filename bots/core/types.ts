import type { ChannelName, IncomingMessage, OutgoingMessage, Recipient } from '../../domain/channel.ts';
import type { ChannelConfig, SecretStore, SharedLock } from './ports.ts';
// Ports the adapters receive; re-exported for existing importers.
export type { ChannelConfig, SecretStore } from './ports.ts';

// The channel-neutral message types live in domain/; re-exported for the adapters and the core.
export { CHANNELS } from '../../domain/channel.ts';
export type {
  ChannelName,
  CoreCommand,
  IncomingKind,
  IncomingMessage,
  OutgoingAction,
  OutgoingKind,
  OutgoingMessage,
  Recipient,
} from '../../domain/channel.ts';

/** Thrown by adapters when a send fails; the outbox decides whether to retry. */
export class ChannelSendError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly code?: string | number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'ChannelSendError';
  }
}

/** The outbound half of a channel adapter. */
export interface ChannelSender {
  readonly channel: ChannelName;
  /** Sends one message (splitting it into several wire messages if needed). Throws ChannelSendError. */
  send(to: Recipient, message: OutgoingMessage): Promise<{ channelMessageIds: string[] }>;
}

/** The inbound side of the core, as seen by adapters. */
export interface MessageReceiver {
  /**
   * Persists the event and schedules its processing; resolves once it is durable, so the
   * webhook may acknowledge. Duplicate deliveries resolve with `duplicate: true`.
   */
  receive(message: IncomingMessage): Promise<{ duplicate: boolean }>;
}

/**
 * What `app/server.ts` hands each channel module's `setup<Channel>()` function. A channel
 * mounts its webhook routes on `app`, hands incoming events to `receiver`, and returns its
 * sender (or undefined when the channel is not configured).
 */
export interface ChannelSetupContext {
  app: import('express').Express;
  /** The channels' settings (a narrow view of the configuration). */
  config: ChannelConfig;
  logger: import('pino').Logger;
  receiver: MessageReceiver;
  /** Small durable key-value settings (e.g. Zalo's rotating token pair); atomic per call. */
  secrets: SecretStore;
  /**
   * True when the HTTP server listens on loopback only. A fact about the bind, never a sign of
   * development: a reverse proxy on the same host forwards the Internet to it. Development-only
   * behaviour needs its own explicit setting.
   */
  loopbackOnly: boolean;
  /** Counters a channel reports to `/metrics` (absent in tests that do not care). */
  metrics?: ChannelMetrics;
  /** A lock across instances (Redis or PostgreSQL), for work such as Zalo's token refresh. */
  lock?: SharedLock;
}

/** What a channel counts for operations; sends are counted by the server around `ChannelSender`. */
export interface ChannelMetrics {
  tokenRefresh(channel: ChannelName, outcome: 'ok' | 'failed'): void;
}

/** What a channel reports to `/readyz`: `degraded` still serves, but something needs a look. */
export interface ChannelHealth {
  status: 'ok' | 'degraded';
  /** Why it is degraded (no secrets), e.g. "getUpdates: 409 Conflict". */
  detail?: string;
}

/** A channel that is running. */
export interface ChannelHandle {
  sender: ChannelSender;
  /** Its state for readiness checks (token refused, polling failing …); absent means always ok. */
  health?(): ChannelHealth;
  /** Starts background work (e.g. Telegram long polling). */
  start?(): Promise<void>;
  stop?(): Promise<void>;
}
