/**
 * Sentence vectors learned from the corpus itself (LSA over folded syllables and syllable
 * bigrams), exposed as a LangChain `Embeddings` so the vector store can use them. Folded
 * terms make the vectors indifferent to missing diacritics.
 */
import { Embeddings } from '@langchain/core/embeddings';
import type { LexicalIndex } from './lexical-index.ts';
import { fitLsa, type SparseColumns } from './lsa.ts';
import { tokenizePhrases } from './vietnamese.ts';
import { fold } from '../domain/fold.ts';
import type { Vocabulary } from './vocabulary.ts';

/** Persistable parts of the corpus vector model. */
export interface CorpusVectorModel {
  dims: number;
  /** Vocabulary term id of each column. */
  columnTerms: Int32Array;
  /** idf of each column. */
  columnIdf: Float32Array;
  /** columns × dims, row-major. */
  projection: Float32Array;
}

const K1 = 1.2;

function normalize(v: Float32Array): Float32Array {
  let n = 0;
  for (let i = 0; i < v.length; i++) n += v[i] * v[i];
  n = Math.sqrt(n);
  if (n > 0) for (let i = 0; i < v.length; i++) v[i] /= n;
  return v;
}

/** Cosine of two unit vectors. */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>, bOffset = 0): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[bOffset + i];
  return s;
}

export class CorpusEmbeddings extends Embeddings {
  private readonly column: Map<number, number>;

  constructor(
    readonly model: CorpusVectorModel,
    private readonly vocab: Vocabulary,
  ) {
    super({});
    this.column = new Map();
    model.columnTerms.forEach((t, c) => this.column.set(t, c));
  }

  get dims(): number {
    return this.model.dims;
  }

  /** Folded unigram and bigram columns of a text with BM25-saturated idf weights. */
  private features(text: string): Map<number, number> {
    const tf = new Map<number, number>();
    const bump = (term: number) => {
      const c = term >= 0 ? this.column.get(term) : undefined;
      if (c !== undefined) tf.set(c, (tf.get(c) ?? 0) + 1);
    };
    for (const phrase of tokenizePhrases(text)) {
      const ids = phrase.map((t) => this.vocab.foldId(fold(t)));
      ids.forEach((f, i) => {
        if (f < 0) return;
        bump(this.vocab.foldedTerm(f));
        const n = ids[i + 1];
        if (n !== undefined && n >= 0) bump(this.vocab.foldedBigramTerm(f, n));
      });
    }
    return tf;
  }

  /** Synchronous embedding, for the synchronous search path. */
  embedSync(text: string): Float32Array {
    const { dims, columnIdf, projection } = this.model;
    const v = new Float32Array(dims);
    for (const [c, tf] of this.features(text)) {
      const w = (columnIdf[c] * tf * (K1 + 1)) / (tf + K1);
      const o = c * dims;
      for (let j = 0; j < dims; j++) v[j] += w * projection[o + j];
    }
    return normalize(v);
  }

  override async embedDocuments(documents: string[]): Promise<number[][]> {
    return documents.map((d) => Array.from(this.embedSync(d)));
  }

  override async embedQuery(document: string): Promise<number[]> {
    return Array.from(this.embedSync(document));
  }
}

/**
 * Fits the LSA projection on the entry index (BM25F impacts of folded terms as weights) and
 * returns it with the unit-length vector of every entry (entries × dims, row-major).
 */
export function fitCorpusVectors(
  vocab: Vocabulary,
  index: LexicalIndex,
  dims: number,
  maxColumns = 40_000,
): { model: CorpusVectorModel; vectors: Float32Array } {
  const n = index.docCount;
  const { offsets, docs, impacts, scales } = index.data;
  const candidates: number[] = [];
  for (let f = 0; f < vocab.foldedCount; f++) candidates.push(vocab.foldedTerm(f));
  const fb = vocab.foldedBigrams;
  for (let i = 0; i < fb.keys.length; i++) if (fb.keys[i] !== -1) candidates.push(fb.values[i]);
  // Terms seen once carry no co-occurrence; terms in most entries carry no topic.
  // The SVD costs grow with the number of columns: keep the most frequent ones.
  const columnTerms = Int32Array.from(
    candidates
      .filter((t) => {
        const df = index.df(t);
        return df >= 2 && df <= n * 0.5;
      })
      .sort((x, y) => index.df(y) - index.df(x))
      .slice(0, maxColumns),
  );
  const cols = columnTerms.length;
  const colStart = new Uint32Array(cols);
  const colEnd = new Uint32Array(cols);
  const colScale = new Float32Array(cols);
  const columnIdf = new Float32Array(cols);
  columnTerms.forEach((t, c) => {
    colStart[c] = offsets[t];
    colEnd[c] = offsets[t + 1];
    colScale[c] = scales[t];
    columnIdf[c] = index.idf(t);
  });
  // The matrix is a view of the index's postings: nothing is copied.
  const a: SparseColumns = { rows: n, cols, colStart, colEnd, colScale, rowIdx: docs, values: impacts };
  if (n < 3 || cols < 3) {
    return { model: { dims: 1, columnTerms, columnIdf, projection: new Float32Array(cols) }, vectors: new Float32Array(n) };
  }
  const fit = fitLsa(a, { dims, oversample: 10, powerIterations: 1 });
  const k = fit.dims;
  const vectors = new Float32Array(n * k);
  for (let c = 0; c < cols; c++) {
    const po = c * k;
    const scale = colScale[c];
    for (let p = colStart[c]; p < colEnd[c]; p++) {
      const v = scale * impacts[p];
      const vo = docs[p] * k;
      for (let j = 0; j < k; j++) vectors[vo + j] += v * fit.projection[po + j];
    }
  }
  for (let d = 0; d < n; d++) normalize(vectors.subarray(d * k, (d + 1) * k));
  return { model: { dims: k, columnTerms, columnIdf, projection: fit.projection }, vectors };
}
