/**
 * The q-quantile (0..1) of sorted values, interpolating linearly between ranks (the usual
 * spreadsheet PERCENTILE.INC), so the median of an even count is the mean of the middle two.
 * Undefined for no values.
 */
export function quantile(sorted: readonly number[], q: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** part / whole rounded to 4 decimals, or null when there is nothing to divide. */
export function share(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null;
}

/** Median and 90th percentile of durations in seconds (rounded to the second), or nulls. */
export function durationStats(seconds: readonly number[]): { count: number; medianSeconds: number | null; p90Seconds: number | null } {
  const sorted = [...seconds].sort((a, b) => a - b);
  const round = (v: number | undefined) => (v === undefined ? null : Math.round(v));
  return { count: sorted.length, medianSeconds: round(quantile(sorted, 0.5)), p90Seconds: round(quantile(sorted, 0.9)) };
}
