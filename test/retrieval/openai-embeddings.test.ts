import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRetriever, loadRetriever } from '../../retrieval/index.ts';
import { OpenAICompatibleEmbeddings } from '../../retrieval/openai-embeddings.ts';
import { fold, tokenize } from '../../retrieval/vietnamese.ts';
import { startFakeOpenAI, type FakeOpenAI } from './fake-openai.ts';
import { testDocuments } from './fixtures.ts';

const DIMS = 64;

/** A deterministic stand-in for a sentence encoder: hashed folded syllables. */
function hashEmbed(text: string): number[] {
  const v = new Array<number>(DIMS).fill(0);
  for (const t of tokenize(text).map(fold)) {
    let h = 2166136261;
    for (const ch of t) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
    v[(h >>> 0) % DIMS] += 1;
  }
  return v;
}

let fake: FakeOpenAI;
let dir: string;
beforeAll(async () => {
  fake = await startFakeOpenAI({ embed: hashEmbed });
  dir = await mkdtemp(join(tmpdir(), 'loa-openai-'));
});
afterAll(async () => {
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

describe('OpenAI-compatible embeddings', () => {
  it('calls /v1/embeddings in batches and returns unit vectors in input order', async () => {
    const emb = new OpenAICompatibleEmbeddings({ url: fake.url, model: 'fake-embed', batchSize: 2 });
    const before = fake.embeddingInputs.length;
    const out = await emb.embedDocuments(['đăng ký thường trú', 'kết hôn', 'thẻ căn cước']);
    expect(fake.embeddingInputs.length - before).toBe(2);
    expect(out).toHaveLength(3);
    for (const v of out) expect(Math.hypot(...v)).toBeCloseTo(1, 6);
    const q = await emb.embedQuery('kết hôn');
    expect(q).toEqual(out[1]);
  });

  it('reports a broken endpoint clearly', async () => {
    const emb = new OpenAICompatibleEmbeddings({ url: `${fake.url}/missing` });
    await expect(emb.embedQuery('x')).rejects.toThrow(/HTTP 404/);
  });

  it('builds a retriever whose answers use the endpoint vectors, and saves/loads it', async () => {
    const options = { abstainThreshold: 0.5, embeddings: { kind: 'openai' as const, url: fake.url, model: 'fake-embed' } };
    const r = await buildRetriever(testDocuments(), options);
    const embedded = fake.embeddingInputs.flat();
    expect(embedded.some((t) => t.includes('Điều kiện đăng ký thường trú'))).toBe(true);
    const d = await r.askDetailed('Điều kiện đăng ký thường trú là gì?');
    expect(d.hits[0].id).toBe('Luật Cư trú::20');
    expect(d.features?.vectorSim).toBeGreaterThan(0);
    // The synchronous search uses lexical evidence only with an external endpoint.
    expect(r.search('dieu kien dang ky thuong tru', 1)[0].id).toBe('Luật Cư trú::20');

    await r.save(join(dir, 'index'));
    expect(await loadRetriever(join(dir, 'index'), { abstainThreshold: 0.5 })).toBeUndefined();
    const loaded = await loadRetriever(join(dir, 'index'), options);
    const again = await loaded!.askDetailed('Điều kiện đăng ký thường trú là gì?');
    expect(again.hits).toEqual(d.hits);
    expect(again.result).toEqual(d.result);
  });

  it('explains that the transformers kind is not in this build', async () => {
    await expect(buildRetriever(testDocuments(), { abstainThreshold: 0.5, embeddings: { kind: 'transformers' } })).rejects.toThrow(
      /not available in this build/,
    );
  });
});
