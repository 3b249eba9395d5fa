import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseLimitsOf, type Config } from './config.ts';
import { retrieverOptions, type ProgressFn } from './retriever-options.ts';
import { createLogger, type Logger } from './logger.ts';
import { openStorage, type Storage } from '../storage/index.ts';
import { openKnowledgeFeed } from '../storage/knowledge-feed.ts';
import type { KnowledgeChangeFeed } from '../knowledge/ports.ts';
import { KnowledgeLibrary } from '../knowledge/library/library.ts';
import { workerIndexBuilder } from '../knowledge/library/index-builder.ts';
import type { IndexBuildJob } from './index-build.ts';
import { CALIBRATION_FILE, readConfidenceModel } from '../retrieval/calibrate.ts';
import { ensurePrivateDir } from '../storage/private-files.ts';
import { ingestPaths, type IngestTarget } from '../knowledge/ingest.ts';
import type { AskResult } from '../domain/answer.ts';
import type { KnowledgeDocument } from '../domain/document.ts';
import { startupError } from '../storage/startup-errors.ts';
import { buildRetriever, LEXICON, loadRetriever, type LexiconEntry, type Retriever } from '../retrieval/index.ts';
import type { Answerer, AskOptions } from '../retrieval/types.ts';

/** The bundled sample knowledge base (plain-language summaries), loaded into an empty store. */
export const SAMPLE_KNOWLEDGE_DIR = fileURLToPath(new URL('../knowledge/sample/', import.meta.url));

export type { ProgressFn };

/** Storage, the knowledge library (which owns the serving index) and an answerer that always uses the newest index. */
export interface Runtime {
  config: Config;
  logger: Logger;
  storage: Storage;
  /** Uploads, metadata, deletion, the FAQ document and the index refresh (built in a worker). */
  library: KnowledgeLibrary;
  /** Announces knowledge changes to the other instances (PostgreSQL LISTEN/NOTIFY) or in-process. */
  feed: KnowledgeChangeFeed;
  /** The index in use now (swapped atomically when knowledge changes). */
  retriever(): Retriever;
  answerer: Answerer;
  /**
   * Rebuilds the index (in a worker) if the knowledge store changed since it was built, or
   * swaps in the agency's synonyms if only they changed. Returns true when it did either.
   */
  refreshKnowledge(): Promise<boolean>;
  close(): Promise<void>;
}

const indexDir = (config: Config) => join(config.dataDir, 'index');

/** The built-in lexicon plus the agency's synonyms, and the synonym revision it reflects. */
export async function agencyLexicon(storage: Pick<Storage, 'synonyms'>): Promise<{ revision: number; lexicon: LexiconEntry[] }> {
  // Revision first: a change landing in between makes the next refresh reload, never miss it.
  const revision = await storage.synonyms.revision();
  const own = await storage.synonyms.list();
  return { revision, lexicon: [...LEXICON, ...own.map((s) => ({ everyday: s.everyday, legal: s.legal, ...(s.note ? { note: s.note } : {}) }))] };
}

/** Loads the saved index when it matches the store's revision; otherwise builds and saves a new one. */
async function currentRetriever(config: Config, storage: Storage, logger: Logger, onProgress?: ProgressFn, lexicon?: readonly LexiconEntry[]): Promise<Retriever> {
  const revision = await storage.knowledge.revision();
  const options = {
    ...retrieverOptions(config, logger, revision, onProgress),
    confidence: await readConfidenceModel(join(config.dataDir, CALIBRATION_FILE)),
    lexicon,
  };
  const saved = await loadRetriever(indexDir(config), options);
  if (saved && saved.revision === revision) return saved;
  const started = Date.now();
  const retriever = await buildRetriever(await storage.knowledge.allDocuments(), options);
  try {
    await retriever.save(indexDir(config));
  } catch (err) {
    throw startupError('Cannot save the retrieval index in', indexDir(config), err);
  }
  logger.info({ revision, ms: Date.now() - started }, 'retrieval index built');
  return retriever;
}

/**
 * Seeds an empty store with the bundled sample knowledge base, when enabled. The documents
 * are parsed first and stored in one transaction: all of them or (a full disk, say) none, so
 * the next start tries again instead of keeping a partial base forever.
 */
export async function seedSampleKnowledge(config: Config, storage: Pick<Storage, 'knowledge'>, logger: Logger): Promise<void> {
  if (!config.LOA_SAMPLE_KNOWLEDGE) return;
  if ((await storage.knowledge.listDocuments()).length > 0) return;
  const staged: KnowledgeDocument[] = [];
  const staging: IngestTarget = {
    putDocument: async (doc) => {
      staged.push(doc);
      return 'added';
    },
    findBySource: async () => undefined,
  };
  const summary = await ingestPaths([SAMPLE_KNOWLEDGE_DIR], staging, {
    maxFileBytes: config.LOA_MAX_FILE_MB * 1024 * 1024,
    parseLimits: parseLimitsOf(config),
    logger,
  });
  try {
    await storage.knowledge.putDocuments(staged);
  } catch (err) {
    const where = config.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : config.sqliteFile;
    throw startupError(`Cannot store the sample knowledge base (${staged.length} documents; none was stored) in`, where, err);
  }
  logger.info({ documents: summary.documents.added, units: summary.units }, 'sample knowledge base loaded');
}

/** Opens storage and the retrieval index. Used by `loa serve`, `loa ask` and the console. */
export async function openRuntime(config: Config, opts: { logger?: Logger; onProgress?: ProgressFn } = {}): Promise<Runtime> {
  const logger = opts.logger ?? createLogger(config.LOA_LOG_LEVEL);
  // Conversations, password hashes, tokens and the index live here: owner only (0700).
  try {
    ensurePrivateDir(config.dataDir);
  } catch (err) {
    throw startupError('Cannot create the data directory (LOA_DATA_DIR)', config.dataDir, err);
  }
  const storage = await openStorage(config);
  let feed: KnowledgeChangeFeed | undefined;
  try {
    await seedSampleKnowledge(config, storage, logger);
    const vocabulary = await agencyLexicon(storage);
    // Before the server listens nothing is served yet: building here blocks no one.
    const initial = await currentRetriever(config, storage, logger, opts.onProgress, vocabulary.lexicon);
    const confidence = initial.confidenceModel;
    feed = await openKnowledgeFeed(config, { onError: (err) => logger.warn({ err }, 'knowledge change feed') });
    const job: IndexBuildJob = { config, indexDir: indexDir(config) };
    const library = new KnowledgeLibrary({
      store: storage.knowledge,
      faqs: storage.faqs,
      feed,
      agencyName: config.LOA_AGENCY_NAME,
      logger: logger.child({ module: 'library' }),
      ingest: { maxFileBytes: config.LOA_MAX_FILE_MB * 1024 * 1024, parseLimits: parseLimitsOf(config) },
      initial,
      vocabulary,
      builder: workerIndexBuilder({ script: new URL('./index-worker.js', import.meta.url), job, memoryMb: config.LOA_INDEX_MEMORY_MB }),
      load: (revision, lexicon) => loadRetriever(indexDir(config), { ...retrieverOptions(config, logger, revision), confidence, lexicon, yieldWhileLoading: true }),
      save: (retriever) => retriever.save(indexDir(config)),
      synonyms: { revision: () => storage.synonyms.revision(), vocabulary: () => agencyLexicon(storage) },
    });
    const openFeed = feed;
    return {
      config,
      logger,
      storage,
      library,
      feed,
      retriever: () => library.retriever(),
      answerer: {
        ask: (q: string, o?: AskOptions): Promise<AskResult> => library.retriever().ask(q, o),
        answerFrom: (q: string, id: string): Promise<AskResult> => library.retriever().answerFrom(q, id),
      },
      refreshKnowledge: () => library.refresh(),
      close: async () => {
        await library.close();
        await openFeed.close();
        await storage.close();
      },
    };
  } catch (e) {
    await feed?.close();
    await storage.close();
    throw e;
  }
}

/** Rebuilds the saved index after `loa ingest` changed the store, and tells running instances (PostgreSQL). */
export async function rebuildIndex(config: Config, opts: { onProgress?: ProgressFn; logger?: Logger } = {}): Promise<void> {
  const logger = opts.logger ?? createLogger(config.LOA_LOG_LEVEL);
  const storage = await openStorage(config);
  try {
    const retriever = await currentRetriever(config, storage, logger, opts.onProgress);
    // Running servers sharing a PostgreSQL store rebuild now rather than at their next poll.
    const feed = await openKnowledgeFeed(config);
    try {
      await feed.announce(retriever.revision);
    } finally {
      await feed.close();
    }
  } finally {
    await storage.close();
  }
}
