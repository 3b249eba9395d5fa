/**
 * Confidence that the top entry answers the question, from retrieval signals: how much of
 * the question's attainable score the top entry reaches, how much of the question's
 * vocabulary (idf mass) it contains, the margin over the runner-up, how concentrated the top
 * results are in one document, wording shared with the question, whether the question's
 * words are what the entry's heading is about, vector similarity, how much of the question
 * is vocabulary the corpus never uses, and whether the entry contains the kind of answer
 * asked for at all (an hour for "mấy giờ", a number for "bao nhiêu tiền", an authority for
 * "ở đâu").
 *
 * A logistic model over these signals, fitted by bench/retrieval-calibrate.ts on two kinds
 * of knowledge base, because their score distributions differ: the ALQAC 2023 laws (ALQAC
 * questions and hand-written citizen-style questions in scope; ALQAC 2022 Criminal/Labour
 * Code questions and hand-written off-topic questions out of scope) and the bundled
 * plain-language summaries (hand-written dev questions in and out of scope). Each group
 * weighs the same; the default threshold 0.5 then keeps in-scope abstention near 10%.
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
  /** 1 when the question asks for a place, time, hours, amount or age and the top entry contains none. */
  kindMissing: number;
  /** 1 when the top entry's heading answers the kind of question asked. */
  kindMatch: number;
  /** 1 when the top entry is a passage of a summary or an FAQ rather than an article of a law. */
  passage: number;
}

export interface ConfidenceModel {
  bias: number;
  weights: Record<keyof ConfidenceFeatures, number>;
}

export const DEFAULT_CONFIDENCE_MODEL: ConfidenceModel = {
  bias: -7.963,
  weights: {
    normScore: 3.215,
    coverage: 1.545,
    margin: 3.458,
    docShare: 1.826,
    bigramCover: 1.183,
    vectorSim: 1.371,
    unknownShare: -0.823,
    headingMatch: 2.097,
    missingIdf: 0.347,
    novelBigrams: -0.511,
    coverageTop3: 1.353,
    questionInHeading: -0.273,
    kindMissing: -1.347,
    kindMatch: 0.103,
    passage: 0.775,
    contentLength: 0,
  },
};

/** Logistic confidence in 0..1. */
export function confidenceOf(f: ConfidenceFeatures, model: ConfidenceModel = DEFAULT_CONFIDENCE_MODEL): number {
  let z = model.bias;
  for (const k of Object.keys(model.weights) as (keyof ConfidenceFeatures)[]) z += model.weights[k] * f[k];
  return 1 / (1 + Math.exp(-z));
}
