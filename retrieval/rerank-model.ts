/**
 * The learned second stage: a linear model over the signals of each of the top candidates
 * (the hand-weighted rerank score among them), trained pairwise (gold article above each
 * other candidate) by bench/rerank-train.ts on labelled questions of several corpora: ALQAC
 * 2023 and 2022, the citizen-style dev questions, the zalo2021 dev split and real questions
 * mined from lawyers' answers. Reported numbers come from cross-validation
 * (docs/BENCHMARKS.md); the shipped weights are fitted on all of them.
 */

export const RERANK_FEATURES = [
  /** The hand-weighted rerank score over the best one's. */
  'hand',
  /** First-stage BM25F score over the best one's. */
  'lexical',
  /** Article-level and best-clause BM25F scores over the best ones'. */
  'article',
  'clause',
  /** Share of the question's idf mass in the entry. */
  'coverage',
  /** Largest relative idf of a question syllable the entry lacks. */
  'missingIdf',
  /** Heading bigrams / syllables the question contains. */
  'headingCoverage',
  'headingUni',
  /** Share of the question's idf mass in the entry's heading. */
  'questionInHeading',
  /** Question bigrams / trigrams in the entry. */
  'bigramCover',
  'trigramCover',
  /** The entry's document's share of the top scores. */
  'docShare',
  /** The entry's document's share of the top-40 candidates' first-stage mass. */
  'docMass',
  /** Cosine with the question (corpus vectors). */
  'vectorSim',
  'kindMatch',
  'kindMissing',
  'faqMatch',
  'definitionMatch',
  /** 1 for a superseded or expired document. */
  'inactive',
  /** 1 for a decree, circular or decision (an implementing text) rather than a law or code. */
  'implementing',
  /** 1 when the question names the entry's document. */
  'named',
  /** 1/(1 + position) in the hand ranking. */
  'reciprocalRank',
  /** The article's position in its document (0 first … 1 last). */
  'position',
  /** log(1 + body length in syllables) / 10. */
  'length',
] as const;
export type RerankFeature = (typeof RERANK_FEATURES)[number];
export type RerankVector = Record<RerankFeature, number>;

export interface RerankModel {
  weights: RerankVector;
}

/** Score of a candidate under a model (a monotone ranking score, not a probability). */
export function rerankScore(model: RerankModel, f: RerankVector): number {
  let s = 0;
  for (const k of RERANK_FEATURES) s += model.weights[k] * f[k];
  return s;
}

/** Shipped weights (bench/rerank-train.ts --write); undefined keeps the hand-weighted rerank. */
export const DEFAULT_RERANK_MODEL: RerankModel | undefined = undefined;
