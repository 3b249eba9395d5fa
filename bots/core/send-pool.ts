import { CircuitBreaker } from './circuit-breaker.ts';
import { Slots } from './slots.ts';
import { ChannelSendError, type ChannelSender } from './types.ts';
import type { OutgoingMessage, Recipient } from '../../domain/channel.ts';

/** How one channel's sends run (`LOA_SEND_CONCURRENCY`, `LOA_SEND_TIMEOUT_MS`, breaker settings). */
export interface SendPoolOptions {
  /** Sends in flight at once on this channel. */
  concurrency: number;
  /** Longest wait for the channel's answer; after it the outcome is unknown. */
  timeoutMs: number;
  /** Consecutive failures that open the circuit breaker. */
  breakerThreshold: number;
  /** How long an open breaker waits before letting one probe through. */
  breakerOpenMs: number;
}

export const DEFAULT_SEND_POOL: SendPoolOptions = { concurrency: 64, timeoutMs: 15_000, breakerThreshold: 5, breakerOpenMs: 15_000 };

/** What one send came to. `unknown`: the request went out and no answer came (it may have arrived). */
export type SendAttempt =
  | { status: 'sent'; channelMessageIds: string[] }
  | { status: 'error'; error: unknown; unknown: boolean }
  | { status: 'circuit_open'; retryAt: number }
  /** Not attempted: the caller withdrew it while it waited (a shutdown). */
  | { status: 'withdrawn' };

/** Error codes with which adapters report that the request went out but no answer came back. */
const UNKNOWN_CODES: ReadonlySet<string | number> = new Set(['timeout']);

/** The pool's own timeout (the adapter's request may still be running). */
export class SendTimeoutError extends ChannelSendError {
  constructor(ms: number) {
    super(`no answer from the channel within ${ms} ms`, true, 'timeout');
    this.name = 'SendTimeoutError';
  }
}

/** True when an error means "sent, answer lost" rather than "not sent". */
export function isUnknownOutcome(err: unknown): boolean {
  return err instanceof ChannelSendError && err.code !== undefined && UNKNOWN_CODES.has(err.code);
}

/** Failures that say something about the channel (not about one recipient), which the breaker counts. */
function channelTrouble(err: unknown): boolean {
  return !(err instanceof ChannelSendError) || err.retryable;
}

/**
 * The sends of one channel, apart from the answering slots: at most `concurrency` at once,
 * each with a timeout, behind a circuit breaker. A citizen's messages go out one after the
 * other, in the order they were handed in, so a slow first reply is not overtaken.
 */
export class ChannelSendPool {
  readonly breaker: CircuitBreaker;
  private readonly slots: Slots;
  private readonly chains = new Map<string, Promise<unknown>>();
  private inFlight = 0;

  constructor(
    private readonly sender: ChannelSender,
    private readonly options: SendPoolOptions,
    now: () => number = Date.now,
  ) {
    this.slots = new Slots(options.concurrency);
    this.breaker = new CircuitBreaker(options.breakerThreshold, options.breakerOpenMs, now);
  }

  /** Sends waiting or running. */
  get size(): number {
    return this.inFlight;
  }

  /** How many more sends the pool takes before callers should wait (twice its concurrency in all). */
  room(): number {
    return this.breaker.state === 'open' ? 0 : Math.max(0, this.options.concurrency * 2 - this.inFlight);
  }

  /**
   * Sends one message. `lateSuccess` is called when a send that timed out is answered after
   * all (its outcome is then known: sent).
   */
  send(
    to: Recipient,
    message: OutgoingMessage,
    lateSuccess: (channelMessageIds: string[]) => void,
    withdrawn: () => boolean = () => false,
  ): Promise<SendAttempt> {
    const key = `${to.channel}:${to.userId}`;
    this.inFlight += 1;
    const previous = this.chains.get(key) ?? Promise.resolve();
    const run = previous.then(() =>
      this.slots.use(async (): Promise<SendAttempt> => (withdrawn() ? { status: 'withdrawn' } : this.attempt(to, message, lateSuccess))),
    );
    const tail = run.catch(() => undefined);
    this.chains.set(key, tail);
    void tail.finally(() => {
      this.inFlight -= 1;
      if (this.chains.get(key) === tail) this.chains.delete(key);
    });
    return run;
  }

  private async attempt(to: Recipient, message: OutgoingMessage, lateSuccess: (ids: string[]) => void): Promise<SendAttempt> {
    if (!this.breaker.allow()) return { status: 'circuit_open', retryAt: this.breaker.retryAt() };
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    const request = this.sender.send(to, message);
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        timedOut = true;
        reject(new SendTimeoutError(this.options.timeoutMs));
      }, this.options.timeoutMs);
    });
    try {
      const { channelMessageIds } = await Promise.race([request, timeout]);
      this.breaker.success();
      return { status: 'sent', channelMessageIds };
    } catch (error) {
      if (timedOut) {
        request.then(
          (r) => lateSuccess(r.channelMessageIds),
          () => undefined,
        );
      }
      if (channelTrouble(error)) this.breaker.failure();
      else this.breaker.success();
      return { status: 'error', error, unknown: isUnknownOutcome(error) };
    } finally {
      clearTimeout(timer);
    }
  }
}
