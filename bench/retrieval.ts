/**
 * Retrieval benchmark (`npm run bench -- retrieval`): quality on ALQAC 2022/2023 and the
 * citizen set, abstention, build/load time, ask latency at ALQAC size and at ~60,000
 * article-level chunks, peak memory, and an ablation table of what each part contributes.
 * Set LOA_BENCH_QUICK=1 to skip the 60k corpus and the ablations.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KnowledgeDocument } from '../domain/document.ts';
import { fold } from '../domain/fold.ts';
import { formatSummary, questionText, runEvaluation, summarize, type EvalQuestion } from '../retrieval/evaluate.ts';
import { buildRetriever, loadRetriever, type Retriever, type RetrieverOptions } from '../retrieval/index.ts';
import { percentile, quality } from '../retrieval/metrics.ts';
import { hoidapQuestions } from './hoidap-labels.ts';
import { dataPath, haveData, loadCorpus, loadQuestions, loadSet } from './retrieval-data.ts';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const CITIZEN = resolve(HERE, 'data', 'citizen-questions.jsonl');
/** Hand-written citizen-style dev questions on the ALQAC 2023 corpus (used for calibration). */
const DEV = ['retrieval-dev-questions.jsonl', 'retrieval-dev-questions-more.jsonl'].map((f) => resolve(HERE, f));
const BASE: RetrieverOptions = { abstainThreshold: 0.6 };

const f3 = (x: number) => x.toFixed(3);

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const v = await fn();
  return [v, performance.now() - t];
}

async function evaluate(title: string, retriever: Retriever, questions: EvalQuestion[], withChoices = false): Promise<void> {
  const outcomes = await runEvaluation(retriever, questions, { withChoices });
  console.log(`\n${title}`);
  console.log(formatSummary(summarize(outcomes)));
}

/** R@1 / MRR@10 from the synchronous search (used by the ablations). */
function searchQuality(r: Retriever, questions: EvalQuestion[], transform: (q: string) => string = (q) => q) {
  return quality(questions.map((q) => ({ ranked: r.search(transform(questionText(q, false)), 10).map((h) => h.id), relevant: q.relevant })));
}

async function ablations(documents: KnowledgeDocument[], questions: EvalQuestion[]): Promise<void> {
  const off: RetrieverOptions['tuning'] = {
    lexical: { bigrams: false, folded: false, k1: 1.2, b: 0.75, titleWeight: 1 },
    query: { bigrams: false, folded: false, stopPhrases: false, typoRepair: false, lexiconWeight: 0 },
    rank: { clauseWeight: 0, rerankDepth: 0, steerBoost: 1, articleRefBonus: 0 },
  };
  type Tuning = NonNullable<RetrieverOptions['tuning']>;
  const merge = (a: Tuning, b: Tuning): Tuning => ({
    lexical: { ...a.lexical, ...b.lexical },
    query: { ...a.query, ...b.query },
    rank: { ...a.rank, ...b.rank },
  });
  const steps: [string, Tuning, boolean][] = [];
  let t: Tuning = off!;
  const add = (name: string, change: Tuning, vectors = false) => {
    t = merge(t, change);
    steps.push([name, t, vectors]);
  };
  add('BM25 over syllables (k1 1.2, b 0.75)', {});
  add('+ syllable bigrams', { lexical: { bigrams: true }, query: { bigrams: true } });
  add('+ BM25F: title ×3, k1 0.6, b 0.6', { lexical: { titleWeight: 3, k1: 0.6, b: 0.6 } });
  add('+ folded (diacritic-free) index', { lexical: { folded: true }, query: { folded: true } });
  add('+ stop phrases', { query: { stopPhrases: true } });
  add('+ best clause (max of article, 0.85 × clause)', { rank: { clauseWeight: 0.85 } });
  add('+ typo repair', { query: { typoRepair: true } });
  add('+ law steering, article refs, lexicon', { rank: { steerBoost: 1.3, articleRefBonus: 1 }, query: { lexiconWeight: 0.6 } });
  add('+ rerank (heading, n-grams, law share)', { rank: { rerankDepth: 40, vectorWeight: 0 } });
  add('+ LSA vectors (rerank weight 0.1 + kNN recall)', { rank: { vectorWeight: 0.1 } }, true);
  console.log('\nAblation on ALQAC 2023 (cumulative; stem only; R@1 / MRR@10; last column: same questions without diacritics)');
  console.log(`${'configuration'.padEnd(50)} R@1    MRR@10  R@5    | folded R@1  MRR@10`);
  for (const [name, tuning, vectors] of steps) {
    const r = await buildRetriever(documents, { ...BASE, tuning, embeddings: { kind: vectors ? 'corpus' : 'none' } });
    const m = searchQuality(r, questions);
    const fm = searchQuality(r, questions, fold);
    console.log(`${name.padEnd(50)} ${f3(m.r1)}  ${f3(m.mrr10)}   ${f3(m.r5)}  | ${f3(fm.r1)}       ${f3(fm.mrr10)}`);
  }
  // Vectors alone, to show what the corpus embeddings can and cannot do.
  const full = await buildRetriever(documents, BASE);
  const vecOnly = await buildRetriever(documents, { ...BASE, tuning: { rank: { rerankDepth: 40, vectorWeight: 10, headingBonus: 0, bigramCoverWeight: 0, trigramCoverWeight: 0, docShareWeight: 0, headingSyllableWeight: 0 } } });
  const vm = searchQuality(vecOnly, questions);
  console.log(`${'(reference) rerank by vector similarity only'.padEnd(50)} ${f3(vm.r1)}  ${f3(vm.mrr10)}   ${f3(vm.r5)}`);
  const cm = quality(questions.map((q) => ({ ranked: full.search(questionText(q, true), 10).map((h) => h.id), relevant: q.relevant })));
  console.log(`${'(reference) full, multiple-choice options appended'.padEnd(50)} ${f3(cm.r1)}  ${f3(cm.mrr10)}   ${f3(cm.r5)}`);
}

export async function latency(r: Retriever, questions: EvalQuestion[], label: string): Promise<void> {
  for (const q of questions.slice(0, 30)) await r.ask(q.question); // warm-up
  const ms: number[] = [];
  for (const q of questions) {
    const t = performance.now();
    await r.ask(q.question);
    ms.push(performance.now() - t);
  }
  console.log(`${label}: ask latency p50 ${percentile(ms, 50).toFixed(2)} ms, p95 ${percentile(ms, 95).toFixed(2)} ms, p99 ${percentile(ms, 99).toFixed(2)} ms (${ms.length} questions)`);
}

/**
 * Real citizen-style questions (zalo2021 dev split, 66) over its 5,138-article corpus, with
 * and without diacritics, and real questions mined from lawyers' answers (hoidap). Definition
 * questions and the confidence refit looked at the dev split: it is a dev set, not held out.
 */
async function zalo2021(): Promise<void> {
  if (!existsSync(dataPath('zalo2021', 'corpus.jsonl'))) {
    console.log('\nzalo2021 data not found; skipped');
    return;
  }
  const docs = loadCorpus(dataPath('zalo2021', 'corpus.jsonl'));
  const [r, ms] = await timed(() => buildRetriever(docs, BASE));
  console.log(`\nzalo2021 corpus: ${docs.length} documents; build ${(ms / 1000).toFixed(2)} s`);
  const dev = loadQuestions(dataPath('zalo2021', 'questions-dev.jsonl'));
  await evaluate('zalo2021 dev (real citizen-style questions)', r, dev);
  await evaluate('zalo2021 dev, without diacritics', r, dev.map((q) => ({ ...q, question: fold(q.question) })));
  const mined = hoidapQuestions(docs);
  if (mined.length) await evaluate(`Real questions from lawyers' answers citing this corpus (hoidap, ${mined.length})`, r, mined);
  await latency(r, dev, 'zalo2021 size');
}

/** Runs the large-corpus measurements in fresh processes, so each peak memory is its own. */
async function largeCorpus(chunks: number): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'loa-bench-'));
  const run = (args: string[]) => {
    const res = spawnSync(process.execPath, [resolve(HERE, '..', 'bin', 'run-ts.js'), resolve(HERE, 'retrieval-large.ts'), ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, LOA_LOG_LEVEL: 'warn' },
    });
    process.stdout.write(res.stdout ?? '');
    if (res.status !== 0) console.log(`  large-corpus step ${args[0]} failed (exit ${res.status})`);
  };
  try {
    run(['build', String(chunks), join(dir, 'index')]);
    run(['load', join(dir, 'index')]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function runRetrievalBench(): Promise<void> {
  if (!haveData('alqac2023')) {
    console.log(`ALQAC data not found under ${dataPath()} (set LOA_BENCH_DATA); retrieval benchmark skipped`);
    return;
  }
  const quick = process.env.LOA_BENCH_QUICK === '1';
  const a23 = loadSet('alqac2023');
  const [r23, build23] = await timed(() => buildRetriever(a23.documents, BASE));
  const dir = await mkdtemp(join(tmpdir(), 'loa-bench-'));
  try {
    const [, saveMs] = await timed(() => r23.save(join(dir, 'index')));
    const [, loadMs] = await timed(() => loadRetriever(join(dir, 'index'), BASE));
    console.log(`ALQAC 2023 corpus: ${a23.documents.length} laws; build ${(build23 / 1000).toFixed(2)} s, save ${(saveMs / 1000).toFixed(2)} s, load ${(loadMs / 1000).toFixed(2)} s`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  await evaluate('ALQAC 2023 (stem only)', r23, a23.questions);
  await evaluate('ALQAC 2023, questions without diacritics', r23, a23.questions.map((q) => ({ ...q, question: fold(q.question) })));
  if (existsSync(CITIZEN)) {
    await evaluate('Citizen questions (bench/data/citizen-questions.jsonl) on ALQAC 2023', r23, loadQuestions(CITIZEN));
    const cz = loadQuestions(CITIZEN).filter((q) => q.in_scope !== false);
    const top5 = new Map<string, [number, number]>();
    for (const q of cz) {
      const hit = r23.search(q.question, 5).some((h) => q.relevant.includes(h.id));
      const [h, n] = top5.get(q.style ?? '-') ?? [0, 0];
      top5.set(q.style ?? '-', [h + (hit ? 1 : 0), n + 1]);
    }
    console.log(`gold in top-5 by style: ${[...top5].map(([s, [h, n]]) => `${s} ${f3(h / n)}`).join(', ')}`);
  } else {
    console.log(`\nCitizen set ${CITIZEN} not found; skipped`);
  }
  const dev = DEV.filter((f) => existsSync(f)).flatMap((f) => loadQuestions(f));
  if (dev.length) await evaluate('Hand-written dev questions (used for calibration)', r23, dev);
  await latency(r23, a23.questions, 'ALQAC 2023 size');

  if (haveData('alqac2022')) {
    const a22 = loadSet('alqac2022');
    const [r22, build22] = await timed(() => buildRetriever(a22.documents, BASE));
    console.log(`\nALQAC 2022 corpus: build ${(build22 / 1000).toFixed(2)} s`);
    await evaluate('ALQAC 2022', r22, a22.questions);
  }
  await zalo2021();
  if (quick) return;
  await ablations(a23.documents, a23.questions);
  // "Chunks" are article-level entries (what search returns); each keeps its clauses.
  for (const n of (process.env.LOA_BENCH_CHUNKS ?? '16000,60000').split(',')) await largeCorpus(Number(n));
}
