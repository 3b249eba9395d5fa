import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteSecretStore } from '../../storage/sqlite/secret-store.ts';
import { tempDatabase } from './temp-sqlite.ts';

let temp: ReturnType<typeof tempDatabase>;
beforeEach(() => {
  temp = tempDatabase();
});
afterEach(() => temp.cleanup());

describe('SqliteSecretStore', () => {
  it('stores and replaces values, and keeps them across connections', async () => {
    const store = new SqliteSecretStore(temp.open());
    expect(await store.get('zalo.access_token')).toBeUndefined();
    await store.setMany({ 'zalo.access_token': 'a1', 'zalo.refresh_token': 'r1' });
    await store.setMany({ 'zalo.access_token': 'a2', 'zalo.refresh_token': 'r2' });
    const reopened = new SqliteSecretStore(temp.open());
    expect(await reopened.get('zalo.access_token')).toBe('a2');
    expect(await reopened.get('zalo.refresh_token')).toBe('r2');
  });

  it('writes all pairs or none', async () => {
    const store = new SqliteSecretStore(temp.open());
    await store.setMany({ access: 'a1', refresh: 'r1' });
    // The second value violates NOT NULL, so the first must be rolled back with it.
    await expect(store.setMany({ access: 'a2', refresh: null as unknown as string })).rejects.toThrow();
    expect(await store.get('access')).toBe('a1');
    expect(await store.get('refresh')).toBe('r1');
  });
});
