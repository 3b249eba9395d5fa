/**
 * Sample knowledge base benchmark (`npm run bench -- sample`): what `npm start` serves.
 * The bundled summaries in knowledge/sample/ are ingested through the real ingest path into
 * a temporary SQLite store and the retriever is built from the store, exactly as the server
 * does on first start. Measured on bench/data/sample-questions.jsonl (the test set) and on
 * bench/retrieval-dev-sample.jsonl (hand-written dev questions, used for calibration).
 * Set LOA_BENCH_VERBOSE=1 to list the questions that went wrong on the dev set.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ingestPaths } from '../knowledge/ingest.ts';
import type { AskResult } from '../domain/answer.ts';
import type { KnowledgeDocument } from '../domain/document.ts';
import { buildRetriever, type Retriever, type RetrieverOptions } from '../retrieval/index.ts';
import type { ConfidenceFeatures } from '../retrieval/confidence.ts';
import { percentile } from '../retrieval/metrics.ts';
import type { EvalQuestion } from '../retrieval/evaluate.ts';
import { openSqlite } from '../storage/sqlite/database.ts';
import { SqliteKnowledgeStore } from '../storage/sqlite/knowledge-store.ts';

const HERE = fileURLToPath(new URL('.', import.meta.url));
export const SAMPLE_DIR = resolve(HERE, '..', 'knowledge', 'sample');
export const SAMPLE_TEST = resolve(HERE, 'data', 'sample-questions.jsonl');
export const SAMPLE_DEV = resolve(HERE, 'retrieval-dev-sample.jsonl');
/** The defaults of app/config.ts, as `npm start` runs. */
export const SAMPLE_OPTIONS: RetrieverOptions = { abstainThreshold: 0.6, agencyName: 'Cơ quan quản lý' };

const sampleQuestionSchema = z.object({
  id: z.string().min(1),
  question: z.string(),
  relevant_doc: z.string().optional(),
  relevant_section: z.string().optional(),
  style: z.string().default('-'),
  in_scope: z.boolean(),
});
export type SampleQuestion = z.infer<typeof sampleQuestionSchema>;

const norm = (s: string) => s.normalize('NFC').trim().toLowerCase();

/** Reads a sample-style questions file (relevant_doc / relevant_section). */
export function loadSampleQuestions(file: string): SampleQuestion[] {
  return readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim())
    .map((l, i) => {
      const r = sampleQuestionSchema.safeParse(JSON.parse(l));
      if (!r.success) throw new Error(`${file}:${i + 1}: ${r.error.issues.map((x) => x.message).join('; ')}`);
      return r.data;
    });
}

/** The sample documents as the server stores them: ingested into a throw-away SQLite store. */
export async function loadSampleDocuments(dir = SAMPLE_DIR): Promise<KnowledgeDocument[]> {
  const tmp = await mkdtemp(join(tmpdir(), 'loa-sample-kb-'));
  const db = openSqlite(join(tmp, 'loa.db'));
  try {
    const store = new SqliteKnowledgeStore(db);
    await ingestPaths([dir], store, { maxFileBytes: 50 * 1024 * 1024 });
    return await store.allDocuments();
  } finally {
    db.close();
    await rm(tmp, { recursive: true, force: true });
  }
}

/** Builds the retriever over the sample base as `npm start` does. */
export async function buildSampleRetriever(options: Partial<RetrieverOptions> = {}): Promise<{ retriever: Retriever; documents: KnowledgeDocument[] }> {
  const documents = await loadSampleDocuments();
  const retriever = await buildRetriever(documents, { ...SAMPLE_OPTIONS, ...options });
  return { retriever, documents };
}

/**
 * Sample questions as evaluation questions: the gold is the unit of the gold section (or, for
 * a question without a section, every unit of the gold document).
 */
export function toEvalQuestions(questions: readonly SampleQuestion[], documents: readonly KnowledgeDocument[]): EvalQuestion[] {
  return questions.map((q) => {
    const doc = documents.find((d) => d.id === q.relevant_doc);
    const units = doc?.units.filter((u) => !q.relevant_section || norm(u.heading ?? u.section) === norm(q.relevant_section)) ?? [];
    return { id: q.id, question: q.question, relevant: units.map((u) => u.id), style: q.style, in_scope: q.in_scope };
  });
}

export interface SampleOutcome {
  q: SampleQuestion;
  result: AskResult;
  /** Document id and section of each ranked hit, best first. */
  ranked: { doc: string; section: string }[];
  features?: ConfidenceFeatures;
  ms: number;
}

/** Asks every question and records what came back. */
export async function runSample(retriever: Retriever, documents: KnowledgeDocument[], questions: SampleQuestion[]): Promise<SampleOutcome[]> {
  const where = new Map<string, { doc: string; section: string }>();
  for (const d of documents) for (const u of d.units) where.set(u.id, { doc: d.id, section: u.heading ?? u.section });
  const out: SampleOutcome[] = [];
  for (const q of questions) {
    const t = performance.now();
    const d = await retriever.askDetailed(q.question, {}, 5);
    const ms = performance.now() - t;
    out.push({ q, result: d.result, ranked: d.hits.map((h) => where.get(h.id) ?? { doc: '?', section: '?' }), features: d.features, ms });
  }
  return out;
}

const docOf = (id: string) => id.split('::')[0];

/** Whether the top citation of an answered question is from the gold document / gold section. */
export function judged(o: SampleOutcome, documents: readonly KnowledgeDocument[]): { doc: boolean; section: boolean } {
  const c = o.result.citations[0];
  if (!c || !o.q.relevant_doc) return { doc: false, section: false };
  const doc = docOf(c.id) === o.q.relevant_doc;
  const unit = documents.find((d) => d.id === docOf(c.id))?.units.find((u) => u.id === c.id);
  const section = doc && !!unit && norm(unit.heading ?? unit.section) === norm(o.q.relevant_section ?? '');
  return { doc, section };
}

export interface SampleSummary {
  n: number;
  docHit1: number;
  docHit3: number;
  secHit1: number;
  secHit3: number;
  /** In scope: answered with the right section on top / right document but another section / wrong document / abstained. */
  right: number;
  rightDocOnly: number;
  wrong: number;
  abstained: number;
  outN: number;
  outAbstained: number;
}

export function summarizeSample(outcomes: readonly SampleOutcome[], documents: readonly KnowledgeDocument[]): SampleSummary {
  const ins = outcomes.filter((o) => o.q.in_scope);
  const outs = outcomes.filter((o) => !o.q.in_scope);
  const share = (f: (o: SampleOutcome) => boolean, list = ins) => (list.length ? list.filter(f).length / list.length : 0);
  const docHit = (o: SampleOutcome, k: number) => o.ranked.slice(0, k).some((r) => r.doc === o.q.relevant_doc);
  const secHit = (o: SampleOutcome, k: number) => o.ranked.slice(0, k).some((r) => r.doc === o.q.relevant_doc && norm(r.section) === norm(o.q.relevant_section ?? ''));
  return {
    n: ins.length,
    docHit1: share((o) => docHit(o, 1)),
    docHit3: share((o) => docHit(o, 3)),
    secHit1: share((o) => secHit(o, 1)),
    secHit3: share((o) => secHit(o, 3)),
    right: share((o) => !o.result.abstained && judged(o, documents).section),
    rightDocOnly: share((o) => !o.result.abstained && judged(o, documents).doc && !judged(o, documents).section),
    wrong: share((o) => !o.result.abstained && !judged(o, documents).doc),
    abstained: share((o) => o.result.abstained),
    outN: outs.length,
    outAbstained: share((o) => o.result.abstained, outs),
  };
}

const f3 = (x: number) => x.toFixed(3);

/** A table: overall and per style. */
export function formatSample(outcomes: readonly SampleOutcome[], documents: readonly KnowledgeDocument[]): string {
  const groups = new Map<string, SampleOutcome[]>([['all', [...outcomes]]]);
  for (const o of outcomes) groups.set(o.q.style, [...(groups.get(o.q.style) ?? []), o]);
  const lines = [
    `${'style'.padEnd(16)} ${'n'.padStart(3)}  doc@1  doc@3  sec@1  sec@3 | right  docOnly wrong  abst. | out n  out abst.`,
  ];
  for (const [name, list] of groups) {
    const s = summarizeSample(list, documents);
    const ins = s.n ? `${String(s.n).padStart(3)}  ${f3(s.docHit1)}  ${f3(s.docHit3)}  ${f3(s.secHit1)}  ${f3(s.secHit3)} | ${f3(s.right)}  ${f3(s.rightDocOnly)}   ${f3(s.wrong)}  ${f3(s.abstained)}` : `${'  0'.padEnd(62)}|`;
    const outs = s.outN ? ` | ${String(s.outN).padStart(5)}  ${f3(s.outAbstained)}` : '';
    lines.push(`${name.padEnd(16)} ${ins}${outs}`);
  }
  const ms = outcomes.map((o) => o.ms);
  lines.push(`latency ms: p50 ${percentile(ms, 50).toFixed(2)}  p95 ${percentile(ms, 95).toFixed(2)}`);
  lines.push('right = answered, top citation is the gold section; docOnly = gold document, other section; wrong = other document');
  return lines.join('\n');
}

/** One line per question that went wrong (for LOA_BENCH_VERBOSE on the dev set). */
export function formatFailures(outcomes: readonly SampleOutcome[], documents: readonly KnowledgeDocument[]): string {
  const lines: string[] = [];
  for (const o of outcomes) {
    const j = judged(o, documents);
    const top = o.result.citations[0]?.id ?? o.ranked.map((r) => `${r.doc}#${r.section}`)[0] ?? '-';
    if (o.q.in_scope && !o.result.abstained && j.section) continue;
    if (!o.q.in_scope && o.result.abstained) continue;
    const what = !o.q.in_scope ? 'ANSWERED-OUT' : o.result.abstained ? 'ABSTAINED' : j.doc ? 'OTHER-SECTION' : 'WRONG';
    lines.push(`${what.padEnd(14)} ${o.result.confidence.toFixed(3)}  ${o.q.id}  ${o.q.question}  → ${top}`);
  }
  return lines.join('\n');
}

export async function runSampleKbBench(): Promise<void> {
  const t = performance.now();
  const { retriever, documents } = await buildSampleRetriever();
  const units = documents.reduce((n, d) => n + d.units.length, 0);
  console.log(`Sample knowledge base: ${documents.length} documents, ${units} units; ingest + build ${((performance.now() - t) / 1000).toFixed(2)} s`);
  const test = loadSampleQuestions(SAMPLE_TEST);
  console.log(`\nbench/data/sample-questions.jsonl (test set, ${test.length} questions)`);
  console.log(formatSample(await runSample(retriever, documents, test), documents));
  if (existsSync(SAMPLE_DEV)) {
    const dev = loadSampleQuestions(SAMPLE_DEV);
    const outcomes = await runSample(retriever, documents, dev);
    console.log(`\nbench/retrieval-dev-sample.jsonl (dev set, used for calibration, ${dev.length} questions)`);
    console.log(formatSample(outcomes, documents));
    if (process.env.LOA_BENCH_VERBOSE === '1') console.log(formatFailures(outcomes, documents));
  }
}
