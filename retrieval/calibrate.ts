/**
 * Recalibration of confidence on an agency's own labelled questions (clarify choices,
 * approved FAQs' wording, a reviewed file): a logistic fit of "the top unit is the labelled
 * one" over the confidence signals, pulled towards the shipped model so that a few dozen
 * labels adjust it rather than replace it. Used by `loa calibrate`; the result is a small JSON
 * file in the data directory that the server loads.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { DEFAULT_CONFIDENCE_MODEL, confidenceOf, type ConfidenceFeatures, type ConfidenceModel } from './confidence.ts';
import type { Evaluable } from './evaluate.ts';

/** The calibration file's name in the data directory. */
export const CALIBRATION_FILE = 'confidence.json';

const FEATURES = Object.keys(DEFAULT_CONFIDENCE_MODEL.weights) as (keyof ConfidenceFeatures)[];

/** One labelled question: the citation id of the unit that answers it. */
export interface LabelledQuestion {
  question: string;
  unitId: string;
}

export interface CalibrationSample {
  features: ConfidenceFeatures;
  /** 1 when the top unit is the labelled one (or an article/clause of it). */
  label: number;
}

const sameUnit = (a: string, b: string) => a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);

/** Runs each labelled question and records its signals and whether the top unit is right. */
export async function calibrationSamples(retriever: Evaluable, examples: readonly LabelledQuestion[]): Promise<CalibrationSample[]> {
  const out: CalibrationSample[] = [];
  for (const ex of examples) {
    const d = await retriever.askDetailed(ex.question, {}, 1);
    if (!d.features) continue; // declined before retrieval (greeting, injection …): nothing to calibrate
    out.push({ features: d.features, label: d.hits[0] && sameUnit(d.hits[0].id, ex.unitId) ? 1 : 0 });
  }
  return out;
}

/**
 * Logistic regression with an L2 pull towards `prior` (maximum a posteriori): with few labels
 * the model stays near the shipped one, with many it follows the agency's data.
 */
export function fitConfidence(
  samples: readonly CalibrationSample[],
  prior: ConfidenceModel = DEFAULT_CONFIDENCE_MODEL,
  /** How many labels the prior is worth: with this many the data and the prior weigh alike. */
  priorLabels = 20,
  steps = 3000,
  lr = 0.5,
): ConfidenceModel {
  const w = FEATURES.map((f) => prior.weights[f]);
  const p0 = [...w];
  let bias = prior.bias;
  const n = samples.length;
  if (n === 0) return prior;
  const xs = samples.map((s) => FEATURES.map((f) => s.features[f]));
  const strength = priorLabels / n / 100;
  for (let step = 0; step < steps; step++) {
    let gb = 0;
    const gw = new Array<number>(w.length).fill(0);
    xs.forEach((x, i) => {
      let z = bias;
      for (let j = 0; j < w.length; j++) z += w[j] * x[j];
      const g = 1 / (1 + Math.exp(-z)) - samples[i].label;
      gb += g;
      for (let j = 0; j < w.length; j++) gw[j] += g * x[j];
    });
    bias -= lr * (gb / n + strength * (bias - prior.bias));
    for (let j = 0; j < w.length; j++) w[j] -= lr * (gw[j] / n + strength * (w[j] - p0[j]));
  }
  const round = (v: number) => Math.round(v * 1000) / 1000;
  return { bias: round(bias), weights: Object.fromEntries(FEATURES.map((f, j) => [f, round(w[j])])) as ConfidenceModel['weights'] };
}

/** Of the samples a model would answer at `threshold`: how many, and the share that is right. */
export function precisionAt(model: ConfidenceModel, samples: readonly CalibrationSample[], threshold: number): { answered: number; right: number } {
  const answered = samples.filter((s) => confidenceOf(s.features, model) >= threshold);
  return { answered: samples.length ? answered.length / samples.length : 0, right: answered.length ? answered.filter((s) => s.label === 1).length / answered.length : 0 };
}

const modelSchema = z.object({
  bias: z.number().finite(),
  weights: z.object(Object.fromEntries(FEATURES.map((f) => [f, z.number().finite()])) as Record<keyof ConfidenceFeatures, z.ZodNumber>),
});
const savedSchema = z.object({ version: z.literal(1), fittedAt: z.string(), examples: z.number().int().nonnegative(), model: modelSchema });

/** The calibration file written by `loa calibrate`; undefined when there is none. Throws on a broken file. */
export async function readConfidenceModel(file: string): Promise<ConfidenceModel | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  const parsed = savedSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${file} is not a confidence calibration written by \`loa calibrate\`: ${parsed.error.issues[0]?.message}`);
  return parsed.data.model;
}

export async function writeConfidenceModel(file: string, model: ConfidenceModel, examples: number, at = new Date()): Promise<void> {
  await writeFile(file, `${JSON.stringify({ version: 1, fittedAt: at.toISOString(), examples, model }, null, 2)}\n`, { mode: 0o600 });
}
