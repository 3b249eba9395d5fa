import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sqlStores } from '../../../storage/sql/index.ts';
import { tempDatabase } from '../../support/temp-sqlite.ts';

/** SQLite-only behaviour of the web chat store; what every backend must do is in `test/storage/contracts/webchat.contract.ts`. */
describe('SQLite web chat store', () => {
  let temp: ReturnType<typeof tempDatabase>;
  beforeEach(() => {
    temp = tempDatabase();
  });
  afterEach(() => temp.cleanup());

  it('survives reopening the file (migrations apply once)', async () => {
    const db = await temp.openSql();
    const store = sqlStores(db).webchat;
    await store.createSession({ id: 'ws_a', tokenHash: 'ab'.repeat(32), createdAt: '2025-01-01T00:00:00.000Z' });
    await store.appendMessage('ws_a', { kind: 'notice', text: 'x' });
    await db.close();
    const reopened = sqlStores(await temp.openSql()).webchat;
    expect((await reopened.appendMessage('ws_a', { kind: 'notice', text: 'y' })).message.seq).toBe(2);
  });
});
