import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { IncomingMessage } from '../../../domain/channel.ts';

/** Escalations per hour. */
export interface EscalationCaps {
  perCitizen: number;
  perOrigin: number;
}

/** Makes a limiter (in memory by default; a shared Redis one for several instances). */
export type EscalationLimiterFactory = (opts: { keyPrefix: string; points: number; duration: number }) => RateLimiterAbstract;

const HOUR_S = 3600;

export const DEFAULT_ESCALATION_CAPS: EscalationCaps = { perCitizen: 5, perOrigin: 20 };

/**
 * Step 4b's guard: at most `perCitizen` escalations per hour per citizen (channel + user id)
 * and `perOrigin` per network origin (web chat: many sessions from one address). Without it
 * one address made about 600 escalations a minute, each a notice to the spokespeople. Over
 * the cap the citizen is told their questions are waiting; nothing is created.
 */
export class EscalationLimit {
  private readonly perCitizen: RateLimiterAbstract;
  private readonly perOrigin: RateLimiterAbstract;

  constructor(caps: EscalationCaps, limiter: EscalationLimiterFactory = (o) => new RateLimiterMemory(o)) {
    this.perCitizen = limiter({ keyPrefix: 'escalations-citizen', points: caps.perCitizen, duration: HOUR_S });
    this.perOrigin = limiter({ keyPrefix: 'escalations-origin', points: caps.perOrigin, duration: HOUR_S });
  }

  /** Counts one escalation; false when a cap is reached (then nothing stays counted). */
  async allow(message: Pick<IncomingMessage, 'channel' | 'from' | 'origin'>): Promise<boolean> {
    const citizen = `${message.channel}:${message.from.userId}`;
    if (!(await take(this.perCitizen, citizen))) return false;
    if (message.origin && !(await take(this.perOrigin, message.origin))) {
      await this.perCitizen.reward(citizen, 1);
      return false;
    }
    return true;
  }
}

async function take(limiter: RateLimiterAbstract, key: string): Promise<boolean> {
  try {
    await limiter.consume(key);
    return true;
  } catch (err) {
    if (err instanceof RateLimiterRes) return false;
    throw err;
  }
}
