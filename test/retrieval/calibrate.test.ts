import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitConfidence, precisionAt, readConfidenceModel, writeConfidenceModel, type CalibrationSample } from '../../retrieval/calibrate.ts';
import { DEFAULT_CONFIDENCE_MODEL, type ConfidenceFeatures } from '../../retrieval/confidence.ts';

const base = Object.fromEntries(Object.keys(DEFAULT_CONFIDENCE_MODEL.weights).map((k) => [k, 0.7])) as unknown as ConfidenceFeatures;
const sample = (patch: Partial<ConfidenceFeatures>, label: number): CalibrationSample => ({ features: { ...base, ...patch }, label });

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'loa-calib-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('recalibration on labelled questions', () => {
  // In this agency's data a high vector similarity goes with wrong answers, which the shipped model answers too.
  const samples = [...Array.from({ length: 30 }, () => sample({ vectorSim: 1 }, 0)), ...Array.from({ length: 30 }, () => sample({ vectorSim: 0 }, 1))];

  it('moves the weights the way the labels point, from the shipped model', () => {
    const fitted = fitConfidence(samples);
    expect(fitted.weights.vectorSim).toBeLessThan(DEFAULT_CONFIDENCE_MODEL.weights.vectorSim);
    const before = precisionAt(DEFAULT_CONFIDENCE_MODEL, samples, 0.5);
    const after = precisionAt(fitted, samples, 0.5);
    expect(before).toEqual({ answered: 1, right: 0.5 });
    expect(after.right).toBe(1);
  });

  it('keeps the shipped model when there is nothing to learn from', () => {
    expect(fitConfidence([])).toEqual(DEFAULT_CONFIDENCE_MODEL);
  });

  it('stays near the shipped model with few labels (the prior pulls)', () => {
    const few = fitConfidence(samples.slice(28, 32));
    const many = fitConfidence(samples);
    const shift = (m: typeof few) => Math.abs(m.weights.vectorSim - DEFAULT_CONFIDENCE_MODEL.weights.vectorSim);
    expect(shift(few)).toBeLessThan(shift(many));
  });

  it('writes a file the server reads back, and names a broken one', async () => {
    const file = join(dir, 'confidence.json');
    expect(await readConfidenceModel(file)).toBeUndefined();
    const model = fitConfidence(samples);
    await writeConfidenceModel(file, model, samples.length);
    expect(await readConfidenceModel(file)).toEqual(model);
    await writeFile(file, JSON.stringify({ version: 1, model: { bias: 'x' } }));
    await expect(readConfidenceModel(file)).rejects.toThrow(/not a confidence calibration written by `loa calibrate`/);
  });
});
