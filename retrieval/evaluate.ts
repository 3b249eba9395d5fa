/**
 * Evaluation of a retriever on a questions file: ranking quality (Recall@1/5/10, MRR@10)
 * overall and per group, abstention on in-scope and out-of-scope questions, latency.
 * Shared by `loa eval` and the benchmark.
 */
import { z } from 'zod';
import type { ConfidenceFeatures } from './confidence.ts';
import { percentile, quality, type QualityMetrics } from './metrics.ts';
import type { AskResult, SearchHit } from './types.ts';

export const evalQuestionSchema = z.object({
  id: z.string().min(1),
  question: z.string(),
  relevant: z.array(z.string()).default([]),
  split: z.string().optional(),
  style: z.string().optional(),
  in_scope: z.boolean().optional(),
  choices: z.record(z.string(), z.string()).optional(),
  history: z.array(z.string()).optional(),
});
export type EvalQuestion = z.infer<typeof evalQuestionSchema>;

/** Parses a JSONL questions file; bad lines are reported, not fatal. */
export function parseQuestions(text: string): { questions: EvalQuestion[]; errors: { line: number; reason: string }[] } {
  const questions: EvalQuestion[] = [];
  const errors: { line: number; reason: string }[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    if (!raw.trim()) return;
    try {
      const r = evalQuestionSchema.safeParse(JSON.parse(raw));
      if (r.success) questions.push(r.data);
      else errors.push({ line: i + 1, reason: r.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ') });
    } catch (e) {
      errors.push({ line: i + 1, reason: `invalid JSON: ${(e as Error).message}` });
    }
  });
  return { questions, errors };
}

/** What evaluation needs from a retriever. */
export interface Evaluable {
  askDetailed(question: string, options?: { history?: string[] }, k?: number): Promise<{ result: AskResult; hits: SearchHit[]; features?: ConfidenceFeatures }>;
}

export interface QuestionOutcome {
  id: string;
  ranked: string[];
  abstained: boolean;
  reason?: string;
  confidence: number;
  ms: number;
  relevant: string[];
  group?: string;
  inScope: boolean;
  features?: ConfidenceFeatures;
}

export interface EvalSummary {
  overall: QualityMetrics;
  groups: Record<string, QualityMetrics>;
  abstention: {
    inScope: { n: number; rate: number };
    outOfScope: { n: number; rate: number };
    /** Abstention rate per group (`split`/`style`). */
    byGroup: Record<string, { n: number; rate: number }>;
  };
  latencyMs: { p50: number; p95: number; p99: number; mean: number };
}

/** The question text to send: the stem, or stem + options when `withChoices`. */
export function questionText(q: EvalQuestion, withChoices: boolean): string {
  if (!withChoices || !q.choices) return q.question;
  return `${q.question} ${Object.values(q.choices).join(' ')}`;
}

/** Runs every question through `askDetailed` (ranking + answer in one pass). */
export async function runEvaluation(
  retriever: Evaluable,
  questions: readonly EvalQuestion[],
  opts: { withChoices?: boolean; k?: number; onProgress?: (done: number) => void } = {},
): Promise<QuestionOutcome[]> {
  const out: QuestionOutcome[] = [];
  for (const q of questions) {
    const started = performance.now();
    const d = await retriever.askDetailed(questionText(q, !!opts.withChoices), { history: q.history }, opts.k ?? 10);
    const ms = performance.now() - started;
    out.push({
      id: q.id,
      ranked: d.hits.map((h) => h.id),
      abstained: d.result.abstained,
      reason: d.result.reason,
      confidence: d.result.confidence,
      ms,
      relevant: q.relevant,
      group: q.split ?? q.style,
      inScope: q.in_scope ?? true,
      features: d.features,
    });
    opts.onProgress?.(out.length);
  }
  return out;
}

/** Metrics over outcomes: ranking quality only over in-scope questions that have gold ids. */
export function summarize(outcomes: readonly QuestionOutcome[]): EvalSummary {
  const ranked = outcomes.filter((o) => o.inScope && o.relevant.length > 0);
  const groups: Record<string, QualityMetrics> = {};
  const byGroup = new Map<string, QuestionOutcome[]>();
  for (const o of ranked) {
    if (!o.group) continue;
    const list = byGroup.get(o.group) ?? [];
    list.push(o);
    byGroup.set(o.group, list);
  }
  for (const [g, list] of [...byGroup].sort(([a], [b]) => a.localeCompare(b))) groups[g] = quality(list);
  const ins = outcomes.filter((o) => o.inScope);
  const outs = outcomes.filter((o) => !o.inScope);
  const rate = (list: QuestionOutcome[]) => (list.length ? list.filter((o) => o.abstained).length / list.length : 0);
  const ms = outcomes.map((o) => o.ms);
  const abstentionByGroup: Record<string, { n: number; rate: number }> = {};
  const grouped = new Map<string, QuestionOutcome[]>();
  for (const o of outcomes) if (o.group) grouped.set(o.group, [...(grouped.get(o.group) ?? []), o]);
  for (const [g, list] of [...grouped].sort(([a], [b]) => a.localeCompare(b))) abstentionByGroup[g] = { n: list.length, rate: rate(list) };
  return {
    overall: quality(ranked),
    groups,
    abstention: { inScope: { n: ins.length, rate: rate(ins) }, outOfScope: { n: outs.length, rate: rate(outs) }, byGroup: abstentionByGroup },
    latencyMs: {
      p50: percentile(ms, 50),
      p95: percentile(ms, 95),
      p99: percentile(ms, 99),
      mean: ms.length ? ms.reduce((a, b) => a + b, 0) / ms.length : 0,
    },
  };
}

const f3 = (x: number) => x.toFixed(3);

/** A plain-text table of a summary, for the CLI and the benchmark. */
export function formatSummary(s: EvalSummary, title = 'all'): string {
  const abst = (g?: string) => (g && s.abstention.byGroup[g] ? `  ${f3(s.abstention.byGroup[g].rate)}` : '');
  const row = (name: string, m: QualityMetrics, g?: string) =>
    `${name.padEnd(30)} ${String(m.n).padStart(5)}  ${f3(m.r1)}  ${f3(m.r5)}  ${f3(m.r10)}  ${f3(m.mrr10)}${abst(g)}`;
  const lines = [`${'group'.padEnd(30)} ${'n'.padStart(5)}  R@1    R@5    R@10   MRR@10  abstained`, row(title, s.overall)];
  for (const [g, m] of Object.entries(s.groups)) lines.push(row(`  ${g}`, m, g));
  for (const [g, a] of Object.entries(s.abstention.byGroup)) if (!s.groups[g]) lines.push(`  ${g.padEnd(28)} ${String(a.n).padStart(5)}  ${'-'.padEnd(29)}${f3(a.rate)}`);
  lines.push(
    `abstained: in-scope ${f3(s.abstention.inScope.rate)} of ${s.abstention.inScope.n}; out-of-scope ${f3(s.abstention.outOfScope.rate)} of ${s.abstention.outOfScope.n}`,
  );
  lines.push(`latency ms: p50 ${s.latencyMs.p50.toFixed(2)}  p95 ${s.latencyMs.p95.toFixed(2)}  p99 ${s.latencyMs.p99.toFixed(2)}`);
  return lines.join('\n');
}
