/**
 * Confidence that the top entry answers the question, from retrieval signals: how much of
 * the question's attainable score the top entry reaches, how much of the question's
 * vocabulary (idf mass) it contains, the margin over the runner-up, how concentrated the top
 * results are in one document, wording shared with the question, whether the question's
 * words are what the entry's heading is about, vector similarity, and how much of the
 * question is vocabulary the corpus never uses.
 *
 * A logistic model over these signals. Its weights were fitted (bench/retrieval-calibrate.ts)
 * on ALQAC 2023 questions (in scope) against ALQAC 2022 Criminal/Labour Code questions and
 * hand-written off-topic and citizen-style questions (out of scope for that corpus), then the
 * bias was set so that the default threshold 0.5 keeps in-scope abstention near 10%.
 */

export interface ConfidenceFeatures {
  /** Top entry's first-stage score over the query's attainable score (0..1+). */
  normScore: number;
  /** Share of the question's idf mass found in the top entry (0..1). */
  coverage: number;
  /** (s1 − s2) / s1 on final scores (0..1). */
  margin: number;
  /** The top entry's document's share of the top-10 score mass (0..1). */
  docShare: number;
  /** Share of the question's content bigrams (function words split, not joined) found in the top entry (0..1). */
  bigramCover: number;
  /** Cosine between question and top entry vectors (0 when there are no vectors). */
  vectorSim: number;
  /** Share of the question's idf mass in syllables the corpus never uses (0..1). */
  unknownShare: number;
  /** Share of the top entry's heading syllables found in the question (0..1). */
  headingMatch: number;
  /** Largest relative idf of a question syllable the top entry lacks (0..1). */
  missingIdf: number;
  /** Share of the question's content bigrams that occur nowhere in the corpus (0..1). */
  novelBigrams: number;
  /** Best coverage among the top three entries (0..1). */
  coverageTop3: number;
  /** Best share of the question's idf mass found in a top-three entry's heading (0..1). */
  questionInHeading: number;
  /** Content syllables in the question. */
  contentLength: number;
}

export interface ConfidenceModel {
  bias: number;
  weights: Record<keyof ConfidenceFeatures, number>;
}

export const DEFAULT_CONFIDENCE_MODEL: ConfidenceModel = {
  bias: -8.048,
  weights: {
    normScore: 2.522,
    coverage: 0.774,
    margin: -0.255,
    docShare: 2.565,
    bigramCover: 1.026,
    vectorSim: 3.575,
    unknownShare: -0.181,
    headingMatch: 1.576,
    missingIdf: -0.41,
    novelBigrams: 0.59,
    coverageTop3: 0.836,
    questionInHeading: 2.316,
    contentLength: 0,
  },
};

/** Logistic confidence in 0..1. */
export function confidenceOf(f: ConfidenceFeatures, model: ConfidenceModel = DEFAULT_CONFIDENCE_MODEL): number {
  let z = model.bias;
  for (const k of Object.keys(model.weights) as (keyof ConfidenceFeatures)[]) z += model.weights[k] * f[k];
  return 1 / (1 + Math.exp(-z));
}
