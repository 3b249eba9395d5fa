import { describe, expect, it } from 'vitest';
import { useBackend, type BackendFactory } from './backend.ts';

/** LabelledExampleStore behaviour every backend must have. */
export function exampleStoreContract(factory: BackendFactory): void {
  describe('LabelledExampleStore', () => {
    const db = useBackend(factory);
    const open = async () => (await db().connect()).examples();

    it('records an example once per source and lists them oldest first', async () => {
      const store = await open();
      const at = new Date('2025-03-01T08:00:00.000Z');
      const first = await store.record({ question: 'bao nhiêu tuổi thì nghỉ hưu', unitId: 'blld::169', channel: 'zalo', sourceKey: 'clarify:t1' }, at);
      expect(first).toEqual({
        created: true,
        example: { id: first.example.id, question: 'bao nhiêu tuổi thì nghỉ hưu', unitId: 'blld::169', channel: 'zalo', sourceKey: 'clarify:t1', createdAt: at.toISOString() },
      });
      const again = await store.record({ question: 'khác', unitId: 'other', channel: 'zalo', sourceKey: 'clarify:t1' }, new Date());
      expect(again).toEqual({ created: false, example: first.example });
      const second = await store.record({ question: 'hộ chiếu', unitId: 'xc::15', channel: 'telegram', sourceKey: 'clarify:t2' }, at);
      expect((await store.list()).map((e) => e.sourceKey)).toEqual(['clarify:t1', 'clarify:t2']);
      expect((await store.list({ after: first.example.id })).map((e) => e.id)).toEqual([second.example.id]);
      expect(await store.list({ limit: 1 })).toHaveLength(1);
    });

    it('keeps one example when two connections record the same source at once', async () => {
      const one = await open();
      const two = await open();
      const results = await Promise.all(
        [...Array(6)].map((_, i) => (i % 2 ? one : two).record({ question: `q${i}`, unitId: 'u', channel: 'webchat', sourceKey: 'clarify:same' }, new Date())),
      );
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.example.id)).size).toBe(1);
      expect(await one.list()).toHaveLength(1);
    });
  });
}
