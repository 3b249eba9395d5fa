/**
 * Fits the confidence model (retrieval/confidence.ts) and prints its weights.
 * Run: node bin/run-ts.js bench/retrieval-calibrate.ts [--write]
 * (--write puts the fitted model into retrieval/confidence.ts).
 *
 * Two knowledge bases, because their score distributions differ (long articles of codes
 * against short plain-language passages whose headings are questions):
 *  - ALQAC 2023 corpus. In scope: ALQAC 2023 questions and the hand-written citizen-style
 *    questions of bench/retrieval-dev-questions*.jsonl (in_scope: true). Out of scope: ALQAC
 *    2022 questions whose gold is in the Criminal Code or the Labour Code (legal questions on
 *    topics that corpus does not cover) and the hand-written off-topic questions.
 *  - The bundled sample base (knowledge/sample/, built as `npm start` does). In scope: the
 *    hand-written dev questions of bench/retrieval-dev-sample.jsonl whose top hit is from the
 *    right summary (a wrong summary on top would be a wrong answer: those are negatives);
 *    out of scope: its off-topic questions. The test set bench/data/sample-questions.jsonl
 *    is never used here.
 * Each group gets the same total weight. The bias is then moved to the least abstention at
 * which every out-of-scope group is still declined at least 90% of the time.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConfidenceFeatures, ConfidenceModel } from '../retrieval/confidence.ts';
import { confidenceOf } from '../retrieval/confidence.ts';
import { citesGold, runEvaluation, type EvalQuestion, type QuestionOutcome } from '../retrieval/evaluate.ts';
import { fold } from '../domain/fold.ts';
import { hoidapQuestions } from './hoidap-labels.ts';
import { buildRetriever } from '../retrieval/index.ts';
import { dataPath, haveData, loadCorpus, loadQuestions, loadSet } from './retrieval-data.ts';
import { buildSampleRetriever, loadSampleQuestions, SAMPLE_DEV, toEvalQuestions } from './sample-kb.ts';

const ALL_FEATURES: (keyof ConfidenceFeatures)[] = [
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
  'kindMissing',
  'kindMatch',
  'passage',
];
/** LOA_CALIBRATE_DROP=a,b leaves features out (to measure what each adds). */
const DROP = new Set((process.env.LOA_CALIBRATE_DROP ?? '').split(',').filter(Boolean));
const FEATURES = ALL_FEATURES.filter((f) => !DROP.has(f));
const HERE = fileURLToPath(new URL('.', import.meta.url));
/** Hand-written citizen-style questions on the ALQAC 2023 corpus (never the citizen test set). */
const DEV_FILES = ['retrieval-dev-questions.jsonl', 'retrieval-dev-questions-more.jsonl'];

interface Sample {
  x: number[];
  y: number;
  w: number;
  group: string;
}

/** L2-regularised logistic regression by full-batch gradient descent. */
function fit(samples: Sample[], l2 = 1e-3, steps = 6000, lr = 0.5): { bias: number; w: number[] } {
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
  const weights = Object.fromEntries(ALL_FEATURES.map((f) => [f, 0])) as Record<keyof ConfidenceFeatures, number>;
  FEATURES.forEach((f, j) => (weights[f] = Math.round(w[j] * 1000) / 1000));
  weights.contentLength = 0;
  return { bias: Math.round(bias * 1000) / 1000, weights };
}

const asFeatures = (x: number[]) => ({ ...Object.fromEntries(ALL_FEATURES.map((k) => [k, 0])), ...Object.fromEntries(FEATURES.map((k, j) => [k, x[j]])), contentLength: 0 }) as ConfidenceFeatures;

/** Replaces DEFAULT_CONFIDENCE_MODEL in retrieval/confidence.ts with `model`. */
async function writeModel(model: ConfidenceModel): Promise<void> {
  const file = resolve(HERE, '..', 'retrieval', 'confidence.ts');
  const source = await readFile(file, 'utf8');
  const body = Object.entries(model.weights).map(([k, v]) => `    ${k}: ${v},`).join('\n');
  const literal = `export const DEFAULT_CONFIDENCE_MODEL: ConfidenceModel = {\n  bias: ${model.bias},\n  weights: {\n${body}\n  },\n};`;
  const pattern = /export const DEFAULT_CONFIDENCE_MODEL: ConfidenceModel = \{[\s\S]*?\n\};/;
  if (!pattern.test(source)) throw new Error('DEFAULT_CONFIDENCE_MODEL not found in retrieval/confidence.ts');
  await writeFile(file, source.replace(pattern, literal));
  console.log(`written to ${file}`);
}

async function main(): Promise<void> {
  if (!haveData('alqac2023') || !haveData('alqac2022')) {
    console.log('calibration needs the ALQAC data; skipped');
    return;
  }
  const a23 = loadSet('alqac2023');
  const a22 = loadQuestions(dataPath('alqac2022', 'questions.jsonl'));
  const dev = DEV_FILES.flatMap((f) => loadQuestions(resolve(HERE, f)));
  const outside = (q: EvalQuestion) => q.relevant.every((id) => id.startsWith('01/VBHN-VPQH') || id.startsWith('45/2019/QH14'));
  // Threshold 0 so that every question goes through retrieval and yields features.
  const retriever = await buildRetriever(a23.documents, { abstainThreshold: 0 });
  const sample = await buildSampleRetriever({ abstainThreshold: 0 });
  const sampleDev = toEvalQuestions(loadSampleQuestions(SAMPLE_DEV), sample.documents);
  const docOf = (id: string) => id.split('::')[0];
  /** A sample in-scope question counts as positive when the right summary is on top. */
  const sampleLabel = (o: QuestionOutcome) => (o.ranked[0] !== undefined && o.relevant.some((g) => docOf(g) === docOf(o.ranked[0])) ? 1 : 0);
  // In scope, the label is whether the top hit is a gold article: confidence must say "this
  // answer is right", not "the corpus covers this topic" (a wrong article stated as the law is
  // the failure that matters most).
  const topIsGold = (o: QuestionOutcome) => (o.ranked[0] !== undefined && citesGold([o.ranked[0]], o.relevant) ? 1 : 0);
  const zdocs = loadCorpus(dataPath('zalo2021', 'corpus.jsonl'));
  const zalo = await buildRetriever(zdocs, { abstainThreshold: 0 });
  const zdev = loadQuestions(dataPath('zalo2021', 'questions-dev.jsonl'));
  const sets: [string, typeof retriever, EvalQuestion[], (o: QuestionOutcome) => number][] = [
    ['alqac23', retriever, a23.questions, topIsGold],
    ['dev-in', retriever, dev.filter((q) => q.in_scope !== false), topIsGold],
    ['zalo-dev', zalo, zdev, topIsGold],
    ['zalo-dev-folded', zalo, zdev.map((q) => ({ ...q, question: fold(q.question) })), topIsGold],
    ['hoidap', zalo, hoidapQuestions(zdocs), topIsGold],
    ['alqac22-uncovered', retriever, a22.filter(outside).map((q) => ({ ...q, in_scope: false })), () => 0],
    ['dev-out', retriever, dev.filter((q) => q.in_scope === false), () => 0],
    ['sample-in', sample.retriever, sampleDev.filter((q) => q.in_scope !== false), sampleLabel],
    ['sample-out', sample.retriever, sampleDev.filter((q) => q.in_scope === false), () => 0],
  ];
  const samples: Sample[] = [];
  const outcomes = new Map<string, QuestionOutcome[]>();
  for (const [group, r, qs, label] of sets) {
    const res = await runEvaluation(r, qs);
    outcomes.set(group, res);
    const withF = res.filter((o) => o.features);
    for (const o of withF) samples.push({ x: FEATURES.map((f) => o.features![f]), y: label(o), w: 1 / withF.length, group });
  }
  // Two-fold check: fit on even samples of each group, measure on odd ones (and vice versa).
  for (const fold of [0, 1]) {
    const train = samples.filter((_, i) => i % 2 === fold);
    const test = samples.filter((_, i) => i % 2 !== fold);
    const m = fit(train);
    const held = toModel(m.bias, m.w);
    const byGroup = new Map<string, number[]>();
    for (const s of test) {
      const list = byGroup.get(s.group) ?? [];
      list.push(confidenceOf(asFeatures(s.x), held) < 0.5 ? 1 : 0);
      byGroup.set(s.group, list);
    }
    console.log(`held-out fold ${fold} abstained:`, [...byGroup].map(([g, l]) => `${g} ${(l.reduce((a, b) => a + b, 0) / l.length).toFixed(3)}`).join('  '));
    for (const t of [0.5, 0.6, 0.7, 0.8]) {
      const rows = [...new Set(test.map((x) => x.group))].map((g) => {
        const list = test.filter((x) => x.group === g);
        const answered = list.filter((x) => confidenceOf(asFeatures(x.x), held) >= t);
        const right = answered.filter((x) => x.y === 1).length;
        return `${g} ans ${(answered.length / list.length).toFixed(2)} right ${(answered.length ? right / answered.length : 0).toFixed(2)}`;
      });
      console.log(`  threshold ${t}: ${rows.join(' | ')}`);
    }
  }
  const { bias: fitted, w } = fit(samples);
  // The threshold's job is to decline what the documents do not answer: take the bias that
  // abstains least while every out-of-scope group is still declined at least 90% of the time.
  const outGroups = sets.filter((s) => s[0].includes('out') || s[0].includes('uncovered')).map((s) => s[0]);
  // Over every question of the group: those a guard declined (no features) count as declined.
  const declined = (b: number, group: string) => {
    const list = outcomes.get(group) ?? [];
    const m = toModel(b, w);
    return list.filter((o) => !o.features || confidenceOf(o.features, m) < 0.5).length / Math.max(list.length, 1);
  };
  let bias = fitted;
  for (let step = 20; step >= -20; step--) {
    if (outGroups.every((g) => declined(fitted + step / 20, g) >= 0.9)) {
      bias = fitted + step / 20;
      break;
    }
  }
  console.log(`fitted bias ${fitted.toFixed(3)}; chosen ${bias.toFixed(3)} (every out-of-scope group declined ≥ 90%)`);
  const model = toModel(bias, w);
  console.log('fitted model:', JSON.stringify(model, null, 2));
  if (process.argv.includes('--write')) await writeModel(model);
  for (const [group, res] of outcomes) {
    const label = sets.find((s) => s[0] === group)![3];
    const rate = (b: number) => res.filter((o) => !o.features || confidenceOf(o.features, { ...model, bias: b }) < 0.5).length / Math.max(res.length, 1);
    const wrong = res.filter((o) => o.inScope && o.features && label(o) === 0 && confidenceOf(o.features, model) >= 0.5).length / Math.max(res.length, 1);
    console.log(
      `${group.padEnd(20)} n=${res.length}  abstained@fitted=${rate(model.bias).toFixed(3)}  @bias-0.5=${rate(model.bias - 0.5).toFixed(3)}  @bias+0.5=${rate(model.bias + 0.5).toFixed(3)}${group.startsWith('sample-in') ? `  answered with a wrong summary=${wrong.toFixed(3)}` : ''}`,
    );
  }
}

await main();
