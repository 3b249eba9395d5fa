import { describe, expect, it } from 'vitest';
import { useBackend, type BackendFactory } from './backend.ts';

/** SynonymStore behaviour every backend must have. */
export function synonymStoreContract(factory: BackendFactory): void {
  describe('SynonymStore', () => {
    const db = useBackend(factory);
    const open = async () => (await db().connect()).synonyms();

    it('creates, lists, updates and removes entries, bumping the revision on every change', async () => {
      const store = await open();
      expect(await store.revision()).toBe(0);
      const at = new Date('2025-03-01T08:00:00.000Z');
      const created = await store.create({ everyday: ['gửi xe', 'giữ xe'], legal: ['trông giữ xe'], note: 'bãi xe' }, 'a@loa.test', at);
      if (!created.ok) throw new Error('create failed');
      expect(created.synonym).toEqual({
        id: created.synonym.id,
        everyday: ['gửi xe', 'giữ xe'],
        legal: ['trông giữ xe'],
        note: 'bãi xe',
        createdBy: 'a@loa.test',
        createdAt: at.toISOString(),
        updatedBy: 'a@loa.test',
        updatedAt: at.toISOString(),
      });
      const r1 = await store.revision();
      expect(r1).toBeGreaterThan(0);
      expect(await store.get(created.synonym.id)).toEqual(created.synonym);

      const later = new Date('2025-03-02T08:00:00.000Z');
      const updated = await store.update(created.synonym.id, { everyday: ['gửi xe'], legal: ['trông giữ xe', 'bãi đỗ xe'] }, 'b@loa.test', later);
      expect(updated).toMatchObject({ ok: true, synonym: { everyday: ['gửi xe'], legal: ['trông giữ xe', 'bãi đỗ xe'], createdBy: 'a@loa.test', updatedBy: 'b@loa.test', updatedAt: later.toISOString() } });
      expect((await store.get(created.synonym.id))?.note).toBeUndefined();
      const r2 = await store.revision();
      expect(r2).toBeGreaterThan(r1);
      // The phrase dropped by the update is free again.
      expect((await store.create({ everyday: ['giữ xe'], legal: ['trông giữ'] }, 'a@loa.test', later)).ok).toBe(true);
      expect(await store.list()).toHaveLength(2);

      expect(await store.update('nope', { everyday: ['x'], legal: ['y'] }, 'a@loa.test', later)).toEqual({ ok: false, reason: 'not_found' });
      expect((await store.remove(created.synonym.id))?.id).toBe(created.synonym.id);
      expect(await store.remove(created.synonym.id)).toBeUndefined();
      expect(await store.get(created.synonym.id)).toBeUndefined();
      expect(await store.revision()).toBeGreaterThan(r2);
      // Its phrase is free once it is removed.
      expect((await store.create({ everyday: ['gửi xe'], legal: ['trông giữ xe'] }, 'a@loa.test', later)).ok).toBe(true);
    });

    it('refuses an everyday phrase another entry has, leaving both unchanged', async () => {
      const store = await open();
      const first = await store.create({ everyday: ['gửi xe'], legal: ['trông giữ xe'] }, 'a@loa.test', new Date());
      if (!first.ok) throw new Error('create failed');
      const before = await store.revision();
      const again = await store.create({ everyday: ['đỗ xe', 'gửi xe'], legal: ['dừng đỗ'] }, 'a@loa.test', new Date());
      expect(again).toEqual({ ok: false, reason: 'duplicate', phrase: 'gửi xe', otherId: first.synonym.id });
      // The lexicon reads "gui xe" as "gửi xe": the same phrase.
      expect(await store.create({ everyday: ['gui xe'], legal: ['bãi xe'] }, 'a@loa.test', new Date())).toEqual({
        ok: false,
        reason: 'duplicate',
        phrase: 'gui xe',
        otherId: first.synonym.id,
      });
      const second = await store.create({ everyday: ['đỗ xe'], legal: ['dừng đỗ'] }, 'a@loa.test', new Date());
      if (!second.ok) throw new Error('create failed');
      expect(await store.update(second.synonym.id, { everyday: ['gửi xe'], legal: ['x'] }, 'a@loa.test', new Date())).toMatchObject({ ok: false, reason: 'duplicate' });
      expect((await store.get(second.synonym.id))?.everyday).toEqual(['đỗ xe']);
      expect(await store.list()).toHaveLength(2);
      expect(await store.revision()).toBe(before + 1);
    });

    it('keeps one entry when two connections add the same phrase at once', async () => {
      const one = await open();
      const two = await open();
      const results = await Promise.all(
        [...Array(6)].map((_, i) => (i % 2 ? one : two).create({ everyday: ['gửi xe'], legal: [`trông giữ xe ${i}`] }, 'a@loa.test', new Date())),
      );
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(await one.list()).toHaveLength(1);
      expect(await two.revision()).toBe(1);
    });
  });
}
