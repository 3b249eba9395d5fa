import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { ChannelName } from '../../../domain/channel.ts';

/** `notify`: the first message over the limit (send one notice); `drop`: later ones (stay silent). */
export type RateDecision = 'allow' | 'notify' | 'drop';

/**
 * Step 2: at most `perMinute` messages per citizen (channel + user id). Over the limit, the
 * citizen is told once, not once per message, and the extra messages are not answered.
 * The limiter is in process memory unless one is given (e.g. Redis-backed, shared by every
 * instance: `storage/redis/rate-limiter.ts`); a given limiter's own `points` is the limit.
 */
export class RateLimit {
  private readonly limiter: RateLimiterAbstract;

  constructor(perMinute: number, limiter?: RateLimiterAbstract) {
    this.limiter = limiter ?? new RateLimiterMemory({ points: perMinute, duration: 60 });
  }

  async check(channel: ChannelName, userId: string): Promise<RateDecision> {
    try {
      await this.limiter.consume(`${channel}:${userId}`);
      return 'allow';
    } catch (res) {
      if (!(res instanceof RateLimiterRes)) throw res;
      // Rejected consumes still count, so exactly one message sees limit + 1.
      return res.consumedPoints === this.limiter.points + 1 ? 'notify' : 'drop';
    }
  }
}
