/**
 * Fits the confidence model (retrieval/confidence.ts) and prints its weights.
 * Run: node bin/run-ts.js bench/retrieval-calibrate.ts
 *
 * In scope: ALQAC 2023 questions and the hand-written citizen-style questions of
 * bench/retrieval-dev-questions.jsonl (in_scope: true), against the ALQAC 2023 corpus.
 * Out of scope: ALQAC 2022 questions whose gold is in the Criminal Code or the Labour Code
 * (legal questions on topics that corpus does not cover) and the hand-written off-topic
 * questions. Each of the four groups gets the same total weight.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConfidenceFeatures, ConfidenceModel } from '../retrieval/confidence.ts';
import { confidenceOf } from '../retrieval/confidence.ts';
import { runEvaluation, type EvalQuestion, type QuestionOutcome } from '../retrieval/evaluate.ts';
import { buildRetriever } from '../retrieval/index.ts';
import { dataPath, haveData, loadQuestions, loadSet } from './retrieval-data.ts';

const FEATURES: (keyof ConfidenceFeatures)[] = [
  'normScore',
  'coverage',
  'margin',
  'docShare',
  'bigramCover',
  'vectorSim',
  'unknownShare',
  'headingMatch',
  'missingIdf',
  'novelBigrams',
  'coverageTop3',
  'questionInHeading',
];
const HERE = fileURLToPath(new URL('.', import.meta.url));

interface Sample {
  x: number[];
  y: number;
  w: number;
  group: string;
}

/** L2-regularised logistic regression by full-batch gradient descent. */
function fit(samples: Sample[], l2 = 1e-3, steps = 4000, lr = 0.5): { bias: number; w: number[] } {
  const d = FEATURES.length;
  let bias = 0;
  const w = new Array<number>(d).fill(0);
  const totalW = samples.reduce((s, x) => s + x.w, 0);
  for (let it = 0; it < steps; it++) {
    let gb = 0;
    const gw = new Array<number>(d).fill(0);
    for (const s of samples) {
      let z = bias;
      for (let j = 0; j < d; j++) z += w[j] * s.x[j];
      const p = 1 / (1 + Math.exp(-z));
      const g = (p - s.y) * s.w;
      gb += g;
      for (let j = 0; j < d; j++) gw[j] += g * s.x[j];
    }
    bias -= (lr * gb) / totalW;
    for (let j = 0; j < d; j++) w[j] -= lr * (gw[j] / totalW + l2 * w[j]);
  }
  return { bias, w };
}

function toModel(bias: number, w: number[]): ConfidenceModel {
  const weights = Object.fromEntries(FEATURES.map((f, j) => [f, Math.round(w[j] * 1000) / 1000])) as Record<keyof ConfidenceFeatures, number>;
  weights.contentLength = 0;
  return { bias: Math.round(bias * 1000) / 1000, weights };
}

async function main(): Promise<void> {
  if (!haveData('alqac2023') || !haveData('alqac2022')) {
    console.log('calibration needs the ALQAC data; skipped');
    return;
  }
  const a23 = loadSet('alqac2023');
  const a22 = loadQuestions(dataPath('alqac2022', 'questions.jsonl'));
  const dev = loadQuestions(resolve(HERE, 'retrieval-dev-questions.jsonl'));
  const outside = (q: EvalQuestion) => q.relevant.every((id) => id.startsWith('01/VBHN-VPQH') || id.startsWith('45/2019/QH14'));
  const sets: [string, EvalQuestion[], number][] = [
    ['alqac23', a23.questions, 1],
    ['dev-in', dev.filter((q) => q.in_scope !== false), 1],
    ['alqac22-uncovered', a22.filter(outside).map((q) => ({ ...q, in_scope: false })), 0],
    ['dev-out', dev.filter((q) => q.in_scope === false), 0],
  ];
  // Threshold 0 so that every question goes through retrieval and yields features.
  const retriever = await buildRetriever(a23.documents, { abstainThreshold: 0 });
  const samples: Sample[] = [];
  const outcomes = new Map<string, QuestionOutcome[]>();
  for (const [group, qs, y] of sets) {
    const res = await runEvaluation(retriever, qs);
    outcomes.set(group, res);
    const withF = res.filter((o) => o.features);
    for (const o of withF) samples.push({ x: FEATURES.map((f) => o.features![f]), y, w: 1 / withF.length, group });
  }
  // Two-fold check: fit on even samples of each group, measure on odd ones (and vice versa).
  for (const fold of [0, 1]) {
    const train = samples.filter((_, i) => i % 2 === fold);
    const test = samples.filter((_, i) => i % 2 !== fold);
    const m = fit(train);
    const held = toModel(m.bias, m.w);
    const byGroup = new Map<string, number[]>();
    for (const s of test) {
      const f = Object.fromEntries(FEATURES.map((k, j) => [k, s.x[j]])) as unknown as ConfidenceFeatures;
      const list = byGroup.get(s.group) ?? [];
      list.push(confidenceOf({ ...f, contentLength: 0 }, held) < 0.5 ? 1 : 0);
      byGroup.set(s.group, list);
    }
    console.log(`held-out fold ${fold}:`, [...byGroup].map(([g, l]) => `${g} ${(l.reduce((a, b) => a + b, 0) / l.length).toFixed(3)}`).join('  '));
  }
  const { bias, w } = fit(samples);
  const model = toModel(bias, w);
  console.log('fitted model:', JSON.stringify(model, null, 2));
  for (const [group, res] of outcomes) {
    const rate = (b: number) =>
      res.filter((o) => !o.features || confidenceOf(o.features, { ...model, bias: b }) < 0.5).length / Math.max(res.length, 1);
    console.log(`${group.padEnd(20)} n=${res.length}  abstained@fitted=${rate(model.bias).toFixed(3)}  @bias-0.5=${rate(model.bias - 0.5).toFixed(3)}  @bias+0.5=${rate(model.bias + 0.5).toFixed(3)}`);
  }
}

await main();
