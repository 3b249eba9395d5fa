/**
 * Trains the learned second stage (retrieval/rerank-model.ts) and reports it honestly.
 * Run: node bin/run-ts.js bench/rerank-train.ts [--write]
 *
 * Labelled questions, each on its own corpus:
 *  - ALQAC 2023 (all splits) and the hand-written citizen-style dev questions
 *    (bench/retrieval-dev-questions*.jsonl) on the ALQAC 2023 laws;
 *  - ALQAC 2022 on its laws;
 *  - the zalo2021 dev split and real questions mined from lawyers' answers
 *    (bench/hoidap-labels.ts) on the zalo2021 corpus.
 * The citizen-style test set (bench/data/citizen-questions.jsonl) and the sample base's test
 * questions are never used here.
 *
 * Pairwise logistic regression: for each question whose gold article is among the 40
 * candidates, gold − other on every signal should score above 0. Each set weighs the same.
 * Reported: 5-fold cross-validation by question (every question scored by a model that never
 * saw it), per set, next to the hand-weighted rerank. `--write` stores the model fitted on
 * everything into retrieval/rerank-model.ts.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EvalQuestion } from '../retrieval/evaluate.ts';
import { buildRetriever } from '../retrieval/index.ts';
import { quality } from '../retrieval/metrics.ts';
import { RERANK_FEATURES, rerankScore, type RerankModel, type RerankVector } from '../retrieval/rerank-model.ts';
import { fold } from '../domain/fold.ts';
import { hoidapQuestions } from './hoidap-labels.ts';
import { dataPath, haveData, loadCorpus, loadQuestions, loadSet } from './retrieval-data.ts';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const DEV_FILES = ['retrieval-dev-questions.jsonl', 'retrieval-dev-questions-more.jsonl'];
const POOL = 40;
const FOLDS = 5;

interface Item {
  set: string;
  gold: Set<string>;
  ids: string[];
  x: number[][];
}

const vec = (f: RerankVector) => RERANK_FEATURES.map((k) => f[k]);
const isGold = (id: string, gold: Set<string>) => gold.has(id) || [...gold].some((g) => id.startsWith(`${g}.`));

/** Pairwise logistic regression by full-batch gradient descent, each set weighing the same. */
export function fitPairwise(
  items: readonly Item[],
  l2 = Number(process.env.LOA_RERANK_L2 ?? 1e-3),
  steps = Number(process.env.LOA_RERANK_STEPS ?? 400),
  lr = Number(process.env.LOA_RERANK_LR ?? 1),
  /** Negatives: the candidates ranked highest by the hand rerank (where the top-1 is decided). */
  negatives = Number(process.env.LOA_RERANK_NEG ?? 40),
): number[] {
  const d = RERANK_FEATURES.length;
  const perSet = new Map<string, number>();
  for (const it of items) perSet.set(it.set, (perSet.get(it.set) ?? 0) + 1);
  const pairs: { diff: number[]; w: number }[] = [];
  for (const it of items) {
    const g = it.ids.findIndex((id) => isGold(id, it.gold));
    if (g < 0) continue;
    const others = it.ids.map((_, i) => i).filter((i) => i !== g && !isGold(it.ids[i], it.gold)).slice(0, negatives);
    for (const o of others) pairs.push({ diff: it.x[g].map((v, j) => v - it.x[o][j]), w: 1 / others.length / perSet.get(it.set)! });
  }
  const total = pairs.reduce((s, p) => s + p.w, 0);
  const w = new Array<number>(d).fill(0);
  w[RERANK_FEATURES.indexOf('hand')] = 1; // start from the hand-weighted rerank
  for (let step = 0; step < steps; step++) {
    const grad = new Array<number>(d).fill(0);
    for (const p of pairs) {
      let z = 0;
      for (let j = 0; j < d; j++) z += w[j] * p.diff[j];
      const g = (-1 / (1 + Math.exp(z))) * p.w;
      for (let j = 0; j < d; j++) grad[j] += g * p.diff[j];
    }
    for (let j = 0; j < d; j++) w[j] -= lr * (grad[j] / total + l2 * w[j]);
  }
  return w;
}

const toModel = (w: number[]): RerankModel => ({
  weights: Object.fromEntries(RERANK_FEATURES.map((k, j) => [k, Math.round(w[j] * 1000) / 1000])) as RerankVector,
});

function metrics(items: readonly Item[], score: (it: Item, i: number) => number) {
  return quality(
    items.map((it) => {
      const order = it.ids.map((_, i) => i).sort((a, b) => score(it, b) - score(it, a));
      return { ranked: order.slice(0, 10).map((i) => it.ids[i]), relevant: [...it.gold] };
    }),
  );
}

async function collect(set: string, documents: Parameters<typeof buildRetriever>[0], questions: readonly EvalQuestion[], items: Item[]): Promise<void> {
  const r = await buildRetriever(documents, { abstainThreshold: 0.5, tuning: { rank: { learned: null } } });
  for (const q of questions) {
    if (q.relevant.length === 0 || q.in_scope === false) continue;
    const c = r.candidates(q.question, POOL);
    items.push({ set, gold: new Set(q.relevant), ids: c.map((x) => x.id), x: c.map((x) => vec(x.features)) });
  }
  console.log(`${set}: ${questions.length} questions`);
}

async function writeModel(model: RerankModel): Promise<void> {
  const file = resolve(HERE, '..', 'retrieval', 'rerank-model.ts');
  const source = await readFile(file, 'utf8');
  const body = RERANK_FEATURES.map((k) => `    ${k}: ${model.weights[k]},`).join('\n');
  const literal = `export const DEFAULT_RERANK_MODEL: RerankModel | undefined = {\n  weights: {\n${body}\n  },\n};`;
  const pattern = /export const DEFAULT_RERANK_MODEL: RerankModel \| undefined = [\s\S]*?;\n/;
  if (!pattern.test(source)) throw new Error('DEFAULT_RERANK_MODEL not found');
  await writeFile(file, source.replace(pattern, `${literal}\n`));
  console.log(`written to ${file}`);
}

async function main(): Promise<void> {
  if (!haveData('alqac2023') || !haveData('alqac2022')) {
    console.log('rerank training needs the shared data; skipped');
    return;
  }
  const cache = process.env.LOA_RERANK_CACHE;
  let items: Item[] = [];
  if (cache && existsSync(cache)) {
    items = (JSON.parse(await readFile(cache, 'utf8')) as (Omit<Item, 'gold'> & { gold: string[] })[]).map((it) => ({ ...it, gold: new Set(it.gold) }));
  } else await collectAll(items);
  if (cache && !existsSync(cache)) await writeFile(cache, JSON.stringify(items.map((it) => ({ ...it, gold: [...it.gold] }))));
  report(items);
  const model = toModel(fitPairwise(items));
  console.log('\nweights fitted on all sets:');
  for (const k of RERANK_FEATURES) console.log(`  ${k.padEnd(20)} ${model.weights[k]}`);
  if (process.argv.includes('--write')) await writeModel(model);
}

async function collectAll(items: Item[]): Promise<void> {
  const a23 = loadSet('alqac2023');
  const dev = DEV_FILES.flatMap((f) => loadQuestions(resolve(HERE, f)));
  await collect('alqac2023', a23.documents, a23.questions, items);
  await collect('citizen-dev (alqac2023)', a23.documents, dev, items);
  const a22 = loadSet('alqac2022');
  await collect('alqac2022', a22.documents, a22.questions, items);
  const zdocs = loadCorpus(dataPath('zalo2021', 'corpus.jsonl'));
  const zdev = loadQuestions(dataPath('zalo2021', 'questions-dev.jsonl'));
  await collect('zalo2021 dev', zdocs, zdev, items);
  await collect('zalo2021 dev, no diacritics', zdocs, zdev.map((q) => ({ ...q, question: fold(q.question) })), items);
  await collect('hoidap (zalo2021 corpus)', zdocs, hoidapQuestions(zdocs), items);
}

function report(items: Item[]): void {

  // 5-fold cross-validation by question; a question and its diacritic-free copy share a fold.
  const seen = new Map<string, number>();
  const foldOf = items.map((it) => {
    const base = it.set.replace(/, no diacritics$/, '');
    const n = seen.get(it.set) ?? 0;
    seen.set(it.set, n + 1);
    let h = 2166136261;
    for (const ch of `${base}#${n}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
    return h % FOLDS;
  });
  const cvScore = new Map<Item, number[]>();
  for (let f = 0; f < FOLDS; f++) {
    const model = toModel(fitPairwise(items.filter((_, i) => foldOf[i] !== f)));
    items.forEach((it, i) => {
      if (foldOf[i] === f) cvScore.set(it, it.x.map((x) => rerankScore(model, Object.fromEntries(RERANK_FEATURES.map((k, j) => [k, x[j]])) as RerankVector)));
    });
  }
  const hi = RERANK_FEATURES.indexOf('hand');
  console.log(`\n${'set'.padEnd(32)} n     hand R@1  R@5    | learned (5-fold CV) R@1  R@5    MRR@10`);
  for (const set of [...new Set(items.map((i) => i.set))]) {
    const list = items.filter((i) => i.set === set);
    const h = metrics(list, (it, i) => it.x[i][hi]);
    const l = metrics(list, (it, i) => cvScore.get(it)![i]);
    console.log(`${set.padEnd(32)} ${String(list.length).padEnd(5)} ${h.r1.toFixed(3)}     ${h.r5.toFixed(3)}  | ${l.r1.toFixed(3)}                    ${l.r5.toFixed(3)}  ${l.mrr10.toFixed(3)}`);
  }
}

await main();
