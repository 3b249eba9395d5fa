import { describe, expect, it } from 'vitest';
import type { KnowledgeDocument, KnowledgeUnit } from '../../../knowledge/types.ts';
import { useBackend, type BackendFactory } from './backend.ts';

/** A document of `articles` articles, each with one clause; `hash` shows in every unit's text. */
export function doc(id: string, hash: string, articles: number, extra: Partial<KnowledgeDocument> = {}): KnowledgeDocument {
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

/** KnowledgeStore behaviour every backend must have. */
export function knowledgeStoreContract(factory: BackendFactory): void {
  describe('KnowledgeStore', () => {
    const db = useBackend(factory);
    const open = async () => (await db().connect()).knowledge();

    it('adds, leaves unchanged and replaces documents, counting revisions', async () => {
      const store = await open();
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

    it('putDocuments stores several documents together, or none when one of them fails', async () => {
      const store = await open();
      // A title the database refuses (NOT NULL), as a full disk would refuse the write: the batch rolls back.
      const broken = doc('c', 'h', 1, { title: null as unknown as string });
      await expect(store.putDocuments([doc('a', 'h', 2), doc('b', 'h', 1), broken])).rejects.toThrow();
      expect(await store.listDocuments()).toEqual([]);
      expect(await store.revision()).toBe(0);
      expect(await store.putDocuments([doc('a', 'h', 2), doc('b', 'h', 1)])).toEqual(['added', 'added']);
      expect((await store.listDocuments()).map((d) => d.id).sort()).toEqual(['a', 'b']);
      expect(await store.putDocuments([doc('a', 'h', 2), doc('b', 'h2', 1)])).toEqual(['unchanged', 'replaced']);
    });

    it('round-trips units exactly, leaving absent optional fields absent', async () => {
      const store = await open();
      const d = doc('p', 'h', 0, { units: [{ id: 'p::s1', docId: 'p', kind: 'passage', section: 'Đoạn 1', text: 'Một đoạn.' }] });
      await store.putDocument(d);
      const back = (await store.getDocument('p'))!;
      expect(back.units[0]).toStrictEqual({ id: 'p::s1', docId: 'p', kind: 'passage', section: 'Đoạn 1', text: 'Một đoạn.' });
      expect(back.meta).toEqual(d.meta);
    });

    it('lists documents with counts and finds them by source', async () => {
      const store = await open();
      await store.putDocument(doc('b', 'h', 1));
      await store.putDocument(doc('a', 'h', 3));
      const list = await store.listDocuments();
      expect(list.map((d) => [d.id, d.unitCount, d.articleCount])).toEqual([
        ['a', 6, 3],
        ['b', 2, 1],
      ]);
      expect(list[0]).toMatchObject({ title: 'Văn bản a', source: '/docs/a.txt', contentHash: 'h', ingestedAt: '2024-01-02T03:04:05.000Z', meta: { status: 'in_force', number: '68/2020/QH14' } });
      expect((await store.findBySource('/docs/b.txt'))?.id).toBe('b');
      expect(await store.findBySource('/docs/none.txt')).toBeUndefined();
    });

    it('returns all documents with their units in order', async () => {
      const store = await open();
      for (let i = 0; i < 12; i++) await store.putDocument(doc(`d${String(i).padStart(2, '0')}`, 'h', 40));
      const all = await store.allDocuments();
      expect(all.map((d) => d.id)).toEqual(Array.from({ length: 12 }, (_, i) => `d${String(i).padStart(2, '0')}`));
      expect(all.reduce((n, d) => n + d.units.length, 0)).toBe(12 * 80);
      expect(all[7]).toEqual(doc('d07', 'h', 40));
    });

    it('updates metadata and removes documents with their units, bumping the revision only on change', async () => {
      const store = await open();
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
      expect(await store.allDocuments()).toEqual([]);
      expect(await store.removeDocument('a')).toBe(false);
      // Re-adding after removal starts from no units at all.
      expect(await store.putDocument(doc('a', 'h', 1))).toBe('added');
      expect((await store.getDocument('a'))?.units).toHaveLength(2);
    });

    it('leaves the old version whole when a replacement fails half-way', async () => {
      const store = await open();
      await store.putDocument(doc('a', 'h1', 3));
      const rev = await store.revision();
      const broken = doc('a', 'h2', 3);
      // A NOT NULL violation on the last unit, after the old units were deleted inside the transaction.
      broken.units[broken.units.length - 1].text = null as unknown as string;
      await expect(store.putDocument(broken)).rejects.toThrow(/null/i);
      expect(await store.getDocument('a')).toEqual(doc('a', 'h1', 3));
      expect(await store.revision()).toBe(rev);
    });

    it('is shared by connections, and concurrent writers neither lose nor mix documents', async () => {
      const one = await open();
      const two = await open();
      const outcomes = await Promise.all([
        one.putDocument(doc('x', 'h1', 30)),
        two.putDocument(doc('x', 'h1', 30)),
        one.putDocument(doc('y', 'h1', 5)),
        two.putDocument(doc('z', 'h1', 5)),
      ]);
      expect(outcomes.slice(0, 2).sort()).toEqual(['added', 'unchanged']);
      expect(outcomes.slice(2)).toEqual(['added', 'added']);
      expect(await one.revision()).toBe(3);
      expect(await two.revision()).toBe(3);
      expect(await two.getDocument('x')).toEqual(doc('x', 'h1', 30));
      expect((await one.listDocuments()).map((d) => d.id)).toEqual(['x', 'y', 'z']);
    });
  });
}
