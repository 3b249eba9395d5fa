/**
 * Read-only figures for operations (readiness and `/metrics`): how much work waits in the
 * inbox and the outbox, and whether the database answers. Kept apart from the inbox and
 * outbox stores, which own the writes; this only counts.
 */
export interface QueueStats {
  /** Items per status, finished ones (`done`, `sent`) left out: they only grow. */
  byStatus: Record<string, number>;
  /** Age in seconds of the oldest item still waiting (`pending`, and `sending` for the outbox); 0 when none. */
  oldestPendingAgeS: number;
}

export interface OpsStore {
  /** A trivial round trip to the database; throws when it does not answer. */
  ping(): Promise<void>;
  queueStats(now: Date): Promise<{ inbox: QueueStats; outbox: QueueStats }>;
}

/** Statuses that only accumulate (never waiting for work) are not counted. */
export const FINISHED_STATUSES = ['done', 'sent'] as const;

/** Seconds between an ISO time (or Date) and `now`, never negative. */
export function ageSeconds(oldest: string | Date | null | undefined, now: Date): number {
  if (!oldest) return 0;
  const t = (oldest instanceof Date ? oldest : new Date(oldest)).getTime();
  return Number.isFinite(t) ? Math.max(0, (now.getTime() - t) / 1000) : 0;
}
