/**
 * `npm run bench -- library`: the knowledge library at scale (LOA_BENCH_LIBRARY_CHUNKS article
 * chunks, default 61 000, synthesised as bench/retrieval-large.ts does). Measures, in a
 * process of its own so memory figures are its own:
 *   - a full index build in the worker and its swap (time; the event loop's longest stall);
 *   - a status change (patched into the serving index) until it serves (time; longest stall);
 *   - a one-document upload until queries answer from it (time; longest stall);
 *   - the serving process's memory once the worker has ended.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loadConfig } from '../app/config.ts';
import { openRuntime } from '../app/runtime.ts';
import { dataPath, haveData } from './retrieval-data.ts';
import { syntheticCorpus } from './retrieval-synthetic.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const mb = (bytes: number) => `${Math.round(bytes / 1048576)} MB`;
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

const REGULATION = `---
title: Quy định về nuôi ong mật trong khu dân cư
number: 7/2026/QĐ-UBND
status: in_force
---

Điều 1. Khoảng cách đặt thùng ong
Thùng ong mật phải đặt cách nhà ở của hộ liền kề ít nhất 10 mét và cách trường học ít nhất 100 mét.
`;
const QUESTION = 'thùng ong mật phải đặt cách nhà hàng xóm bao nhiêu mét';

/** Runs `fn` while watching the event loop; returns its result, the time taken and the longest stall. */
async function watched<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number; maxStallMs: number; p99Ms: number }> {
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  const started = performance.now();
  const value = await fn();
  const ms = performance.now() - started;
  h.disable();
  return { value, ms, maxStallMs: h.max / 1e6, p99Ms: h.percentile(99) / 1e6 };
}

async function measure(chunks: number): Promise<void> {
  const files = ['alqac2023', 'alqac2022'].filter(haveData).map((n) => dataPath(n, 'corpus.jsonl'));
  const { documents, entries, units } = syntheticCorpus(files, chunks);
  console.log(`\nSynthetic corpus: ${entries} article-level chunks (${units} units), ${documents.length} documents`);
  const dataDir = mkdtempSync(join(tmpdir(), 'loa-bench-library-'));
  const runtime = await openRuntime(loadConfig({ LOA_DATA_DIR: dataDir, LOA_LOG_LEVEL: 'warn', LOA_SAMPLE_KNOWLEDGE: 'false' }));
  try {
    await runtime.storage.knowledge.putDocuments(documents);
    documents.length = 0;
    const full = await watched(() => runtime.refreshKnowledge());
    const status = runtime.library.status();
    console.log(`  full build in the worker + swap: ${s(full.ms)} (worker build ${s(status.lastBuild?.ms ?? 0)}); event loop: longest stall ${full.maxStallMs.toFixed(0)} ms, p99 ${full.p99Ms.toFixed(0)} ms`);
    console.log(`  RSS after the swap (worker still up): ${mb(process.memoryUsage().rss)}`);

    // A status change (superseding a document) is patched into the serving index, not rebuilt.
    const target = (await runtime.storage.knowledge.listDocuments())[0];
    const doc = await runtime.library.changeable(target.id);
    if (typeof doc !== 'string') {
      const patch = await watched(async () => {
        await runtime.library.setMeta(doc, { ...doc.meta, status: 'superseded', supersededBy: 'Văn bản thay thế (bench)' });
        const rev = await runtime.storage.knowledge.revision();
        if (runtime.retriever().revision !== rev) throw new Error('the status change was not patched in');
      });
      console.log(`  status change (superseded) until served: ${s(patch.ms)}; event loop: longest stall ${patch.maxStallMs.toFixed(0)} ms, p99 ${patch.p99Ms.toFixed(0)} ms`);
      // The patched index is saved behind the change: let it finish before the next measurement.
      await runtime.refreshKnowledge();
    }

    const change = await watched(async () => {
      await runtime.library.upload('quy-dinh-nuoi-ong.md', Buffer.from(REGULATION));
      // Visible once the serving index is the store's revision (checked without asking, so the
      // stall figure is the library's own, not the queries' CPU time).
      const rev = await runtime.storage.knowledge.revision();
      while (runtime.retriever().revision < rev) await new Promise((r) => setTimeout(r, 50));
    });
    const answer = await runtime.answerer.ask(QUESTION);
    if (answer.abstained || !answer.citations[0]?.id.startsWith('quy-dinh-nuoi-ong::')) throw new Error('the uploaded document is not answerable');
    console.log(`  one-document upload until answerable: ${s(change.ms)}; event loop: longest stall ${change.maxStallMs.toFixed(0)} ms, p99 ${change.p99Ms.toFixed(0)} ms`);

    await runtime.library.close();
    // Give the worker's memory back, and collect the swapped-out indexes, before measuring what serving costs.
    await new Promise((r) => setTimeout(r, 2000));
    (globalThis as { gc?: () => void }).gc?.();
    const mem = process.memoryUsage();
    console.log(`  serving RSS with the worker ended: ${mb(mem.rss)} (heap ${mb(mem.heapUsed)}, typed arrays ${mb(mem.arrayBuffers)}); peak RSS ${mb(process.resourceUsage().maxRSS * 1024)}`);
  } finally {
    await runtime.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Runs the measurement in a fresh process (its peak memory is its own). */
export async function runKnowledgeLibraryBench(): Promise<void> {
  if (!haveData('alqac2023')) {
    console.log('ALQAC data not found (LOA_BENCH_DATA): skipping the knowledge library benchmark');
    return;
  }
  const chunks = Number(process.env.LOA_BENCH_LIBRARY_CHUNKS ?? 61_000);
  const res = spawnSync(process.execPath, ['--expose-gc', resolve(HERE, '..', 'bin', 'run-ts.js'), fileURLToPath(import.meta.url), 'measure', String(chunks)], { stdio: 'inherit' });
  if (res.status !== 0) console.log(`  knowledge library benchmark failed (exit ${res.status})`);
}

if (process.argv[2] === 'measure') await measure(Number(process.argv[3]));
