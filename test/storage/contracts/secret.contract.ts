import { describe, expect, it } from 'vitest';
import { useBackend, type BackendFactory } from './backend.ts';

/** SecretStore behaviour every backend must have. */
export function secretStoreContract(factory: BackendFactory): void {
  describe('SecretStore', () => {
    const db = useBackend(factory);
    const open = async () => (await db().connect()).secrets();

    it('stores and replaces values, and keeps them across connections', async () => {
      const store = await open();
      expect(await store.get('zalo.access_token')).toBeUndefined();
      await store.setMany({ 'zalo.access_token': 'a1', 'zalo.refresh_token': 'r1' });
      await store.setMany({ 'zalo.access_token': 'a2', 'zalo.refresh_token': 'r2' });
      await store.setMany({});
      const other = await open();
      expect(await other.get('zalo.access_token')).toBe('a2');
      expect(await other.get('zalo.refresh_token')).toBe('r2');
    });

    it('writes all pairs or none', async () => {
      const store = await open();
      await store.setMany({ access: 'a1', refresh: 'r1' });
      // The second value violates NOT NULL, so the first must be rolled back with it.
      await expect(store.setMany({ access: 'a2', refresh: null as unknown as string })).rejects.toThrow();
      expect(await store.get('access')).toBe('a1');
      expect(await store.get('refresh')).toBe('r1');
    });

    it('never leaves a mixed pair when two connections rotate at once', async () => {
      const one = await open();
      const two = await open();
      for (let round = 0; round < 5; round++) {
        await Promise.all([
          one.setMany({ access: `a-one-${round}`, refresh: `r-one-${round}` }),
          two.setMany({ refresh: `r-two-${round}`, access: `a-two-${round}` }),
        ]);
        const access = await one.get('access');
        const refresh = await two.get('refresh');
        expect(access?.replace('a-', '')).toBe(refresh?.replace('r-', ''));
      }
    });
  });
}
