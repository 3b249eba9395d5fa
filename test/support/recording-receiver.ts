import type { IncomingMessage, MessageReceiver } from '../../bots/core/types.ts';

/**
 * Stands in for the conversation core in channel tests: records what a channel hands over,
 * reports re-deliveries of a (channel, message id) as duplicates like the core does, can be
 * told to fail like an unavailable database, and lets a test wait for messages or react to them.
 */
export class RecordingReceiver implements MessageReceiver {
  /** Every message handed over, duplicates included, in order. */
  readonly received: IncomingMessage[] = [];
  /** The first delivery of each message, in order. */
  readonly messages: IncomingMessage[] = [];
  /** Re-deliveries, reported to the channel as duplicates. */
  readonly duplicates: IncomingMessage[] = [];
  /** While set, every `receive()` throws it. */
  failWith: Error | undefined;
  /** Called inside `receive()`, before it resolves (to check ordering against the wire). */
  onReceive?: (message: IncomingMessage) => void;
  /** Called for each new message after `receive()` resolved: like the core, acknowledge first, answer later. */
  onMessage?: (message: IncomingMessage) => void | Promise<void>;
  private failures = 0;
  private readonly seen = new Set<string>();
  /** Pending waits; each returns true once it resolved its promise. */
  private waiters: Array<() => boolean> = [];

  /** The next `times` calls to `receive()` throw, as a database outage would. */
  failNext(times = 1): void {
    this.failures += times;
  }

  async receive(message: IncomingMessage): Promise<{ duplicate: boolean }> {
    if (this.failWith) throw this.failWith;
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error('database unavailable');
    }
    this.onReceive?.(message);
    this.received.push(message);
    const key = `${message.channel}:${message.channelMessageId}`;
    const duplicate = this.seen.has(key);
    if (duplicate) {
      this.duplicates.push(message);
    } else {
      this.seen.add(key);
      this.messages.push(message);
    }
    this.waiters = this.waiters.filter((settled) => !settled());
    if (!duplicate && this.onMessage) setImmediate(() => void this.onMessage?.(message));
    return { duplicate };
  }

  /** Resolves with the first message (already received or future, duplicates included) that passes `test`. */
  waitFor(test: (m: IncomingMessage) => boolean): Promise<IncomingMessage> {
    return this.until((resolve) => {
      const found = this.received.find(test);
      if (found) resolve(found);
      return found !== undefined;
    });
  }

  /** Resolves once `n` distinct messages were received. */
  waitForCount(n: number): Promise<void> {
    return this.until((resolve) => {
      if (this.messages.length >= n) resolve();
      return this.messages.length >= n;
    });
  }

  /** Runs `settle` now and after each message until it reports having resolved. */
  private until<T>(settle: (resolve: (value: T) => void) => boolean): Promise<T> {
    return new Promise<T>((resolve) => {
      if (!settle(resolve)) this.waiters.push(() => settle(resolve));
    });
  }
}
