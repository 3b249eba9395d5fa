import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../../bots/core/circuit-breaker.ts';
import { ChannelSendPool } from '../../../bots/core/send-pool.ts';
import { ChannelSendError, type ChannelSender, type OutgoingMessage, type Recipient } from '../../../bots/core/types.ts';

const to = (userId: string): Recipient => ({ channel: 'telegram', userId, address: { chatId: userId } });
const msg = (text: string): OutgoingMessage => ({ kind: 'notice', text });

/** A channel whose sends each wait for the test to settle them. */
class ManualChannel implements ChannelSender {
  readonly channel = 'telegram' as const;
  readonly calls: { text: string; resolve: () => void; reject: (e: Error) => void }[] = [];
  inFlight = 0;
  maxInFlight = 0;

  send(_to: Recipient, message: OutgoingMessage): Promise<{ channelMessageIds: string[] }> {
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    return new Promise((resolve, reject) => {
      const done = () => (this.inFlight -= 1);
      this.calls.push({
        text: message.text,
        resolve: () => (done(), resolve({ channelMessageIds: [`id-${message.text}`] })),
        reject: (e) => (done(), reject(e)),
      });
    });
  }
}

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('circuit breaker', () => {
  it('opens after the threshold, lets one probe through when half-open, and closes on its success', () => {
    let now = 0;
    const breaker = new CircuitBreaker(3, 1_000, () => now);
    breaker.failure();
    breaker.failure();
    expect(breaker.allow()).toBe(true);
    breaker.failure();
    expect(breaker.state).toBe('open');
    expect(breaker.allow()).toBe(false);
    expect(breaker.retryAt()).toBe(1_000);
    now = 1_000;
    expect(breaker.allow()).toBe(true);
    expect(breaker.allow()).toBe(false);
    breaker.failure();
    expect(breaker.state).toBe('open');
    now = 2_000;
    expect(breaker.allow()).toBe(true);
    breaker.success();
    expect(breaker.state).toBe('closed');
    expect(breaker.allow()).toBe(true);
  });
});

describe('channel send pool', () => {
  it('keeps at most its concurrency in flight and sends one citizen\'s messages in order', async () => {
    const channel = new ManualChannel();
    const pool = new ChannelSendPool(channel, { concurrency: 2, timeoutMs: 10_000, breakerThreshold: 5, breakerOpenMs: 1_000 });
    const results = [pool.send(to('a'), msg('a1'), () => undefined), pool.send(to('a'), msg('a2'), () => undefined), pool.send(to('b'), msg('b1'), () => undefined), pool.send(to('c'), msg('c1'), () => undefined)];
    await tick();
    // a2 waits for a1 (same citizen); b1 takes the second slot; c1 waits for a slot.
    expect(channel.calls.map((c) => c.text)).toEqual(['a1', 'b1']);
    expect(pool.size).toBe(4);
    channel.calls[0].resolve();
    await tick();
    expect(channel.calls.map((c) => c.text)).toEqual(['a1', 'b1', 'c1']);
    channel.calls[1].resolve();
    await tick();
    expect(channel.calls.map((c) => c.text)).toEqual(['a1', 'b1', 'c1', 'a2']);
    channel.calls[2].resolve();
    channel.calls[3].resolve();
    expect((await Promise.all(results)).map((r) => r.status)).toEqual(['sent', 'sent', 'sent', 'sent']);
    expect(channel.maxInFlight).toBe(2);
  });

  it('reports a timeout as an unknown outcome and a late answer as a success', async () => {
    const channel = new ManualChannel();
    const pool = new ChannelSendPool(channel, { concurrency: 2, timeoutMs: 30, breakerThreshold: 5, breakerOpenMs: 1_000 });
    const late: string[][] = [];
    const result = await pool.send(to('a'), msg('x'), (ids) => late.push(ids));
    expect(result).toMatchObject({ status: 'error', unknown: true });
    channel.calls[0].resolve();
    await tick();
    expect(late).toEqual([['id-x']]);
    // A refusal is known: not an unknown outcome.
    const refused = pool.send(to('b'), msg('y'), () => undefined);
    await tick();
    channel.calls[1].reject(new ChannelSendError('blocked', false, 403));
    expect(await refused).toMatchObject({ status: 'error', unknown: false });
  });

  it('stops sending while the breaker is open and withdraws sends a stopping caller no longer wants', async () => {
    const channel = new ManualChannel();
    const pool = new ChannelSendPool(channel, { concurrency: 4, timeoutMs: 10_000, breakerThreshold: 2, breakerOpenMs: 60_000 });
    const first = [pool.send(to('a'), msg('1'), () => undefined), pool.send(to('b'), msg('2'), () => undefined)];
    await tick();
    for (const c of channel.calls) c.reject(new ChannelSendError('HTTP 503', true, 503));
    await Promise.all(first);
    expect(pool.breaker.state).toBe('open');
    expect(pool.room()).toBe(0);
    expect(await pool.send(to('c'), msg('3'), () => undefined)).toMatchObject({ status: 'circuit_open' });
    expect(await pool.send(to('d'), msg('4'), () => undefined, () => true)).toEqual({ status: 'withdrawn' });
    expect(channel.calls).toHaveLength(2);
  });
});
