import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { ChannelName } from '../types.ts';

/** `notify`: the first message over the limit (send one notice); `drop`: later ones (stay silent). */
export type RateDecision = 'allow' | 'notify' | 'drop';

/**
 * Step 2: at most `perMinute` messages per citizen (channel + user id). Over the limit, the
 * citizen is told once, not once per message, and the extra messages are not answered.
 */
export class RateLimit {
  private readonly limiter: RateLimiterMemory;

  constructor(private readonly perMinute: number) {
    this.limiter = new RateLimiterMemory({ points: perMinute, duration: 60 });
  }

  async check(channel: ChannelName, userId: string): Promise<RateDecision> {
    try {
      await this.limiter.consume(`${channel}:${userId}`);
      return 'allow';
    } catch (res) {
      if (!(res instanceof RateLimiterRes)) throw res;
      // Rejected consumes still count, so exactly one message sees limit + 1.
      return res.consumedPoints === this.perMinute + 1 ? 'notify' : 'drop';
    }
  }
}
