import { describe, expect, it } from 'vitest';
import { DuplicateEmailError } from '../../../storage/user-store.ts';
import { useBackend, type BackendFactory } from './backend.ts';

const T0 = new Date('2026-03-01T08:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

/** UserStore, SessionStore and AuditStore behaviour every backend must have. */
export function staffStoresContract(factory: BackendFactory): void {
  describe('UserStore', () => {
    const db = useBackend(factory);
    const open = async () => (await db().connect()).users();

    it('creates accounts with case-insensitive unique emails and lists them oldest first', async () => {
      const users = await open();
      const u = await users.create({ email: 'Lan@Example.VN', name: 'Lan', role: 'spokesperson', passwordHash: 'h' }, T0);
      expect(u).toEqual({ id: u.id, email: 'lan@example.vn', name: 'Lan', role: 'spokesperson', disabled: false, createdAt: T0.toISOString() });
      await expect(users.create({ email: 'lan@example.vn', name: 'Lan 2', role: 'viewer', passwordHash: 'h' }, T0)).rejects.toBeInstanceOf(DuplicateEmailError);
      expect((await users.getByEmail(' LAN@example.vn'))?.id).toBe(u.id);
      expect(await users.credentials('lan@example.vn')).toEqual({ user: u, passwordHash: 'h', failedLogins: 0 });
      expect((await users.credentialsById(u.id))?.passwordHash).toBe('h');
      const v = await users.create({ email: 'minh@so.vn', name: 'Minh', role: 'viewer', passwordHash: 'h' }, T0);
      expect((await users.list()).map((x) => x.id)).toEqual([u.id, v.id]);
      expect(await users.get('missing')).toBeUndefined();
    });

    it('updates, records logins and counts active administrators', async () => {
      const users = await open();
      const a = await users.create({ email: 'a@b.vn', name: 'A', role: 'admin', passwordHash: 'h' }, T0);
      await users.create({ email: 's@b.vn', name: 'S', role: 'spokesperson', passwordHash: 'h' }, T0);
      expect(await users.countActiveAdmins()).toBe(1);
      expect(await users.update(a.id, { name: 'An', disabled: true }, at(1))).toMatchObject({ name: 'An', disabled: true, role: 'admin' });
      expect(await users.countActiveAdmins()).toBe(0);
      expect(await users.update(a.id, {}, at(2))).toMatchObject({ name: 'An' });
      expect(await users.update('missing', { name: 'x' }, at(2))).toBeUndefined();
      await users.recordLoginSuccess(a.id, at(3));
      expect((await users.get(a.id))?.lastLoginAt).toBe(at(3).toISOString());
    });

    it('locks an account at the fifth failure, counting parallel failures from two connections', async () => {
      const one = await open();
      const two = await open();
      const u = await one.create({ email: 'a@b.vn', name: 'A', role: 'admin', passwordHash: 'h' }, T0);
      const policy = { maxFailures: 5, lockMs: 15 * 60_000 };
      const outcomes = await Promise.all([1, 2, 3, 4].map((i) => (i % 2 ? one : two).recordLoginFailure(u.id, T0, policy)));
      expect(outcomes.map((o) => o.failedLogins).sort()).toEqual([1, 2, 3, 4]);
      expect(outcomes.every((o) => o.lockedUntil === undefined)).toBe(true);
      const fifth = await two.recordLoginFailure(u.id, T0, policy);
      expect(fifth).toEqual({ failedLogins: 5, lockedUntil: at(15 * 60_000).toISOString() });
      expect(await one.credentials('a@b.vn')).toMatchObject({ failedLogins: 0, lockedUntil: at(15 * 60_000).toISOString() });
      expect(await one.recordLoginFailure('missing', T0, policy)).toEqual({ failedLogins: 0 });

      expect(await one.setPassword(u.id, 'h2', at(1000))).toBe(true);
      const creds = await one.credentials('a@b.vn');
      expect(creds).toMatchObject({ passwordHash: 'h2', failedLogins: 0 });
      expect(creds?.lockedUntil).toBeUndefined();
      expect(await one.setPassword('missing', 'h', at(1000))).toBe(false);
    });

    it('flags passwords that must change, and clears the flag on the owner\'s own change', async () => {
      const users = await open();
      const u = await users.create({ email: 'm@b.vn', name: 'M', role: 'viewer', passwordHash: 'h', mustChangePassword: true }, T0);
      expect(u.mustChangePassword).toBe(true);
      await users.setPassword(u.id, 'h2', at(1000));
      expect((await users.get(u.id))?.mustChangePassword).toBeUndefined();
      await users.setPassword(u.id, 'h3', at(2000), { mustChange: true });
      expect((await users.get(u.id))?.mustChangePassword).toBe(true);
    });

    it('stores the TOTP secret and uses each time step once, even raced from two connections', async () => {
      const one = await open();
      const two = await open();
      const u = await one.create({ email: 't@b.vn', name: 'T', role: 'admin', passwordHash: 'h' }, T0);
      expect(await one.setTotp(u.id, 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', T0)).toBe(true);
      expect((await two.credentials('t@b.vn'))?.totpSecret).toBe('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
      expect((await two.get(u.id))?.totpEnabled).toBe(true);
      const raced = await Promise.all([one.useTotpStep(u.id, 100), two.useTotpStep(u.id, 100), one.useTotpStep(u.id, 100), two.useTotpStep(u.id, 100)]);
      expect(raced.filter(Boolean)).toHaveLength(1);
      expect(await one.useTotpStep(u.id, 99)).toBe(false);
      expect(await two.useTotpStep(u.id, 101)).toBe(true);
      await one.setTotp(u.id, undefined, at(1000));
      expect((await one.credentials('t@b.vn'))?.totpSecret).toBeUndefined();
      expect((await one.get(u.id))?.totpEnabled).toBeUndefined();
    });
  });

  describe('SessionStore', () => {
    const db = useBackend(factory);

    it('creates, touches and ends sessions', async () => {
      const stores = await db().connect();
      const users = await stores.users();
      const sessions = await stores.staffSessions();
      const u = await users.create({ email: 's@b.vn', name: 'S', role: 'spokesperson', passwordHash: 'h' }, T0);
      const expiresAt = at(7 * 86_400_000).toISOString();
      const s = await sessions.create({ idHash: 'h1', userId: u.id, expiresAt }, T0);
      expect(s).toEqual({ idHash: 'h1', userId: u.id, createdAt: T0.toISOString(), lastSeenAt: T0.toISOString(), expiresAt });
      expect(await sessions.get('h1')).toEqual(s);
      await sessions.touch('h1', at(60_000));
      expect((await sessions.get('h1'))?.lastSeenAt).toBe(at(60_000).toISOString());
      await sessions.create({ idHash: 'h2', userId: u.id, expiresAt }, T0);
      await sessions.create({ idHash: 'h3', userId: u.id, expiresAt }, T0);
      expect(await sessions.deleteForUser(u.id, 'h1')).toBe(2);
      expect(await sessions.get('h2')).toBeUndefined();
      expect(await sessions.delete('h1')).toBe(true);
      expect(await sessions.delete('h1')).toBe(false);
      await sessions.create({ idHash: 'h4', userId: u.id, expiresAt }, T0);
      await sessions.create({ idHash: 'h5', userId: u.id, expiresAt }, T0);
      await sessions.touch('h5', at(5000));
      expect((await sessions.listForUser(u.id)).map((x) => x.idHash)).toEqual(['h5', 'h4']);
      expect(await sessions.listForUser('someone-else')).toEqual([]);
      expect(await sessions.deleteForUser(u.id)).toBe(2);
    });

    it('sweeps idle and expired sessions', async () => {
      const stores = await db().connect();
      const u = await (await stores.users()).create({ email: 's@b.vn', name: 'S', role: 'spokesperson', passwordHash: 'h' }, T0);
      const sessions = await stores.staffSessions();
      await sessions.create({ idHash: 'idle', userId: u.id, expiresAt: at(86_400_000).toISOString() }, T0);
      await sessions.create({ idHash: 'expired', userId: u.id, expiresAt: at(1000).toISOString() }, at(500));
      await sessions.create({ idHash: 'fresh', userId: u.id, expiresAt: at(86_400_000).toISOString() }, at(500));
      expect(await sessions.deleteExpired(at(100), at(2000))).toBe(2);
      expect((await sessions.get('fresh'))?.idHash).toBe('fresh');
    });
  });

  describe('AuditStore', () => {
    const db = useBackend(factory);

    it('appends entries and lists them newest first, filtered, with the total', async () => {
      const audit = await (await db().connect()).audit();
      const first = await audit.append({ actor: 'lan@so.vn', action: 'escalation.reply', target: 'escalation:1', details: { chars: 120, channel: 'zalo' } }, T0);
      expect(first).toEqual({ id: first.id, at: T0.toISOString(), actor: 'lan@so.vn', action: 'escalation.reply', target: 'escalation:1', details: { chars: 120, channel: 'zalo' } });
      await audit.append({ actor: 'lan@so.vn', action: 'escalation.claim', target: 'escalation:2' }, at(1));
      await audit.append({ actor: 'system', action: 'escalations.purge' }, at(2));
      await audit.append({ actor: 'minh@so.vn', action: 'user.create', target: 'user:3' }, at(3));
      const all = await audit.list();
      expect(all.total).toBe(4);
      expect(all.items.map((e) => e.action)).toEqual(['user.create', 'escalations.purge', 'escalation.claim', 'escalation.reply']);
      expect(all.items[1]).toEqual({ id: all.items[1].id, at: at(2).toISOString(), actor: 'system', action: 'escalations.purge' });
      // A prefix matches whole dotted segments only.
      expect((await audit.list({ action: 'escalation' })).items.map((e) => e.target)).toEqual(['escalation:2', 'escalation:1']);
      expect((await audit.list({ actor: 'lan@so.vn', limit: 1 })).items.map((e) => e.action)).toEqual(['escalation.claim']);
      expect((await audit.list({ actor: 'lan@so.vn', limit: 1 })).total).toBe(2);
      expect((await audit.list({ target: 'user:3' })).items).toHaveLength(1);
      expect((await audit.list({ action: 'escalation%' })).total).toBe(0);
    });
  });
}
