/**
 * Evaluation of a retriever on a questions file: ranking quality (Recall@1/5/10, MRR@10)
 * overall and per group, abstention on in-scope and out-of-scope questions, latency.
 * Shared by `loa eval` and the benchmark.
 */
import { z } from 'zod';
import type { ConfidenceFeatures } from './confidence.ts';
import { percentile, quality, type QualityMetrics } from './metrics.ts';
import type { SearchHit } from './types.ts';
import type { AskResult, Outcome } from '../domain/answer.ts';

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
  /** What Loa did: answer, clarify, handoff or decline. */
  outcome: Outcome;
  /** Citation ids the answer shows (for a clarify: the options' ids). */
  cited: string[];
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
  /** In-scope questions with gold ids: share of each outcome, and how often what was shown holds a gold unit. */
  decisions: {
    n: number;
    share: Record<Outcome, number>;
    /** Of answers: share citing a gold article (or a clause of it). */
    answersCitingGold: number;
    /** Of clarifying questions: share offering a gold article among the options. */
    clarifyWithGold: number;
  };
}

/** True when a cited unit is a gold article or one of its clauses ("…::8.1" for "…::8"). */
export function citesGold(cited: readonly string[], relevant: readonly string[]): boolean {
  return cited.some((c) => relevant.some((g) => c === g || c.startsWith(`${g}.`)));
}

function decisionsOf(list: readonly QuestionOutcome[]): EvalSummary['decisions'] {
  const share = { answer: 0, clarify: 0, handoff: 0, decline: 0 } as Record<Outcome, number>;
  for (const o of list) share[o.outcome] += list.length ? 1 / list.length : 0;
  const ratio = (kind: Outcome) => {
    const of = list.filter((o) => o.outcome === kind);
    return of.length ? of.filter((o) => citesGold(o.cited, o.relevant)).length / of.length : 0;
  };
  return { n: list.length, share, answersCitingGold: ratio('answer'), clarifyWithGold: ratio('clarify') };
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
      outcome: d.result.outcome,
      cited: d.result.outcome === 'clarify' ? (d.result.options ?? []).map((o) => o.id) : d.result.citations.map((c) => c.id),
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
    decisions: decisionsOf(ranked),
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
  const d = s.decisions;
  lines.push(
    `outcomes (in scope, ${d.n}): answer ${f3(d.share.answer)}  clarify ${f3(d.share.clarify)}  handoff ${f3(d.share.handoff)}  decline ${f3(d.share.decline)}; ` +
      `answers citing gold ${f3(d.answersCitingGold)}; clarify offering gold ${f3(d.clarifyWithGold)}`,
  );
  lines.push(`latency ms: p50 ${s.latencyMs.p50.toFixed(2)}  p95 ${s.latencyMs.p95.toFixed(2)}  p99 ${s.latencyMs.p99.toFixed(2)}`);
  return lines.join('\n');
}
