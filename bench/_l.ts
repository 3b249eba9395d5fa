import { monitorEventLoopDelay } from 'node:perf_hooks';
import { buildRetriever, loadRetriever } from '../retrieval/index.ts';
import { syntheticCorpus } from './retrieval-synthetic.ts';
import { readPack } from '../retrieval/binary-pack.ts';
import { readManifest, loadIndexParts } from '../retrieval/persist.ts';
const dir = '/tmp/loa-l-idx';
if (process.argv[2] === 'build') {
  const { documents } = syntheticCorpus(['/work/shared/data/alqac2023/corpus.jsonl'], Number(process.argv[3]));
  const r = await buildRetriever(documents, { abstainThreshold: 0.5 });
  await r.save(dir);
} else {
  // find max gap with a ticking interval, and log where
  let last = performance.now(); let worst = 0;
  const iv = setInterval(() => { const n = performance.now(); if (n - last > worst) worst = n - last; last = n; }, 1);
  const step = async (name: string, f: () => Promise<unknown>) => { worst = 0; last = performance.now(); const t = performance.now(); await f(); await new Promise(r => setTimeout(r, 5)); console.log(name, ((performance.now()-t)|0)+'ms', 'worst gap', worst|0); };
  const m = (await readManifest(dir))!;
  await step('readPack', () => readPack(dir + '/lexical.pack'));
  await step('loadIndexParts', () => loadIndexParts(dir, m, undefined, true));
  await step('loadRetriever', () => loadRetriever(dir, { abstainThreshold: 0.5, yieldWhileLoading: true }));
  clearInterval(iv);
}
