/**
 * Loa's retrieval engine: the public entry points. Build a retriever from knowledge
 * documents, or load one saved earlier; both answer questions with citations and abstain
 * when the evidence is weak.
 */
import type { Logger } from 'pino';
import type { DocumentStatus, KnowledgeDocument } from '../knowledge/types.ts';
import { httpUrlOrUndefined } from '../knowledge/http-url.ts';
import { prepareCorpus } from './corpus.ts';
import { CorpusEmbeddings, fitCorpusVectors } from './corpus-embeddings.ts';
import { RetrievalEngine, type DetailedAnswer, type EngineParts, type EngineSettings } from './engine.ts';
import { DEFAULT_LEXICAL, type LexicalParams } from './lexical-index.ts';
import type { LexiconEntry } from './lexicon.ts';
import { DEFAULT_RANK, LexicalRanker, type RankParams } from './lexical-ranker.ts';
import { OpenAICompatibleEmbeddings } from './openai-embeddings.ts';
import { INDEX_FORMAT_VERSION, loadIndexParts, readManifest, saveIndex } from './persist.ts';
import type { ConfidenceModel } from './confidence.ts';
import type { RerankVector } from './rerank-model.ts';
import { DEFAULT_QUERY, type QueryParams } from './query.ts';
import type { Answerer, AskOptions, SearchHit } from './types.ts';
import { VectorIndex } from './vector-index.ts';

export type { AskOptions, AskResult, Citation, SearchHit, Answerer, AbstainReason } from './types.ts';
export { INDEX_FORMAT_VERSION };
export type { DetailedAnswer } from './engine.ts';
export type { LexiconEntry } from './lexicon.ts';
export { LEXICON } from './lexicon-data.ts';

export interface RetrieverOptions {
  /** Config LOA_ABSTAIN_THRESHOLD (default 0.5). */
  abstainThreshold: number;
  /** Confidence under which Loa hands over rather than asking which candidate was meant (default 0.1). */
  clarifyFloor?: number;
  /** A recalibrated confidence model (`loa calibrate`). */
  confidence?: ConfidenceModel;
  /** Knowledge store revision the index is built from. */
  revision?: number;
  agencyName?: string;
  logger?: Logger;
  /** Optional rewrite step, off by default. */
  llm?: { url: string; model: string; apiKey?: string };
  embeddings?: { kind: 'corpus' | 'openai' | 'transformers' | 'none'; url?: string; model?: string; apiKey?: string; modelDir?: string };
  /**
   * Everyday → legal vocabulary used to expand questions; default the built-in `LEXICON`.
   * Pass `[...LEXICON, ...agencyEntries]` to add an agency's own.
   */
  lexicon?: readonly LexiconEntry[];
  /** Loading only: give the event loop a turn now and then (a serving process swapping in a rebuilt index). */
  yieldWhileLoading?: boolean;
  /** For progress bars while building. */
  onProgress?: (done: number, total: number, stage: string) => void;
  /** Tuning knobs for benchmarks and ablations (defaults are the tuned values). */
  tuning?: { lexical?: Partial<LexicalParams>; query?: Partial<QueryParams>; rank?: Partial<RankParams>; vectorDims?: number };
}

export interface Retriever extends Answerer {
  readonly revision: number;
  /** Units in the index: top-level entries (articles, passages, FAQs) and clauses. */
  readonly units: number;
  /** Article-level ids, best first. */
  search(query: string, k?: number, options?: AskOptions): SearchHit[];
  save(dir: string): Promise<void>;
  /** The recalibrated confidence model in use, when `loa calibrate` wrote one. */
  readonly confidenceModel?: ConfidenceModel;
  /** The candidate pool of a question with its rerank signals (training the learned rerank). */
  candidates(question: string, k?: number): { id: string; features: RerankVector }[];
  /** The answer plus the ranking behind it, in one pass (used by `loa eval`). */
  askDetailed(question: string, options?: AskOptions, k?: number): Promise<DetailedAnswer>;
  /**
   * The same index with another lexicon (query-time only, so nothing is rebuilt): how an
   * agency's synonym edits take effect without a restart.
   */
  withLexicon(lexicon: readonly LexiconEntry[]): Retriever;
  /**
   * The same index with one document's legal status and link changed, as of `revision`
   * (nothing indexed depends on them: the result equals a rebuild). Undefined when the index
   * does not hold the document.
   */
  withDocumentStatus(docId: string, change: DocumentStatusChange, revision: number): Retriever | undefined;
}

/** What `withDocumentStatus` changes: the fields of a document that nothing indexed depends on. */
export interface DocumentStatusChange {
  status: DocumentStatus;
  supersededBy?: string;
  url?: string;
}

/** Dimensions of the corpus (LSA) vectors. */
const DEFAULT_VECTOR_DIMS = 128;
/** Characters of each entry sent to an external embeddings endpoint. */
const EMBED_CHARS = 2000;

function settingsFrom(options: RetrieverOptions): EngineSettings {
  return {
    abstainThreshold: options.abstainThreshold,
    clarifyFloor: options.clarifyFloor,
    confidence: options.confidence,
    agencyName: options.agencyName,
    logger: options.logger,
    llm: options.llm,
    lexicon: options.lexicon,
    query: { ...DEFAULT_QUERY, ...options.tuning?.query },
    rank: { ...DEFAULT_RANK, ...options.tuning?.rank },
  };
}

class LoaRetriever implements Retriever {
  private readonly engine: RetrievalEngine;
  readonly confidenceModel?: ConfidenceModel;
  constructor(
    private readonly parts: EngineParts,
    private readonly options: RetrieverOptions,
  ) {
    this.engine = new RetrievalEngine(parts, settingsFrom(options));
    this.confidenceModel = options.confidence;
  }
  get revision(): number {
    return this.parts.revision;
  }
  get units(): number {
    return this.parts.corpus.entries.length + this.parts.corpus.clauses.length;
  }
  search(query: string, k = 10, options?: AskOptions): SearchHit[] {
    return this.engine.search(query, k, options);
  }
  ask(question: string, options?: AskOptions) {
    return this.engine.ask(question, options);
  }
  askDetailed(question: string, options?: AskOptions, k = 10): Promise<DetailedAnswer> {
    return this.engine.askDetailed(question, options, k);
  }
  answerFrom(question: string, unitId: string) {
    return this.engine.answerFrom(question, unitId);
  }
  candidates(question: string, k?: number) {
    return this.engine.candidates(question, k);
  }
  save(dir: string): Promise<void> {
    return saveIndex(dir, this.parts);
  }
  withLexicon(lexicon: readonly LexiconEntry[]): Retriever {
    return new LoaRetriever(this.parts, { ...this.options, lexicon });
  }
  withDocumentStatus(docId: string, change: DocumentStatusChange, revision: number): Retriever | undefined {
    const { corpus, ranker } = this.parts;
    const at = corpus.docs.findIndex((d) => d.id === docId);
    if (at < 0) return undefined;
    const docs = corpus.docs.slice();
    const { supersededBy: _old, url: _oldUrl, ...rest } = docs[at];
    const url = httpUrlOrUndefined(change.url);
    docs[at] = { ...rest, status: change.status, ...(change.supersededBy ? { supersededBy: change.supersededBy } : {}), ...(url ? { url } : {}) };
    const inactiveDocs = ranker.data.inactiveDocs.slice();
    inactiveDocs[at] = change.status === 'superseded' || change.status === 'expired' ? 1 : 0;
    const parts: EngineParts = { ...this.parts, corpus: { ...corpus, docs }, ranker: new LexicalRanker({ ...ranker.data, inactiveDocs }), revision };
    return new LoaRetriever(parts, this.options);
  }
}

function externalEmbeddings(options: RetrieverOptions): OpenAICompatibleEmbeddings | undefined {
  const e = options.embeddings;
  if (e?.kind !== 'openai') return undefined;
  if (!e.url) throw new Error('LOA_EMBEDDINGS=openai needs LOA_EMBEDDINGS_URL (an OpenAI-compatible base URL such as http://127.0.0.1:11434/v1)');
  return new OpenAICompatibleEmbeddings({ url: e.url, model: e.model, apiKey: e.apiKey });
}

function unsupported(kind: string | undefined): void {
  if (kind === 'transformers') {
    throw new Error(
      'LOA_EMBEDDINGS=transformers is not available in this build (the optional @huggingface/transformers runtime is not installed). ' +
        'Use LOA_EMBEDDINGS=corpus (default, built from your documents), openai (an OpenAI-compatible endpoint) or none.',
    );
  }
}

/** Builds a retriever in memory from knowledge documents. */
export async function buildRetriever(documents: KnowledgeDocument[], options: RetrieverOptions): Promise<Retriever> {
  const kind = options.embeddings?.kind ?? 'corpus';
  unsupported(kind);
  const log = options.logger;
  const started = performance.now();
  const corpus = prepareCorpus(documents);
  const lexicalParams: LexicalParams = { ...DEFAULT_LEXICAL, ...options.tuning?.lexical };
  const ranker = LexicalRanker.build(corpus, lexicalParams, options.onProgress);
  const lexicalMs = performance.now() - started;
  const parts: EngineParts = { corpus, ranker, lexicalParams, embeddingsKind: kind, revision: options.revision ?? 0 };
  const n = corpus.entries.length;
  if (kind === 'corpus' && n >= 3) {
    options.onProgress?.(0, 2, 'vectors');
    const { model, vectors } = fitCorpusVectors(ranker.vocab, ranker.data.articles, options.tuning?.vectorDims ?? DEFAULT_VECTOR_DIMS);
    const emb = new CorpusEmbeddings(model, ranker.vocab);
    options.onProgress?.(1, 2, 'vectors');
    parts.corpusEmbeddings = emb;
    parts.vectors = await VectorIndex.build(vectors, model.dims, emb);
    options.onProgress?.(2, 2, 'vectors');
  } else if (kind === 'openai' && n > 0) {
    const emb = externalEmbeddings(options)!;
    const texts = corpus.entries.map((e) => `${e.heading ?? ''}\n${e.text}`.slice(0, EMBED_CHARS));
    const rows: number[][] = [];
    for (let i = 0; i < texts.length; i += 256) {
      rows.push(...(await emb.embedDocuments(texts.slice(i, i + 256))));
      options.onProgress?.(Math.min(i + 256, texts.length), texts.length, 'embedding');
    }
    const dims = rows[0]?.length ?? 0;
    const flat = new Float32Array(n * dims);
    rows.forEach((r, i) => flat.set(r, i * dims));
    parts.externalEmbeddings = emb;
    parts.vectors = await VectorIndex.build(flat, dims, emb);
  }
  log?.info(
    {
      event: 'index_built',
      documents: corpus.docs.length,
      entries: n,
      clauses: corpus.clauses.length,
      embeddings: kind,
      lexicalMs: Math.round(lexicalMs),
      totalMs: Math.round(performance.now() - started),
    },
    'retrieval index built',
  );
  return new LoaRetriever(parts, options);
}

/**
 * Loads a saved retriever; undefined when there is none in `dir`, when it was saved by
 * another format version, with other embeddings, or (if `options.revision` is given) from
 * another knowledge revision.
 */
export async function loadRetriever(dir: string, options: RetrieverOptions): Promise<Retriever | undefined> {
  const kind = options.embeddings?.kind ?? 'corpus';
  unsupported(kind);
  const manifest = await readManifest(dir);
  if (!manifest || manifest.version !== INDEX_FORMAT_VERSION) return undefined;
  if (manifest.embeddings.kind !== kind) return undefined;
  if (options.revision !== undefined && manifest.revision !== options.revision) return undefined;
  const started = performance.now();
  try {
    const parts = await loadIndexParts(dir, manifest, externalEmbeddings(options), options.yieldWhileLoading);
    options.logger?.info({ event: 'index_loaded', entries: parts.corpus.entries.length, ms: Math.round(performance.now() - started) }, 'retrieval index loaded');
    return new LoaRetriever(parts, options);
  } catch (e) {
    options.logger?.warn({ event: 'index_load_failed', err: (e as Error).message }, 'saved index unreadable; it will be rebuilt');
    return undefined;
  }
}
