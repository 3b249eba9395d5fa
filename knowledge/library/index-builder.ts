/**
 * Runs index builds in a worker thread, so tokenising, BM25F, the LSA fit and the HNSW graph
 * never run on the server's event loop. The worker stays up between builds that come close
 * together (starting one costs seconds) and ends after `idleMs` without a build, so its
 * memory goes back and the serving process holds only the index it serves.
 */
import { Worker } from 'node:worker_threads';

/** Progress of a build: `stage` is reading, tokenising, indexing, vectors or saving. */
export interface BuildProgress {
  stage: string;
  done: number;
  total: number;
}

/** What a finished build wrote (the index folder now holds this revision). */
export interface BuiltIndex {
  revision: number;
  documents: number;
  units: number;
  ms: number;
}

/** Builds the index for the store's current revision and saves it where the server loads it. */
export interface IndexBuilder {
  build(onProgress: (p: BuildProgress) => void): Promise<BuiltIndex>;
  /** Stops the worker, if one runs (a build in progress fails). */
  close(): Promise<void>;
}

type WorkerMessage =
  | { type: 'ready' }
  | ({ type: 'progress'; id: number } & BuildProgress)
  | ({ type: 'done'; id: number } & BuiltIndex)
  | { type: 'failed'; id: number; message: string };

export interface WorkerBuilderOptions {
  /** The worker script (app/index-worker.js). */
  script: URL;
  /** Structured-cloned into the worker: what it needs to open the store and where to save. */
  job: unknown;
  /** The worker's heap limit in megabytes (LOA_INDEX_MEMORY_MB). */
  memoryMb: number;
  /** How long an idle worker is kept for the next build (default 60 s). */
  idleMs?: number;
}

interface Pending {
  id: number;
  onProgress: (p: BuildProgress) => void;
  resolve: (b: BuiltIndex) => void;
  reject: (e: Error) => void;
}

/** An IndexBuilder running builds one at a time in a worker thread with a heap limit. */
export function workerIndexBuilder(options: WorkerBuilderOptions): IndexBuilder {
  let worker: Worker | undefined;
  let pending: Pending | undefined;
  let idle: NodeJS.Timeout | undefined;
  let nextId = 1;

  const fail = (err: Error) => {
    const p = pending;
    pending = undefined;
    p?.reject(err);
  };

  const start = (): Worker => {
    const w = new Worker(options.script, {
      workerData: options.job,
      resourceLimits: { maxOldGenerationSizeMb: options.memoryMb },
    });
    w.on('message', (m: WorkerMessage) => {
      if (m.type === 'ready' || !pending || m.id !== pending.id) return;
      if (m.type === 'progress') pending.onProgress({ stage: m.stage, done: m.done, total: m.total });
      else {
        const p = pending;
        pending = undefined;
        if (m.type === 'done') p.resolve({ revision: m.revision, documents: m.documents, units: m.units, ms: m.ms });
        else p.reject(new Error(m.message));
        idle = setTimeout(() => void stop(), options.idleMs ?? 60_000);
        idle.unref();
      }
    });
    w.once('error', (err: Error & { code?: string }) => {
      if (worker === w) worker = undefined;
      fail(err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? new Error(`the index build needed more than LOA_INDEX_MEMORY_MB (${options.memoryMb} MB) of memory`) : err);
    });
    w.once('exit', (code) => {
      if (worker === w) worker = undefined;
      fail(new Error(`the index worker stopped (exit code ${code}) before finishing`));
    });
    // An idle worker must not keep the process alive.
    w.unref();
    return w;
  };

  const stop = async () => {
    clearTimeout(idle);
    const w = worker;
    worker = undefined;
    await w?.terminate();
  };

  return {
    build: (onProgress) =>
      new Promise<BuiltIndex>((resolve, reject) => {
        if (pending) return reject(new Error('an index build is already running'));
        clearTimeout(idle);
        worker ??= start();
        const id = nextId++;
        pending = { id, onProgress, resolve, reject };
        // Referenced while building, so a short-lived process (loa ingest) waits for it.
        worker.ref();
        const w = worker;
        const settle = () => w.unref();
        pending.resolve = (b) => (settle(), resolve(b));
        pending.reject = (e) => (settle(), reject(e));
        w.postMessage({ type: 'build', id });
      }),
    close: stop,
  };
}
