import { Worker } from 'node:worker_threads';
import { UnreadableDocumentError, type ExtractedText } from './extracted.ts';

/** Bounds on parsing one file. */
export interface ParseLimits {
  /** Wall-clock time, in milliseconds. */
  timeoutMs: number;
  /** The worker's JavaScript heap, in megabytes. */
  memoryMb: number;
}

export const DEFAULT_PARSE_LIMITS: ParseLimits = { timeoutMs: 60_000, memoryMb: 512 };

/** The parse worker's limits from the configuration's LOA_PARSE_TIMEOUT_S and LOA_PARSE_MEMORY_MB. */
export const parseLimitsOf = (config: { LOA_PARSE_TIMEOUT_S: number; LOA_PARSE_MEMORY_MB: number }): ParseLimits => ({
  timeoutMs: config.LOA_PARSE_TIMEOUT_S * 1000,
  memoryMb: config.LOA_PARSE_MEMORY_MB,
});

/** The formats parsed in a worker: archives and PDF, where a small file can ask for unbounded work. */
export type IsolatedFormat = 'docx' | 'pdf';

type WorkerAnswer = { ok: true; extracted: ExtractedText } | { ok: false; unreadable: string } | { ok: false; failed: string };

const WORKER_URL = new URL('./extract-worker.js', import.meta.url);

// One parse at a time per process: each may use `memoryMb`.
let queue: Promise<unknown> = Promise.resolve();

/**
 * Parses a DOCX or PDF in a worker thread with a heap limit and a time limit, so that a
 * hostile file (a zip bomb, a PDF that loops) costs bounded memory and time and never stalls
 * the server's event loop. Over a limit the worker is stopped and the file is refused with
 * an UnreadableDocumentError that says which limit.
 */
export function extractIsolated(format: IsolatedFormat, bytes: Uint8Array, limits: ParseLimits = DEFAULT_PARSE_LIMITS): Promise<ExtractedText> {
  const run = queue.catch(() => undefined).then(() => runWorker(format, bytes, limits));
  queue = run;
  return run;
}

function runWorker(format: IsolatedFormat, bytes: Uint8Array, limits: ParseLimits): Promise<ExtractedText> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_URL, {
      workerData: { format, bytes },
      resourceLimits: { maxOldGenerationSizeMb: limits.memoryMb, maxYoungGenerationSizeMb: Math.min(64, Math.max(8, limits.memoryMb / 8)) },
    });
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
      void worker.terminate();
    };
    const timer = setTimeout(
      () => finish(() => reject(new UnreadableDocumentError(`took longer than ${Math.round(limits.timeoutMs / 1000)} s to read: refused (LOA_PARSE_TIMEOUT_S)`))),
      limits.timeoutMs,
    );
    worker.once('message', (answer: WorkerAnswer) =>
      finish(() => {
        if (answer.ok) resolve(answer.extracted);
        else if ('unreadable' in answer) reject(new UnreadableDocumentError(answer.unreadable));
        else reject(new Error(`document parser failed: ${answer.failed}`));
      }),
    );
    worker.once('error', (err: Error & { code?: string }) =>
      finish(() =>
        reject(
          err.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new UnreadableDocumentError(`needs more than ${limits.memoryMb} MB of memory to read: refused (a zip bomb, or too large; LOA_PARSE_MEMORY_MB)`)
            : err,
        ),
      ),
    );
    worker.once('exit', (code) => finish(() => reject(new Error(`document parser stopped (exit code ${code})`))));
  });
}
