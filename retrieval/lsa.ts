/**
 * Latent semantic analysis over the corpus itself: a randomized truncated SVD of the
 * (documents × folded syllable/bigram terms) weight matrix. No model is downloaded: the
 * projection is learned from the agency's own documents at index time.
 */

/**
 * A sparse matrix in column-major form whose columns are slices of shared arrays (the
 * postings of an inverted index, so nothing is copied): column c holds rows
 * rowIdx[colStart[c]..colEnd[c]) with values values[p] × colScale[c].
 */
export interface SparseColumns {
  rows: number;
  cols: number;
  colStart: Uint32Array;
  colEnd: Uint32Array;
  colScale: Float32Array;
  rowIdx: Uint32Array;
  values: Uint8Array;
}

/** Deterministic PRNG (mulberry32) so the same corpus always gives the same vectors. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}


/** Y (rows × l) = A · X (cols × l), row-major dense. */
function multiply(a: SparseColumns, x: Float32Array, l: number): Float32Array {
  const y = new Float32Array(a.rows * l);
  for (let c = 0; c < a.cols; c++) {
    const xo = c * l;
    const scale = a.colScale[c];
    for (let p = a.colStart[c]; p < a.colEnd[c]; p++) {
      const v = scale * a.values[p];
      const yo = a.rowIdx[p] * l;
      for (let j = 0; j < l; j++) y[yo + j] += v * x[xo + j];
    }
  }
  return y;
}

/** Z (cols × l) = Aᵀ · Y (rows × l). */
function multiplyT(a: SparseColumns, y: Float32Array, l: number): Float32Array {
  const z = new Float32Array(a.cols * l);
  for (let c = 0; c < a.cols; c++) {
    const zo = c * l;
    const scale = a.colScale[c];
    for (let p = a.colStart[c]; p < a.colEnd[c]; p++) {
      const v = scale * a.values[p];
      const yo = a.rowIdx[p] * l;
      for (let j = 0; j < l; j++) z[zo + j] += v * y[yo + j];
    }
  }
  return z;
}

/** Orthonormalises the l columns of a (n × l, row-major) in place (modified Gram-Schmidt). */
function orthonormalize(m: Float32Array, n: number, l: number): void {
  for (let j = 0; j < l; j++) {
    for (let k = 0; k < j; k++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += m[i * l + j] * m[i * l + k];
      for (let i = 0; i < n; i++) m[i * l + j] -= dot * m[i * l + k];
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += m[i * l + j] ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < n; i++) m[i * l + j] /= norm;
  }
}

/** Eigen-decomposition of a symmetric l × l matrix (cyclic Jacobi). Returns eigenvalues and column eigenvectors. */
function symmetricEigen(s: Float64Array, l: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(s);
  const v = new Float64Array(l * l);
  for (let i = 0; i < l; i++) v[i * l + i] = 1;
  let scale = 0;
  for (let i = 0; i < l * l; i++) scale += a[i] * a[i];
  for (let sweep = 0; sweep < 50; sweep++) {
    let off = 0;
    for (let p = 0; p < l; p++) for (let q = p + 1; q < l; q++) off += a[p * l + q] ** 2;
    if (off <= 1e-14 * scale) break;
    for (let p = 0; p < l; p++) {
      for (let q = p + 1; q < l; q++) {
        const apq = a[p * l + q];
        if (Math.abs(apq) < 1e-30) continue;
        const theta = (a[q * l + q] - a[p * l + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const sn = t * c;
        for (let k = 0; k < l; k++) {
          const akp = a[k * l + p];
          const akq = a[k * l + q];
          a[k * l + p] = c * akp - sn * akq;
          a[k * l + q] = sn * akp + c * akq;
        }
        for (let k = 0; k < l; k++) {
          const apk = a[p * l + k];
          const aqk = a[q * l + k];
          a[p * l + k] = c * apk - sn * aqk;
          a[q * l + k] = sn * apk + c * aqk;
        }
        for (let k = 0; k < l; k++) {
          const vkp = v[k * l + p];
          const vkq = v[k * l + q];
          v[k * l + p] = c * vkp - sn * vkq;
          v[k * l + q] = sn * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(l);
  for (let i = 0; i < l; i++) values[i] = a[i * l + i];
  return { values, vectors: v };
}

export interface LsaOptions {
  dims: number;
  oversample?: number;
  powerIterations?: number;
  seed?: number;
}

/**
 * Truncated SVD A ≈ U Σ Vᵀ by the randomized range finder (Halko et al. 2011).
 * Returns the term projection P = V (cols × dims, row-major Float32), so that a row
 * vector x (over terms) maps to x·P, the same space as the rows of A·V.
 */
export function fitLsa(a: SparseColumns, opts: LsaOptions): { projection: Float32Array; dims: number; singular: Float64Array } {
  const k = Math.max(1, Math.min(opts.dims, a.rows - 1, a.cols - 1));
  const l = Math.min(k + (opts.oversample ?? 10), a.rows, a.cols);
  const rand = rng(opts.seed ?? 7);
  // Float32 halves the working memory; the range finder does not need more precision.
  const omega = new Float32Array(a.cols * l);
  // Random signs work as well as Gaussians for the range finder and cost far less.
  for (let i = 0; i < omega.length; i++) omega[i] = rand() < 0.5 ? -1 : 1;
  let y = multiply(a, omega, l);
  orthonormalize(y, a.rows, l);
  for (let it = 0; it < (opts.powerIterations ?? 1); it++) {
    // One or two iterations are stable without re-orthonormalising the (large) term side.
    y = multiply(a, multiplyT(a, y, l), l);
    orthonormalize(y, a.rows, l);
  }
  // B = Qᵀ A (l × cols), held transposed as Bt = Aᵀ Q (cols × l).
  const bt = multiplyT(a, y, l);
  // B Bᵀ (l × l) = Btᵀ Bt.
  const bbt = new Float64Array(l * l);
  for (let c = 0; c < a.cols; c++) {
    const o = c * l;
    for (let i = 0; i < l; i++) {
      const bi = bt[o + i];
      if (bi === 0) continue;
      for (let j = i; j < l; j++) bbt[i * l + j] += bi * bt[o + j];
    }
  }
  for (let i = 0; i < l; i++) for (let j = 0; j < i; j++) bbt[i * l + j] = bbt[j * l + i];
  const { values, vectors } = symmetricEigen(bbt, l);
  const order = [...values.keys()].sort((i, j) => values[j] - values[i]).slice(0, k);
  const singular = Float64Array.from(order.map((i) => Math.sqrt(Math.max(values[i], 0))));
  // V = Bᵀ U_B Σ⁻¹ (cols × k).
  // U_B Σ⁻¹ stored row per output dimension, so the inner loop reads memory in order.
  const us = new Float64Array(k * l);
  order.forEach((ei, j) => {
    const sv = singular[j] || 1;
    for (let i = 0; i < l; i++) us[j * l + i] = vectors[i * l + ei] / sv;
  });
  const projection = new Float32Array(a.cols * k);
  for (let c = 0; c < a.cols; c++) {
    const o = c * l;
    for (let j = 0; j < k; j++) {
      const uo = j * l;
      let s = 0;
      for (let i = 0; i < l; i++) s += bt[o + i] * us[uo + i];
      projection[c * k + j] = s;
    }
  }
  return { projection, dims: k, singular };
}
