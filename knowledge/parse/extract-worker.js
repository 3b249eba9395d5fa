// Runs one document parser in a worker thread (see isolated-extract.ts). Plain JavaScript so
// that Node can start it directly; tsx then compiles the TypeScript parsers it imports.
import { register } from 'tsx/esm/api';
import { parentPort, workerData } from 'node:worker_threads';

register();
const { extractText } = await import('../formats.ts');
const { UnreadableDocumentError } = await import('./extracted.ts');
try {
  const extracted = await extractText(workerData.format, workerData.bytes);
  parentPort.postMessage({ ok: true, extracted });
} catch (e) {
  const message = e instanceof Error ? e.message : String(e);
  parentPort.postMessage(e instanceof UnreadableDocumentError ? { ok: false, unreadable: message } : { ok: false, failed: message });
}
