/** How the outbox retries a send that failed with a retryable error. */
export interface RetryPolicy {
  /** Delay before the second attempt; doubles with each attempt after. */
  baseMs: number;
  /** Longest delay between attempts (unless the channel asks for longer). */
  maxMs: number;
  /** Attempts in all, the first included; after the last the message is marked failed. */
  maxAttempts: number;
}

/** 1 s, 2 s, 4 s, 8 s, 16 s: six attempts within about half a minute. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseMs: 1_000, maxMs: 5 * 60_000, maxAttempts: 6 };

/**
 * The wait after failed attempt number `attempt` (1-based): exponential, capped, and never
 * shorter than what the channel asked for (`retryAfterMs`, e.g. Telegram's retry_after).
 */
export function retryDelay(policy: RetryPolicy, attempt: number, retryAfterMs?: number): number {
  const backoff = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return retryAfterMs !== undefined && retryAfterMs > backoff ? retryAfterMs : backoff;
}
