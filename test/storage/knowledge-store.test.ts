import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqlite, type SqliteDatabase } from '../../storage/sqlite/database.ts';
import { SqliteKnowledgeStore } from '../../storage/sqlite/knowledge-store.ts';
import type { KnowledgeDocument, KnowledgeUnit } from '../../knowledge/types.ts';

let dir: string;
let file: string;
let db: SqliteDatabase;
let store: SqliteKnowledgeStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'loa-store-'));
  file = join(dir, 'loa.sqlite');
  db = openSqlite(file);
  store = new SqliteKnowledgeStore(db);
});

afterEach(() => {
  if (db.open) db.close();
  rmSync(dir, { recursive: true, force: true });
});

function doc(id: string, hash: string, articles: number, extra: Partial<KnowledgeDocument> = {}): KnowledgeDocument {
  const units: KnowledgeUnit[] = [];
  for (let a = 1; a <= articles; a++) {
    const aid = `${id}::${a}`;
    units.push({ id: aid, docId: id, kind: 'article', section: `Điều ${a}`, articleNo: String(a), heading: `Tiêu đề ${a}`, text: `1. Nội dung ${a} (${hash}).` });
    units.push({ id: `${aid}.1`, docId: id, kind: 'clause', parentId: aid, section: `Điều ${a}, Khoản 1`, articleNo: String(a), clauseNo: '1', heading: `Tiêu đề ${a}`, text: `Nội dung ${a} (${hash}).` });
  }
  return {
    id,
    title: `Văn bản ${id}`,
    source: `/docs/${id}.txt`,
    contentHash: hash,
    meta: { status: 'in_force', number: '68/2020/QH14', aliases: ['luật cư trú'] },
    units,
    ingestedAt: '2024-01-02T03:04:05.000Z',
    ...extra,
  };
}

describe('SqliteKnowledgeStore', () => {
  it('adds, leaves unchanged and replaces documents, counting revisions', async () => {
    expect(await store.revision()).toBe(0);
    expect(await store.putDocument(doc('a', 'h1', 2))).toBe('added');
    expect(await store.revision()).toBe(1);
    expect(await store.putDocument(doc('a', 'h1', 2))).toBe('unchanged');
    expect(await store.revision()).toBe(1);
    expect(await store.putDocument(doc('a', 'h2', 3))).toBe('replaced');
    expect(await store.revision()).toBe(2);
    expect(await store.getDocument('a')).toEqual(doc('a', 'h2', 3));
    expect(await store.getDocument('missing')).toBeUndefined();
  });

  it('round-trips units exactly, leaving absent optional fields absent', async () => {
    const d = doc('p', 'h', 0, { units: [{ id: 'p::s1', docId: 'p', kind: 'passage', section: 'Đoạn 1', text: 'Một đoạn.' }] });
    await store.putDocument(d);
    const back = (await store.getDocument('p'))!;
    expect(back.units[0]).toStrictEqual({ id: 'p::s1', docId: 'p', kind: 'passage', section: 'Đoạn 1', text: 'Một đoạn.' });
  });

  it('lists documents with counts and finds them by source', async () => {
    await store.putDocument(doc('b', 'h', 1));
    await store.putDocument(doc('a', 'h', 3));
    const list = await store.listDocuments();
    expect(list.map((d) => [d.id, d.unitCount, d.articleCount])).toEqual([
      ['a', 6, 3],
      ['b', 2, 1],
    ]);
    expect(list[0]).toMatchObject({ title: 'Văn bản a', source: '/docs/a.txt', contentHash: 'h', meta: { status: 'in_force', number: '68/2020/QH14' } });
    expect((await store.findBySource('/docs/b.txt'))?.id).toBe('b');
    expect(await store.findBySource('/docs/none.txt')).toBeUndefined();
  });

  it('returns all documents with their units in order', async () => {
    for (let i = 0; i < 30; i++) await store.putDocument(doc(`d${String(i).padStart(2, '0')}`, 'h', 50));
    const all = await store.allDocuments();
    expect(all).toHaveLength(30);
    expect(all.reduce((n, d) => n + d.units.length, 0)).toBe(30 * 100);
    expect(all[7]).toEqual(doc('d07', 'h', 50));
  });

  it('updates metadata and removes documents with their units', async () => {
    await store.putDocument(doc('a', 'h', 2));
    const rev = await store.revision();
    expect(await store.updateMeta('a', { status: 'superseded', supersededBy: 'Luật mới' })).toBe(true);
    expect(await store.revision()).toBe(rev + 1);
    expect((await store.getDocument('a'))?.meta).toEqual({ status: 'superseded', supersededBy: 'Luật mới' });
    expect(await store.updateMeta('nope', { status: 'unknown' })).toBe(false);
    expect(await store.revision()).toBe(rev + 1);

    expect(await store.removeDocument('a')).toBe(true);
    expect(await store.revision()).toBe(rev + 2);
    expect(await store.getDocument('a')).toBeUndefined();
    expect(db.prepare('SELECT COUNT(*) AS n FROM knowledge_units').get()).toEqual({ n: 0 });
    expect(await store.removeDocument('a')).toBe(false);
  });

  it('leaves the old version whole when a replacement fails half-way', async () => {
    await store.putDocument(doc('a', 'h1', 3));
    const rev = await store.revision();
    const broken = doc('a', 'h2', 3);
    // A NOT NULL violation on the last unit, after the old units were deleted inside the transaction.
    broken.units[broken.units.length - 1].text = null as unknown as string;
    await expect(store.putDocument(broken)).rejects.toThrow(/NOT NULL/);
    expect(await store.getDocument('a')).toEqual(doc('a', 'h1', 3));
    expect(await store.revision()).toBe(rev);
  });

  it('persists across reopening, running its migrations once', async () => {
    await store.putDocument(doc('a', 'h', 1));
    db.close();
    db = openSqlite(file);
    store = new SqliteKnowledgeStore(db);
    expect(await store.revision()).toBe(1);
    expect((await store.getDocument('a'))?.units).toHaveLength(2);
    expect(db.prepare("SELECT COUNT(*) AS n FROM schema_migrations WHERE scope = 'knowledge'").get()).toEqual({ n: 1 });
  });
});
