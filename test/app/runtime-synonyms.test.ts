import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../app/config.ts';
import { openRuntime, type Runtime } from '../../app/runtime.ts';
import { ingestBuffer } from '../../knowledge/ingest.ts';
import { openStorage, type Storage } from '../../storage/index.ts';
import { REVIEW_DOCUMENT as DOCUMENT } from '../admin/review-support.ts';

/**
 * The runtime follows the agency's synonyms like it follows knowledge: a change written by
 * another instance (another handle on the same database) is picked up by `refreshKnowledge`
 * without rebuilding the index, and a restarted runtime starts with it.
 */

const QUESTION = 'gửi xe ở đâu';
const PARKING = /::1$/;

describe('runtime and agency synonyms', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('picks up a synonym another instance added, keeps the index, and starts with it after a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'loa-runtime-syn-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const config = loadConfig({ LOA_DATA_DIR: dataDir, LOA_SAMPLE_KNOWLEDGE: 'false', LOA_LOG_LEVEL: 'silent' });
    let runtime: Runtime = await openRuntime(config);
    cleanups.push(() => runtime.close());
    await ingestBuffer('trat-tu-do-thi.md', Buffer.from(DOCUMENT, 'utf8'), runtime.storage.knowledge, { maxFileBytes: 1 << 20 });
    expect(await runtime.refreshKnowledge()).toBe(true);
    const top = () => runtime.retriever().search(QUESTION, 1)[0]?.id ?? '';
    expect(top()).not.toMatch(PARKING);
    expect(await runtime.refreshKnowledge()).toBe(false);

    const other: Storage = await openStorage(config);
    cleanups.push(() => other.close());
    const added = await other.synonyms.create({ everyday: ['gửi xe'], legal: ['trông giữ xe'] }, 'a@loa.test', new Date());
    expect(added.ok).toBe(true);
    expect(top()).not.toMatch(PARKING);
    const index = runtime.retriever().revision;
    expect(await runtime.refreshKnowledge()).toBe(true);
    expect(top()).toMatch(PARKING);
    expect(runtime.retriever().revision).toBe(index);
    expect(await runtime.refreshKnowledge()).toBe(false);

    await runtime.close();
    runtime = await openRuntime(config);
    expect(top()).toMatch(PARKING);

    if (added.ok) await other.synonyms.remove(added.synonym.id);
    expect(await runtime.refreshKnowledge()).toBe(true);
    expect(top()).not.toMatch(PARKING);
  });
});
