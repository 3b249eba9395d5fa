/**
 * Large-corpus measurements, each in its own process so peak memory is its own
 * (bench/retrieval.ts runs them):
 *   node bin/run-ts.js bench/retrieval-large.ts build <chunks> <dir>   build, time, save
 *   node bin/run-ts.js bench/retrieval-large.ts load <dir>             load, time, ask latency
 */
import { buildRetriever, loadRetriever } from '../retrieval/index.ts';
import { latency } from './retrieval.ts';
import { dataPath, haveData, loadQuestions } from './retrieval-data.ts';
import { syntheticCorpus } from './retrieval-synthetic.ts';

const mb = (bytes: number) => `${Math.round(bytes / 1048576)} MB`;
const peak = () => mb(process.resourceUsage().maxRSS * 1024);
const options = { abstainThreshold: 0.5 };

async function build(target: number, dir: string): Promise<void> {
  const files = ['alqac2023', 'alqac2022'].filter(haveData).map((n) => dataPath(n, 'corpus.jsonl'));
  const { documents, entries, units } = syntheticCorpus(files, target);
  console.log(`\nSynthetic corpus: ${entries} article-level chunks (${units} units with clauses), ${documents.length} documents`);
  console.log(`  RSS with the documents loaded: ${mb(process.memoryUsage().rss)}`);
  const started = performance.now();
  const r = await buildRetriever(documents, options);
  const mem = process.memoryUsage();
  console.log(`  build ${((performance.now() - started) / 1000).toFixed(1)} s; RSS after build ${mb(mem.rss)} (typed arrays ${mb(mem.arrayBuffers)}); peak RSS while building ${peak()}`);
  const t = performance.now();
  await r.save(dir);
  console.log(`  save ${((performance.now() - t) / 1000).toFixed(1)} s`);
}

async function load(dir: string): Promise<void> {
  const questions = loadQuestions(dataPath('alqac2023', 'questions.jsonl'));
  const t = performance.now();
  const r = await loadRetriever(dir, options);
  if (!r) throw new Error(`no index in ${dir}`);
  console.log(`  load ${((performance.now() - t) / 1000).toFixed(1)} s; RSS after load ${mb(process.memoryUsage().rss)}`);
  await latency(r, questions, '  served from the loaded index');
  console.log(`  peak RSS of the serving process: ${peak()}`);
}

const [mode, a, b] = process.argv.slice(2);
if (mode === 'build') await build(Number(a), b);
else if (mode === 'load') await load(a);
else throw new Error('usage: retrieval-large.ts build <chunks> <dir> | load <dir>');
