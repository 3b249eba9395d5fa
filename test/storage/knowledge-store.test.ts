import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteKnowledgeStore } from '../../storage/sqlite/knowledge-store.ts';
import { doc } from './contracts/knowledge.contract.ts';
import { tempDatabase } from '../support/temp-sqlite.ts';

/**
 * SQLite-only behaviour of the knowledge store (its tables and its file). What every backend
 * must do is in `contracts/knowledge.contract.ts`.
 */

let temp: ReturnType<typeof tempDatabase>;
beforeEach(() => {
  temp = tempDatabase();
});
afterEach(() => temp.cleanup());

describe('SqliteKnowledgeStore', () => {
  it('deletes the unit rows of a removed document', async () => {
    const db = temp.open();
    const store = new SqliteKnowledgeStore(db);
    await store.putDocument(doc('a', 'h', 2));
    expect(await store.removeDocument('a')).toBe(true);
    expect(db.prepare('SELECT COUNT(*) AS n FROM knowledge_units').get()).toEqual({ n: 0 });
  });

  it('persists across reopening, running its migrations once', async () => {
    let db = temp.open();
    await new SqliteKnowledgeStore(db).putDocument(doc('a', 'h', 1));
    db.close();
    db = temp.open();
    const store = new SqliteKnowledgeStore(db);
    expect(await store.revision()).toBe(1);
    expect((await store.getDocument('a'))?.units).toHaveLength(2);
    expect(db.prepare("SELECT COUNT(*) AS n FROM schema_migrations WHERE scope = 'knowledge'").get()).toEqual({ n: 1 });
  });
});
