import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword, generatePassword, MIN_PASSWORD_LENGTH } from '../../admin/auth/password.ts';
import { StaffSessions, csrfTokenFor, hashSessionId } from '../../admin/auth/sessions.ts';
import { openSqlite, type SqliteDatabase } from '../../storage/sqlite/database.ts';
import { SqliteSessionStore } from '../../storage/sqlite/session-store.ts';
import { SqliteUserStore } from '../../storage/sqlite/user-store.ts';
import { DuplicateEmailError } from '../../storage/user-store.ts';

let dir: string;
let db: SqliteDatabase;
let users: SqliteUserStore;
let sessionStore: SqliteSessionStore;
const T0 = new Date('2026-03-01T08:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'loa-auth-'));
  db = openSqlite(join(dir, 'loa.sqlite'));
  users = new SqliteUserStore(db);
  sessionStore = new SqliteSessionStore(db);
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('password hashing', () => {
  it('stores a self-describing scrypt string with a random salt and verifies it', async () => {
    const a = await hashPassword('mật khẩu đủ dài 123');
    const b = await hashPassword('mật khẩu đủ dài 123');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('mật khẩu');
    expect(await verifyPassword('mật khẩu đủ dài 123', a)).toBe(true);
    expect(await verifyPassword('mật khẩu đủ dài 124', a)).toBe(false);
  });

  it('refuses malformed or absurd stored hashes instead of throwing', async () => {
    expect(await verifyPassword('x', 'plaintext')).toBe(false);
    expect(await verifyPassword('x', 'scrypt$3$8$1$AAAA$AAAA')).toBe(false);
    expect(await verifyPassword('x', `scrypt$${2 ** 30}$8$1$AAAA$AAAA`)).toBe(false);
  });

  it('generates one-time passwords long enough for the policy', () => {
    const p = generatePassword();
    expect(p.length).toBeGreaterThanOrEqual(MIN_PASSWORD_LENGTH);
    expect(p).toMatch(/^[A-Za-z2-9]+$/);
    expect(generatePassword()).not.toBe(p);
  });
});

describe('SqliteUserStore', () => {
  it('creates accounts with case-insensitive unique emails', async () => {
    const u = await users.create({ email: 'Lan@Example.VN', name: 'Lan', role: 'spokesperson', passwordHash: 'h' }, T0);
    expect(u).toMatchObject({ email: 'lan@example.vn', role: 'spokesperson', disabled: false, createdAt: T0.toISOString() });
    expect(u).not.toHaveProperty('passwordHash');
    await expect(users.create({ email: 'lan@example.vn', name: 'Lan 2', role: 'viewer', passwordHash: 'h' }, T0)).rejects.toBeInstanceOf(DuplicateEmailError);
    expect((await users.getByEmail('LAN@example.vn'))?.id).toBe(u.id);
    expect((await users.credentials('lan@example.vn'))?.passwordHash).toBe('h');
  });

  it('locks an account at the fifth failure, counting parallel failures, and a new password unlocks it', async () => {
    const u = await users.create({ email: 'a@b.vn', name: 'A', role: 'admin', passwordHash: 'h' }, T0);
    const policy = { maxFailures: 5, lockMs: 15 * 60_000 };
    const outcomes = await Promise.all([1, 2, 3, 4].map(() => users.recordLoginFailure(u.id, T0, policy)));
    expect(outcomes.map((o) => o.failedLogins).sort()).toEqual([1, 2, 3, 4]);
    expect(outcomes.every((o) => o.lockedUntil === undefined)).toBe(true);
    const fifth = await users.recordLoginFailure(u.id, T0, policy);
    expect(fifth.lockedUntil).toBe(at(15 * 60_000).toISOString());
    const creds = await users.credentials('a@b.vn');
    expect(creds).toMatchObject({ failedLogins: 0, lockedUntil: at(15 * 60_000).toISOString() });

    await users.setPassword(u.id, 'h2', at(1000));
    expect(await users.credentials('a@b.vn')).toMatchObject({ passwordHash: 'h2', failedLogins: 0 });
    expect((await users.credentials('a@b.vn'))?.lockedUntil).toBeUndefined();
  });

  it('counts only active administrators', async () => {
    const a = await users.create({ email: 'a@b.vn', name: 'A', role: 'admin', passwordHash: 'h' }, T0);
    await users.create({ email: 's@b.vn', name: 'S', role: 'spokesperson', passwordHash: 'h' }, T0);
    expect(await users.countActiveAdmins()).toBe(1);
    await users.update(a.id, { disabled: true }, T0);
    expect(await users.countActiveAdmins()).toBe(0);
  });
});

describe('StaffSessions', () => {
  const policy = { idleMs: 8 * 3600_000, maxMs: 7 * 86_400_000 };

  async function setup() {
    let now = T0;
    const user = await users.create({ email: 's@b.vn', name: 'S', role: 'spokesperson', passwordHash: 'h' }, T0);
    const sessions = new StaffSessions(sessionStore, users, policy, () => now);
    return { user, sessions, setNow: (d: Date) => (now = d) };
  }

  it('stores only the hash of the session id and derives the CSRF token from it', async () => {
    const { user, sessions } = await setup();
    const s = await sessions.create(user);
    expect(s.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await sessionStore.get(s.id)).toBeUndefined();
    expect(await sessionStore.get(hashSessionId(s.id))).toMatchObject({ userId: user.id });
    expect(s.csrfToken).toBe(csrfTokenFor(s.id));
    expect(csrfTokenFor(s.id)).not.toBe(csrfTokenFor((await sessions.create(user)).id));
  });

  it('ends a session after 8 idle hours, and activity keeps it alive', async () => {
    const { user, sessions, setNow } = await setup();
    const s = await sessions.create(user);
    setNow(at(7 * 3600_000));
    expect((await sessions.resolve(s.id))?.user.id).toBe(user.id);
    // 7 h + 7 h after login, but only 7 h after the last request.
    setNow(at(14 * 3600_000));
    expect(await sessions.resolve(s.id)).toBeDefined();
    setNow(at(22 * 3600_000 + 1));
    expect(await sessions.resolve(s.id)).toBeUndefined();
    // Deleted on sight.
    expect(await sessionStore.get(hashSessionId(s.id))).toBeUndefined();
  });

  it('ends a session 7 days after login whatever the activity', async () => {
    const { user, sessions, setNow } = await setup();
    const s = await sessions.create(user);
    for (let h = 6; h < 7 * 24; h += 6) {
      setNow(at(h * 3600_000));
      expect(await sessions.resolve(s.id)).toBeDefined();
    }
    setNow(at(7 * 86_400_000));
    expect(await sessions.resolve(s.id)).toBeUndefined();
  });

  it('refuses sessions of disabled users and ends all but one session of a user', async () => {
    const { user, sessions } = await setup();
    const a = await sessions.create(user);
    const b = await sessions.create(user);
    const c = await sessions.create(user);
    expect(await sessions.endForUser(user.id, a.idHash)).toBe(2);
    expect(await sessions.resolve(a.id)).toBeDefined();
    expect(await sessions.resolve(b.id)).toBeUndefined();
    expect(await sessions.resolve(c.id)).toBeUndefined();
    await users.update(user.id, { disabled: true }, T0);
    expect(await sessions.resolve(a.id)).toBeUndefined();
  });

  it('ignores cookie values that are not session ids', async () => {
    const { sessions } = await setup();
    expect(await sessions.resolve(undefined)).toBeUndefined();
    expect(await sessions.resolve("' OR 1=1 --")).toBeUndefined();
    expect(await sessions.resolve('a'.repeat(43))).toBeUndefined();
  });

  it('sweeps expired sessions', async () => {
    const { user, sessions, setNow } = await setup();
    await sessions.create(user);
    setNow(at(3600_000));
    const fresh = await sessions.create(user);
    setNow(at(8 * 3600_000 + 1000));
    expect(await sessions.sweep()).toBe(1);
    expect(await sessions.resolve(fresh.id)).toBeDefined();
  });
});
