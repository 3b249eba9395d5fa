/** How the outbox retries a send that failed with a retryable error. */
export interface RetryPolicy {
  /** Delay before the second attempt; doubles with each attempt after. */
  baseMs: number;
  /** Longest delay between attempts (unless the channel asks for longer). */
  maxMs: number;
  /**
   * Attempts in all, the first included; after the last the message becomes a dead letter.
   * Unlimited by default: the channel's window (`delivery-policy.ts`) ends the retries.
   */
  maxAttempts: number;
  /** Share of each delay drawn at random (0: none, 0.5: between half and all of it), so instances do not retry in step. */
  jitter: number;
}

/** 1 s, 2 s, 4 s … up to 5 minutes between attempts, each up to 20 % shorter at random. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseMs: 1_000, maxMs: 5 * 60_000, maxAttempts: Number.POSITIVE_INFINITY, jitter: 0.2 };

/**
 * The wait after failed attempt number `attempt` (1-based): exponential, capped, with
 * jitter, and never shorter than what the channel asked for (`retryAfterMs`, e.g. Telegram's
 * retry_after).
 */
export function retryDelay(policy: RetryPolicy, attempt: number, retryAfterMs?: number, random: () => number = Math.random): number {
  const backoff = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.round(backoff * (1 - Math.min(1, Math.max(0, policy.jitter)) * random()));
  return retryAfterMs !== undefined && retryAfterMs > jittered ? retryAfterMs : jittered;
}
