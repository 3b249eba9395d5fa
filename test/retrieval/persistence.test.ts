import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRetriever, INDEX_FORMAT_VERSION, loadRetriever, type Retriever } from '../../retrieval/index.ts';
import { testDocuments } from './fixtures.ts';

let dir: string;
let built: Retriever;

const QUESTIONS = [
  'Điều kiện đăng ký thường trú là gì?',
  'doi cccd khi bao nhieu tuoi',
  'nơi cư trú của người chưa thành niên theo BLDS',
  'chứng minh nhân dân có thời hạn bao lâu',
  'Giá vàng hôm nay?',
];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'loa-index-'));
  built = await buildRetriever(testDocuments(), { abstainThreshold: 0.5, revision: 7 });
  await built.save(join(dir, 'index'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('saved index', () => {
  it('loads back and answers exactly as the built one', async () => {
    const loaded = await loadRetriever(join(dir, 'index'), { abstainThreshold: 0.5 });
    expect(loaded).toBeDefined();
    expect(loaded!.revision).toBe(7);
    for (const q of QUESTIONS) {
      expect(loaded!.search(q, 10)).toEqual(built.search(q, 10));
      expect(await loaded!.ask(q)).toEqual(await built.ask(q));
    }
  });

  it('can be saved again over itself (atomic swap of the folder)', async () => {
    const loaded = await loadRetriever(join(dir, 'index'), { abstainThreshold: 0.5 });
    await loaded!.save(join(dir, 'index'));
    const again = await loadRetriever(join(dir, 'index'), { abstainThreshold: 0.5 });
    expect(again!.search(QUESTIONS[0], 5)).toEqual(built.search(QUESTIONS[0], 5));
  });

  it('is not used when absent, from another format version, another revision or other embeddings', async () => {
    expect(await loadRetriever(join(dir, 'nowhere'), { abstainThreshold: 0.5 })).toBeUndefined();
    expect(await loadRetriever(join(dir, 'index'), { abstainThreshold: 0.5, revision: 8 })).toBeUndefined();
    expect(await loadRetriever(join(dir, 'index'), { abstainThreshold: 0.5, revision: 7 })).toBeDefined();
    expect(await loadRetriever(join(dir, 'index'), { abstainThreshold: 0.5, embeddings: { kind: 'none' } })).toBeUndefined();

    const copy = join(dir, 'old');
    await built.save(copy);
    const manifestFile = join(copy, 'manifest.json');
    const manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as { version: number };
    expect(manifest.version).toBe(INDEX_FORMAT_VERSION);
    await writeFile(manifestFile, JSON.stringify({ ...manifest, version: INDEX_FORMAT_VERSION - 1 }));
    expect(await loadRetriever(copy, { abstainThreshold: 0.5 })).toBeUndefined();
  });

  it('treats a damaged index as absent', async () => {
    const copy = join(dir, 'damaged');
    await built.save(copy);
    await writeFile(join(copy, 'lexical.pack'), 'not a pack');
    expect(await loadRetriever(copy, { abstainThreshold: 0.5 })).toBeUndefined();
  });

  it('saves and loads an index without vectors', async () => {
    const plain = await buildRetriever(testDocuments(), { abstainThreshold: 0.5, embeddings: { kind: 'none' } });
    await plain.save(join(dir, 'plain'));
    const loaded = await loadRetriever(join(dir, 'plain'), { abstainThreshold: 0.5, embeddings: { kind: 'none' } });
    expect(loaded!.search(QUESTIONS[1], 3)).toEqual(plain.search(QUESTIONS[1], 3));
    expect(loaded!.search(QUESTIONS[1], 1)[0].id).toBe('Luật Căn cước::21');
  });
});
