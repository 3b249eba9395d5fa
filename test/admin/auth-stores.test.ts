import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword, generatePassword, MIN_PASSWORD_LENGTH } from '../../admin/auth/password.ts';
import { StaffSessions, csrfTokenFor, hashSessionId } from '../../admin/auth/sessions.ts';
import type { SessionStore } from '../../storage/session-store.ts';
import type { UserStore } from '../../storage/user-store.ts';
import { tempDatabase } from '../support/temp-sqlite.ts';

let temp: ReturnType<typeof tempDatabase>;
let users: UserStore;
let sessionStore: SessionStore;
const T0 = new Date('2026-03-01T08:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

beforeEach(async () => {
  temp = tempDatabase('loa-auth-');
  ({ users, staffSessions: sessionStore } = await temp.storage());
});
afterEach(() => temp.cleanup());

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
