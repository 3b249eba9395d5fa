/** Retrieval metrics over ranked id lists: Recall@k and MRR@10, plus latency percentiles. */

export interface RankedRun {
  ranked: string[];
  relevant: string[];
}

export interface QualityMetrics {
  n: number;
  r1: number;
  r5: number;
  r10: number;
  mrr10: number;
}

/** Recall@k counts a question as found when any gold id is in the top k (questions mostly have one). */
export function quality(runs: readonly RankedRun[]): QualityMetrics {
  let r1 = 0;
  let r5 = 0;
  let r10 = 0;
  let mrr = 0;
  for (const r of runs) {
    const gold = new Set(r.relevant);
    const rank = r.ranked.slice(0, 10).findIndex((id) => gold.has(id));
    if (rank === 0) r1++;
    if (rank >= 0 && rank < 5) r5++;
    if (rank >= 0) {
      r10++;
      mrr += 1 / (rank + 1);
    }
  }
  const n = runs.length;
  const d = Math.max(n, 1);
  return { n, r1: r1 / d, r5: r5 / d, r10: r10 / d, mrr10: mrr / d };
}

/** p-th percentile (0..100) of a list of numbers, nearest-rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}
