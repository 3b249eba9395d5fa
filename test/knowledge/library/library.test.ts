import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../app/config.ts';
import { openRuntime, type Runtime } from '../../../app/runtime.ts';
import { startServer, type LoaServer } from '../../../app/server.ts';
import { buildRetriever, loadRetriever } from '../../../retrieval/index.ts';
import type { AskResult } from '../../../retrieval/types.ts';
import { REGULATION, REGULATION_FILE, REGULATION_QUESTION, syntheticDocuments } from './synthetic.ts';

/**
 * The knowledge library with real SQLite, the real index worker and a real HTTP server:
 * uploads become answerable once the worker's build is swapped in, questions are answered
 * while a build runs, and a failed build leaves the previous index serving.
 */

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function open(env: Record<string, string> = {}): Promise<Runtime> {
  const dataDir = mkdtempSync(join(tmpdir(), 'loa-library-'));
  const runtime = await openRuntime(loadConfig({ LOA_DATA_DIR: dataDir, LOA_LOG_LEVEL: 'silent', PORT: '0', HOST: '127.0.0.1', ...env }));
  cleanups.push(async () => {
    await runtime.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return runtime;
}

async function serve(runtime: Runtime): Promise<LoaServer> {
  const loa = await startServer(runtime);
  cleanups.push(() => loa.close());
  return loa;
}

async function ask(url: string, question: string): Promise<AskResult> {
  const res = await fetch(`${url}/api/ask`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ question }) });
  expect(res.status).toBe(200);
  return (await res.json()) as AskResult;
}

/** A question the bundled sample knowledge base answers. */
const SAMPLE_QUESTION = 'đăng ký thường trú cần giấy tờ gì';

describe('knowledge library', () => {
  it('makes an uploaded document answerable once the worker build is swapped in', async () => {
    const runtime = await open({ LOA_SAMPLE_KNOWLEDGE: 'false' });
    const before = runtime.retriever();
    expect((await before.ask(REGULATION_QUESTION)).abstained).toBe(true);

    const out = await runtime.library.upload(REGULATION_FILE, Buffer.from(REGULATION));
    expect(out.summary.documents.added).toBe(1);
    // The upload waited for the build: the serving index is the store's revision, built in the worker.
    expect(runtime.retriever()).not.toBe(before);
    expect(runtime.retriever().revision).toBe(await runtime.storage.knowledge.revision());
    const status = runtime.library.status();
    expect(status).toMatchObject({ state: 'idle', servingRevision: runtime.retriever().revision, units: runtime.retriever().units });
    expect(status.lastBuild?.ms).toBeGreaterThan(0);

    const answer = await runtime.answerer.ask(REGULATION_QUESTION);
    expect(answer.abstained).toBe(false);
    expect(answer.citations[0].id).toBe('quy-che-nuoi-ong::1');

    // Deleting it is a change like any other.
    expect(await runtime.library.remove('quy-che-nuoi-ong')).toBe(true);
    expect((await runtime.answerer.ask(REGULATION_QUESTION)).abstained).toBe(true);
  });

  it('patches a status change into the serving index at once, as a rebuild would have it', async () => {
    const runtime = await open({ LOA_SAMPLE_KNOWLEDGE: 'false' });
    await runtime.library.upload(REGULATION_FILE, Buffer.from(REGULATION));
    const built = runtime.library.status().lastBuild;
    const doc = await runtime.library.changeable('quy-che-nuoi-ong');
    if (typeof doc === 'string') throw new Error(doc);

    expect(await runtime.library.setMeta(doc, { ...doc.meta, status: 'superseded', supersededBy: 'Quyết định 9/2026/QĐ-UBND' })).toBe(true);
    const revision = await runtime.storage.knowledge.revision();
    expect(runtime.retriever().revision).toBe(revision);
    // No build ran: the last build is still the upload's.
    expect(runtime.library.status()).toMatchObject({ state: 'idle', servingRevision: revision, lastBuild: built });
    const patched = await runtime.answerer.ask(REGULATION_QUESTION);
    expect(patched.citations[0]).toMatchObject({ id: 'quy-che-nuoi-ong::1', status: 'superseded' });
    expect(patched.answer).toContain('Quyết định 9/2026/QĐ-UBND');

    // The same answer as an index built from scratch over the store.
    const fresh = await buildRetriever(await runtime.storage.knowledge.allDocuments(), { abstainThreshold: runtime.config.LOA_ABSTAIN_THRESHOLD, clarifyFloor: runtime.config.LOA_CLARIFY_FLOOR, agencyName: runtime.config.LOA_AGENCY_NAME });
    expect(patched).toEqual(await fresh.ask(REGULATION_QUESTION));
    // And saved: a restart loads it instead of rebuilding.
    await vi.waitFor(async () => expect((await loadRetriever(join(runtime.config.dataDir, 'index'), { abstainThreshold: 0.6, revision }))?.revision).toBe(revision));
  });

  it('answers questions over HTTP from the old index while a big rebuild runs', async () => {
    const runtime = await open();
    const loa = await serve(runtime);
    const old = runtime.retriever();
    const expected = await old.ask(SAMPLE_QUESTION);
    expect(expected.abstained).toBe(false);

    await runtime.storage.knowledge.putDocuments(syntheticDocuments(500, 10));
    const rebuilt = runtime.refreshKnowledge();
    rebuilt.catch(() => undefined);
    await vi.waitFor(() => expect(runtime.library.status().state).toBe('building'));

    // While the worker builds, the server's event loop is free: asks complete, from the old index.
    let during = 0;
    while (runtime.library.status().state === 'building') {
      const answer = await ask(loa.url, SAMPLE_QUESTION);
      if (runtime.library.status().state !== 'building') break;
      expect(runtime.retriever()).toBe(old);
      expect(answer.citations[0].id).toBe(expected.citations[0].id);
      during++;
      // Paced under the ask API's rate limit (120 a minute).
      await new Promise((resolve) => setTimeout(resolve, 600));
    }
    expect(during).toBeGreaterThan(0);
    expect(await rebuilt).toBe(true);
    expect(runtime.retriever().units).toBe(old.units + 500 * 10);
    expect(runtime.library.status()).toMatchObject({ state: 'idle', units: old.units + 500 * 10 });
    const status = await fetch(`${loa.url}/api/admin/documents/index-status`);
    // The console's endpoint is behind sign-in.
    expect(status.status).toBe(401);
  }, 180_000);

  it('keeps the old index serving and reports why when a build fails', async () => {
    // The worker's heap limit is the operator's guard; a corpus over it fails the build.
    const runtime = await open({ LOA_INDEX_MEMORY_MB: '64' });
    const old = runtime.retriever();
    await runtime.storage.knowledge.putDocuments(syntheticDocuments(3000, 10, 2));

    await expect(runtime.refreshKnowledge()).rejects.toThrow(/LOA_INDEX_MEMORY_MB/);
    const status = runtime.library.status();
    expect(status.state).toBe('failed');
    expect(status.failure?.reason).toContain('LOA_INDEX_MEMORY_MB (64 MB)');
    expect(status.servingRevision).toBe(old.revision);
    expect(runtime.retriever()).toBe(old);
    expect((await runtime.answerer.ask(SAMPLE_QUESTION)).abstained).toBe(false);
  }, 120_000);
});
