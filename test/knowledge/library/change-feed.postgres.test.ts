import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../app/config.ts';
import { openRuntime, type Runtime } from '../../../app/runtime.ts';
import { createTempSchema, usePostgres, type TempSchema } from '../../support/services.ts';
import { REGULATION, REGULATION_FILE, REGULATION_QUESTION } from './synthetic.ts';

/**
 * Two instances on one PostgreSQL schema, each with its own data folder (its own saved
 * index). The revision poll lives in the server, which is not started here, and is set to an
 * hour anyway: the second instance can only learn of the change through LISTEN/NOTIFY.
 */
const pgUp = await usePostgres();

describe.runIf(pgUp)('knowledge change feed (PostgreSQL LISTEN/NOTIFY)', () => {
  let schema: TempSchema;
  const dirs: string[] = [];
  let a: Runtime;
  let b: Runtime;

  const open = async (): Promise<Runtime> => {
    const dir = mkdtempSync(join(tmpdir(), 'loa-feed-'));
    dirs.push(dir);
    return openRuntime(loadConfig({ LOA_DATA_DIR: dir, DATABASE_URL: schema.url, LOA_LOG_LEVEL: 'silent', LOA_SAMPLE_KNOWLEDGE: 'false', LOA_KNOWLEDGE_POLL_S: '3600' }));
  };

  beforeAll(async () => {
    schema = await createTempSchema();
    a = await open();
    b = await open();
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await schema?.drop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('crosses instances over PostgreSQL', () => {
    expect(a.feed.crossInstance).toBe(true);
  });

  it('a second instance rebuilds and answers from a change made on the first, without a poll', async () => {
    expect((await b.answerer.ask(REGULATION_QUESTION)).abstained).toBe(true);
    await a.library.upload(REGULATION_FILE, Buffer.from(REGULATION));
    const revision = await a.storage.knowledge.revision();
    expect(a.retriever().revision).toBe(revision);

    await vi.waitFor(() => expect(b.retriever().revision).toBe(revision), { timeout: 60_000, interval: 100 });
    const answer = await b.answerer.ask(REGULATION_QUESTION);
    expect(answer.abstained).toBe(false);
    expect(answer.citations[0].id).toBe('quy-che-nuoi-ong::1');
    expect(b.library.status()).toMatchObject({ state: 'idle', servingRevision: revision });
  }, 90_000);

  it('a deletion reaches the other instance too', async () => {
    await a.library.remove('quy-che-nuoi-ong');
    const revision = await a.storage.knowledge.revision();
    await vi.waitFor(() => expect(b.retriever().revision).toBe(revision), { timeout: 60_000, interval: 100 });
    expect((await b.answerer.ask(REGULATION_QUESTION)).abstained).toBe(true);
  }, 90_000);
});
