import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqlite, type SqliteDatabase } from '../../storage/sqlite/database.ts';
import { SqliteAuditStore } from '../../storage/sqlite/audit-store.ts';

let dir: string;
let db: SqliteDatabase;
let audit: SqliteAuditStore;
const T0 = new Date('2026-03-01T08:00:00.000Z');

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'loa-audit-'));
  db = openSqlite(join(dir, 'loa.sqlite'));
  audit = new SqliteAuditStore(db);
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('audit store', () => {
  it('appends entries and lists them newest first with filters and totals', async () => {
    await audit.append({ actor: 'lan@so.vn', action: 'escalation.claim', target: 'escalation:1' }, T0);
    await audit.append({ actor: 'lan@so.vn', action: 'escalation.reply', target: 'escalation:1', details: { delivered: true } }, T0);
    await audit.append({ actor: 'minh@so.vn', action: 'escalation_x.other' }, T0);
    await audit.append({ actor: 'system', action: 'auth.lockout', target: 'user:9' }, T0);

    const all = await audit.list();
    expect(all.total).toBe(4);
    expect(all.items.map((e) => e.action)).toEqual(['auth.lockout', 'escalation_x.other', 'escalation.reply', 'escalation.claim']);
    expect(all.items[2]).toMatchObject({ actor: 'lan@so.vn', details: { delivered: true }, at: T0.toISOString() });

    // A prefix matches whole dotted segments only, and `_` is not a wildcard.
    const escalations = await audit.list({ action: 'escalation' });
    expect(escalations.items.map((e) => e.action)).toEqual(['escalation.reply', 'escalation.claim']);
    expect((await audit.list({ action: 'escalation.reply' })).total).toBe(1);
    expect((await audit.list({ actor: 'lan@so.vn', limit: 1 })).items).toHaveLength(1);
    expect((await audit.list({ actor: 'lan@so.vn', limit: 1 })).total).toBe(2);
    expect((await audit.list({ target: 'user:9' })).items[0].action).toBe('auth.lockout');
  });

  it('is append-only: no update or delete method, and the table refuses both', async () => {
    const entry = await audit.append({ actor: 'lan@so.vn', action: 'user.create' }, T0);
    const methods = Object.getOwnPropertyNames(Object.getPrototypeOf(audit)).filter((m) => m !== 'constructor');
    expect(methods.sort()).toEqual(['append', 'list']);
    expect(() => db.prepare("UPDATE audit_log SET actor = 'x' WHERE id = ?").run(entry.id)).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log WHERE id = ?').run(entry.id)).toThrow(/append-only/);
    expect((await audit.list()).items[0].actor).toBe('lan@so.vn');
  });
});
