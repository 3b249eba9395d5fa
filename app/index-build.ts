/**
 * The index worker's job (app/index-worker.js runs it in a worker thread): read every
 * document from the store with a connection of its own, build the retrieval index and save
 * it to the index folder. The server then loads the saved index and swaps it in; nothing
 * here runs on the server's event loop.
 */
import type { Config } from './config.ts';
import { openStorage } from '../storage/index.ts';
import { buildRetriever } from '../retrieval/index.ts';
import { retrieverOptions, type ProgressFn } from './retriever-options.ts';

/** What the worker is given (structured-cloned). */
export interface IndexBuildJob {
  config: Config;
  indexDir: string;
}

/** What a finished build reports. */
export interface IndexBuildOutcome {
  revision: number;
  documents: number;
  units: number;
  ms: number;
}

export async function buildIndexFromStore(job: IndexBuildJob, onProgress: ProgressFn): Promise<IndexBuildOutcome> {
  const started = performance.now();
  const storage = await openStorage(job.config);
  try {
    // Revision first: a change landing in between makes the next refresh build again, never miss it.
    const revision = await storage.knowledge.revision();
    onProgress(0, 1, 'reading');
    const documents = await storage.knowledge.allDocuments();
    onProgress(1, 1, 'reading');
    const retriever = await buildRetriever(documents, retrieverOptions(job.config, undefined, revision, onProgress));
    onProgress(0, 1, 'saving');
    await retriever.save(job.indexDir);
    onProgress(1, 1, 'saving');
    const units = documents.reduce((n, d) => n + d.units.length, 0);
    return { revision, documents: documents.length, units, ms: Math.round(performance.now() - started) };
  } finally {
    await storage.close();
  }
}
