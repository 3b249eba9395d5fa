import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SqliteDatabase } from '../../storage/sqlite/database.ts';
import type { AuditStore } from '../../storage/audit-store.ts';
import { sqlStores } from '../../storage/sql/index.ts';
import { tempDatabase } from '../support/temp-sqlite.ts';

let temp: ReturnType<typeof tempDatabase>;
let db: SqliteDatabase;
let audit: AuditStore;
const T0 = new Date('2026-03-01T08:00:00.000Z');

beforeEach(async () => {
  temp = tempDatabase('loa-audit-');
  const database = await temp.openSql();
  db = database.sqlite as SqliteDatabase;
  audit = sqlStores(database).audit;
});
afterEach(() => temp.cleanup());

describe('audit store', () => {
  it('is append-only: no update or delete method, and the table refuses both', async () => {
    const entry = await audit.append({ actor: 'lan@so.vn', action: 'user.create' }, T0);
    const methods = Object.getOwnPropertyNames(Object.getPrototypeOf(audit)).filter((m) => m !== 'constructor');
    expect(methods.sort()).toEqual(['append', 'list']);
    expect(() => db.prepare("UPDATE audit_log SET actor = 'x' WHERE id = ?").run(entry.id)).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log WHERE id = ?').run(entry.id)).toThrow(/append-only/);
    expect((await audit.list()).items[0].actor).toBe('lan@so.vn');
  });
});
