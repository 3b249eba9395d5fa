/**
 * The vector index: LangChain's `HNSWLib` store (hnswlib-node) over one vector per entry,
 * plus the raw unit vectors so the reranker can read the similarity of any candidate.
 * Search is synchronous through the underlying HNSW index.
 */
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import { Document } from '@langchain/core/documents';
import type { Embeddings } from '@langchain/core/embeddings';
import { z } from 'zod';
import { dot } from './corpus-embeddings.ts';

export class VectorIndex {
  constructor(
    readonly store: HNSWLib,
    /** entries × dims, unit length, row-major. */
    readonly vectors: Float32Array,
    readonly dims: number,
  ) {}

  get size(): number {
    return this.dims > 0 ? this.vectors.length / this.dims : 0;
  }

  /** Builds the HNSW store from precomputed unit vectors (one per entry, in entry order). */
  static async build(vectors: Float32Array, dims: number, embeddings: Embeddings): Promise<VectorIndex> {
    const n = vectors.length / dims;
    const store = new HNSWLib(embeddings, { space: 'cosine', numDimensions: dims });
    const batch = 5000;
    for (let start = 0; start < n; start += batch) {
      const end = Math.min(n, start + batch);
      const rows: number[][] = [];
      const docs: Document[] = [];
      for (let i = start; i < end; i++) {
        rows.push(Array.from(vectors.subarray(i * dims, (i + 1) * dims)));
        docs.push(new Document({ pageContent: String(i), metadata: { entry: i } }));
      }
      await store.addVectors(rows, docs);
    }
    return new VectorIndex(store, vectors, dims);
  }

  /** Nearest entries by cosine similarity, best first. */
  knn(query: Float32Array, k: number): { entry: number; sim: number }[] {
    const n = this.size;
    if (n === 0) return [];
    const res = this.store.index.searchKnn(Array.from(query), Math.min(k, n));
    return res.neighbors.map((entry, i) => ({ entry, sim: 1 - res.distances[i] }));
  }

  /** Cosine similarity between a unit query vector and one entry. */
  similarity(query: Float32Array, entry: number): number {
    return dot(query, this.vectors, entry * this.dims);
  }

  async save(dir: string): Promise<void> {
    await mkdir(dir, { recursive: true });
    await this.store.save(dir);
    await writeFile(join(dir, 'vectors.f32'), Buffer.from(this.vectors.buffer, this.vectors.byteOffset, this.vectors.byteLength));
    await writeFile(join(dir, 'vectors.json'), JSON.stringify({ dims: this.dims }));
  }

  static async load(dir: string, embeddings: Embeddings): Promise<VectorIndex> {
    const { dims } = z.object({ dims: z.number().int().positive() }).parse(JSON.parse(await readFile(join(dir, 'vectors.json'), 'utf8')));
    const buf = await readFile(join(dir, 'vectors.f32'));
    const vectors = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
    const store = await HNSWLib.load(dir, embeddings);
    return new VectorIndex(store, vectors, dims);
  }
}
