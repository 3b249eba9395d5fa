// Builds the retrieval index in a worker thread (see knowledge/library/index-builder.ts), one
// build per 'build' message. Plain JavaScript so that Node can start it directly; tsx then
// compiles what it imports (once: the worker stays up between builds while it is busy).
import { register } from 'tsx/esm/api';
import { parentPort, workerData } from 'node:worker_threads';

register();
const { buildIndexFromStore } = await import('./index-build.ts');
parentPort.on('message', async (m) => {
  if (m?.type !== 'build') return;
  try {
    const result = await buildIndexFromStore(workerData, (done, total, stage) => parentPort.postMessage({ type: 'progress', id: m.id, done, total, stage }));
    parentPort.postMessage({ type: 'done', id: m.id, ...result });
  } catch (e) {
    parentPort.postMessage({ type: 'failed', id: m.id, message: e instanceof Error ? e.message : String(e) });
  }
});
parentPort.postMessage({ type: 'ready' });
