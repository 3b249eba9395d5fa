import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import { readPack } from '../retrieval/binary-pack.ts';
import { Embeddings } from '@langchain/core/embeddings';
const dir = '/tmp/loa-l-idx';
let last = performance.now(); let worst = 0;
const iv = setInterval(() => { const n = performance.now(); if (n - last > worst) worst = n - last; last = n; }, 1);
const step = async (name: string, f: () => Promise<unknown>) => { worst = 0; last = performance.now(); const t = performance.now(); await f(); await new Promise(r => setTimeout(r, 5)); console.log(name, ((performance.now()-t)|0)+'ms', 'worst gap', worst|0); };
class E extends Embeddings { constructor() { super({}); } async embedDocuments() { return []; } async embedQuery() { return []; } }
await step('hnsw', () => HNSWLib.load(join(dir, 'vectors'), new E()));
await step('vocab', async () => JSON.parse(await readFile(join(dir, 'vocab.json'), 'utf8')));
const { createInterface } = await import('node:readline');
const { createReadStream } = await import('node:fs');
await step('corpus-lines', async () => { let n = 0; for await (const l of createInterface({ input: createReadStream(join(dir, 'corpus.ndjson'), { encoding: 'utf8' }), crlfDelay: Infinity })) { JSON.parse(l); n++; } });
clearInterval(iv);
{
const { createInterface } = await import('node:readline');
const { createReadStream } = await import('node:fs');
let last = performance.now(); let worst = 0;
const iv2 = setInterval(() => { const n = performance.now(); if (n - last > worst) worst = n - last; last = n; }, 1);
const p = await import('../retrieval/persist.ts');
worst = 0; last = performance.now();
const t = performance.now();
let gapAt = 0; let n = 0; let prev = performance.now(); let maxLine = 0;
for await (const l of createInterface({ input: createReadStream(join(dir, 'corpus.ndjson'), { encoding: 'utf8' }), crlfDelay: Infinity })) { n++; if (l.length > maxLine) maxLine = l.length; }
console.log('lines', n, 'maxline', maxLine, 'worst', worst | 0, (performance.now() - t) | 0);
clearInterval(iv2);
}
