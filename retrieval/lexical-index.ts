/**
 * A BM25F inverted index over syllables, syllable bigrams and their folded forms, with two
 * fields (title ×w, body). Impacts are precomputed at build time and stored quantised
 * (uint8 × a per-term scale), so a query is only additions into a score array.
 */
import type { Vocabulary } from './vocabulary.ts';

/** Quantisation levels of an impact: 8 bits cost at most a tie or two on ALQAC (bench/retrieval.ts) and halve the postings. */
const LEVELS = 255;

export interface LexicalParams {
  k1: number;
  b: number;
  titleWeight: number;
  /** Index syllable bigrams. */
  bigrams: boolean;
  /** Index folded (diacritic-free) forms. */
  folded: boolean;
}

export const DEFAULT_LEXICAL: LexicalParams = { k1: 0.6, b: 0.6, titleWeight: 3, bigrams: true, folded: true };

/** Syllable ids of one unit's fields; -1 marks a phrase boundary. */
export interface FieldTokens {
  title: Int32Array;
  body: Int32Array;
}

/** Calls `emit` with every term id of a syllable-id sequence (unigrams first). */
export function forEachTerm(
  vocab: Vocabulary,
  ids: Int32Array,
  params: Pick<LexicalParams, 'bigrams' | 'folded'>,
  create: boolean,
  emit: (term: number) => void,
): void {
  const foldOf = vocab.foldOf;
  for (let i = 0; i < ids.length; i++) {
    const s = ids[i];
    if (s < 0) continue;
    emit(vocab.unigramTerm(s));
    if (params.folded) emit(vocab.foldedTerm(foldOf[s]));
    const n = i + 1 < ids.length ? ids[i + 1] : -1;
    if (n < 0 || !params.bigrams) continue;
    const bt = vocab.bigramTerm(s, n, create);
    if (bt >= 0) emit(bt);
    if (params.folded) {
      const ft = vocab.foldedBigramTerm(foldOf[s], foldOf[n], create);
      if (ft >= 0) emit(ft);
    }
  }
}

function countTokens(ids: Int32Array): number {
  let n = 0;
  for (let i = 0; i < ids.length; i++) if (ids[i] >= 0) n++;
  return n;
}

/** Persistable parts of a built index. */
export interface LexicalIndexData {
  docCount: number;
  params: LexicalParams;
  offsets: Uint32Array;
  docs: Uint32Array;
  /** Saturated term frequency per posting, quantised to 8 bits (× the term's scale). */
  impacts: Uint8Array;
  scales: Float32Array;
  df: Uint32Array;
}

export class LexicalIndex {
  constructor(readonly data: LexicalIndexData) {}

  get docCount(): number {
    return this.data.docCount;
  }

  /** Document frequency of a term (0 when unknown). */
  df(term: number): number {
    return term >= 0 && term < this.data.df.length ? this.data.df[term] : 0;
  }

  /** BM25 idf of a term in this index. */
  idf(term: number): number {
    const n = this.data.docCount;
    const df = this.df(term);
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** Largest score one occurrence-saturated term can add: idf × (k1 + 1). */
  maxImpact(term: number): number {
    return this.idf(term) * (this.data.params.k1 + 1);
  }

  /** True when `doc` contains `term` (postings are sorted by doc: binary search). */
  contains(term: number, doc: number): boolean {
    const { offsets, docs } = this.data;
    if (term < 0 || term + 1 >= offsets.length) return false;
    let lo = offsets[term];
    let hi = offsets[term + 1] - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const d = docs[mid];
      if (d === doc) return true;
      if (d < doc) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }

  /** Adds Σ weight × impact(term, doc) into `out` (indexed by doc). */
  accumulate(terms: ArrayLike<number>, weights: ArrayLike<number>, out: Float32Array): void {
    const { offsets, docs, impacts, scales } = this.data;
    for (let i = 0; i < terms.length; i++) {
      const t = terms[i];
      if (t < 0 || t + 1 >= offsets.length) continue;
      const s = weights[i] * scales[t];
      if (s === 0) continue;
      const end = offsets[t + 1];
      for (let p = offsets[t]; p < end; p++) out[docs[p]] += s * impacts[p];
    }
  }

  /** Builds the index; every bigram term must already be registered in `vocab`. */
  static build(vocab: Vocabulary, units: FieldTokens[], params: LexicalParams): LexicalIndex {
    const nTerms = vocab.termCount;
    const n = units.length;
    const df = new Uint32Array(nTerms);
    const seen = new Int32Array(nTerms).fill(-1);
    const lenT = new Float32Array(n);
    const lenB = new Float32Array(n);
    let sumT = 0;
    let sumB = 0;
    units.forEach((u, d) => {
      lenT[d] = countTokens(u.title);
      lenB[d] = countTokens(u.body);
      sumT += lenT[d];
      sumB += lenB[d];
      const mark = (t: number) => {
        if (seen[t] !== d) {
          seen[t] = d;
          df[t]++;
        }
      };
      forEachTerm(vocab, u.title, params, false, mark);
      forEachTerm(vocab, u.body, params, false, mark);
    });
    const avgT = Math.max(sumT / Math.max(n, 1), 1e-6);
    const avgB = Math.max(sumB / Math.max(n, 1), 1e-6);
    const offsets = new Uint32Array(nTerms + 1);
    for (let t = 0; t < nTerms; t++) offsets[t + 1] = offsets[t] + df[t];
    const nnz = offsets[nTerms];
    const docs = new Uint32Array(nnz);
    const impacts = new Uint8Array(nnz);
    const scales = new Float32Array(nTerms);
    const idf = new Float32Array(nTerms);
    const { k1, b, titleWeight } = params;
    for (let t = 0; t < nTerms; t++) {
      idf[t] = Math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5));
      scales[t] = (idf[t] * (k1 + 1)) / LEVELS;
    }
    const cursor = offsets.slice(0, nTerms);
    const tfT = new Float32Array(nTerms);
    const tfB = new Float32Array(nTerms);
    const touched: number[] = [];
    units.forEach((u, d) => {
      touched.length = 0;
      forEachTerm(vocab, u.title, params, false, (t) => {
        if (tfT[t] === 0 && tfB[t] === 0) touched.push(t);
        tfT[t]++;
      });
      forEachTerm(vocab, u.body, params, false, (t) => {
        if (tfT[t] === 0 && tfB[t] === 0) touched.push(t);
        tfB[t]++;
      });
      const normT = 1 - b + (b * lenT[d]) / avgT;
      const normB = 1 - b + (b * lenB[d]) / avgB;
      for (const t of touched) {
        const tf = (titleWeight * tfT[t]) / normT + tfB[t] / normB;
        const sat = (tf * (k1 + 1)) / (k1 + tf); // in (0, k1+1)
        const p = cursor[t]++;
        docs[p] = d;
        impacts[p] = Math.max(1, Math.round((sat / (k1 + 1)) * LEVELS));
        tfT[t] = 0;
        tfB[t] = 0;
      }
    });
    return new LexicalIndex({ docCount: n, params, offsets, docs, impacts, scales, df });
  }
}
