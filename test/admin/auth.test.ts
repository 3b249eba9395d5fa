import { Command } from 'commander';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAuditLog } from '../../admin/audit/audit-log.ts';
import { ensureFirstAdmin } from '../../admin/auth/bootstrap.ts';
import { verifyPassword } from '../../admin/auth/password.ts';
import { registerUser } from '../../app/commands/user.ts';
import { loadConfig } from '../../app/config.ts';
import { openStorage } from '../../storage/index.ts';
import { login, loginAdmin, loginAs, postLogin, sessionCookieFrom, startTestLoa, TEST_ADMIN, TEST_PASSWORD, type StaffClient, type TestLoa } from './harness.ts';

interface User {
  id: string;
  email: string;
  name: string;
  role: string;
  disabled: boolean;
}

let t: TestLoa;
let admin: StaffClient;

beforeAll(async () => {
  t = await startTestLoa({ LOA_SAMPLE_KNOWLEDGE: 'false' });
  admin = await loginAdmin(t);
});
afterAll(async () => {
  await t?.stop();
});

describe('login and session', () => {
  it('creates the first administrator from LOA_ADMIN_EMAIL / LOA_ADMIN_PASSWORD and signs in', async () => {
    const res = await postLogin(t.url, TEST_ADMIN.email.toUpperCase(), TEST_ADMIN.password);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { user: User; csrfToken: string; expiresAt: string };
    expect(body.user).toMatchObject({ email: TEST_ADMIN.email, role: 'admin', disabled: false });
    expect(body.user).not.toHaveProperty('passwordHash');
    expect(body.csrfToken.length).toBeGreaterThan(20);
    expect(Date.parse(body.expiresAt)).toBeGreaterThan(Date.now() + 7 * 3600_000);
    expect(sessionCookieFrom(res)).toMatch(/^loa_session=[A-Za-z0-9_-]{43}$/);
  });

  it('answers 400 to a malformed login and 401 without a session', async () => {
    const bad = await fetch(`${t.url}/api/admin/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"email":' });
    expect(bad.status).toBe(400);
    expect((await fetch(`${t.url}/api/admin/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).status).toBe(400);
    expect((await fetch(`${t.url}/api/admin/session`)).status).toBe(401);
  });

  it('uses a __Host- session cookie, Secure, when LOA_PUBLIC_URL is https', async () => {
    const https = await startTestLoa({ LOA_SAMPLE_KNOWLEDGE: 'false', LOA_PUBLIC_URL: 'https://loa.example.gov.vn' });
    try {
      const res = await postLogin(https.url, TEST_ADMIN.email, TEST_ADMIN.password);
      const cookies = res.headers.getSetCookie();
      // __Host-: Secure, Path=/, no Domain, so no sibling subdomain can plant or overwrite it.
      const session = cookies.find((c) => c.startsWith('__Host-loa_session='));
      expect(session).toMatch(/^__Host-loa_session=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Strict; Secure$/);
      expect(session).not.toMatch(/Domain=/i);
      expect(cookies.find((c) => c.startsWith('__Secure-loa_device='))).toMatch(/; Secure$/);
      // The server reads it back.
      const me = await fetch(`${https.url}/api/admin/session`, { headers: { cookie: (session ?? '').split(';')[0] } });
      expect(me.status).toBe(200);
    } finally {
      await https.stop();
    }
  });

  it('changes my own password with the current one, and signs out my other sessions', async () => {
    const me = await loginAs(t, 'spokesperson', admin);
    const other = await login(t.url, me.user.email, TEST_PASSWORD);
    const wrong = await me.post('/me/password', { currentPassword: 'khong-phai-mat-khau', newPassword: 'mat-khau-moi-123' });
    expect(wrong.status).toBe(400);
    expect((await me.post('/me/password', { currentPassword: TEST_PASSWORD, newPassword: 'ngan' })).status).toBe(400);
    expect((await me.post('/me/password', { currentPassword: TEST_PASSWORD, newPassword: 'mat-khau-moi-123' })).status).toBe(204);
    expect((await me.get('/session')).status).toBe(200);
    expect((await other.get('/session')).status).toBe(401);
    expect((await postLogin(t.url, me.user.email, TEST_PASSWORD)).status).toBe(401);
    await login(t.url, me.user.email, 'mat-khau-moi-123');
  });
});

describe('staff accounts', () => {
  it('invites a user with a one-time password returned once', async () => {
    const res = await admin.post<{ user: User; password: string }>('/users', { email: ' Lan.Nguyen@So.gov.vn ', name: 'Nguyễn Thị Lan', role: 'spokesperson' });
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({ email: 'lan.nguyen@so.gov.vn', name: 'Nguyễn Thị Lan', role: 'spokesperson' });
    expect(res.body.password).toMatch(/^[A-Za-z2-9]{16}$/);
    const lan = await login(t.url, 'lan.nguyen@so.gov.vn', res.body.password);
    expect(lan.user.role).toBe('spokesperson');
    // It is never shown again.
    const list = await admin.get<{ items: User[] }>('/users');
    expect(JSON.stringify(list.body)).not.toContain(res.body.password);
    expect(list.body.items.some((u) => u.email === 'lan.nguyen@so.gov.vn')).toBe(true);

    const dup = await admin.post('/users', { email: 'lan.nguyen@so.gov.vn', name: 'Lan', role: 'viewer' });
    expect(dup.status).toBe(409);
    expect((await admin.post('/users', { email: 'khong-phai-email', name: 'X', role: 'viewer' })).status).toBe(400);
    expect((await admin.post('/users', { email: 'x@so.gov.vn', name: 'X', role: 'superuser' })).status).toBe(400);
  });

  it('changes role, name and disabled; a role change applies to the next request', async () => {
    const v = await loginAs(t, 'viewer', admin);
    expect((await v.get('/escalations')).status).toBe(403);
    const res = await admin.patch<{ user: User }>(`/users/${v.user.id}`, { role: 'spokesperson', name: 'Trần Văn Minh' });
    expect(res.body.user).toMatchObject({ role: 'spokesperson', name: 'Trần Văn Minh' });
    expect((await v.get('/escalations')).status).toBe(200);
    expect((await admin.patch(`/users/${v.user.id}`, {})).status).toBe(400);
    expect((await admin.patch('/users/khong-co', { name: 'X' })).status).toBe(404);
  });

  it('never leaves the console without an active administrator', async () => {
    const first = admin.user;
    expect((await admin.patch(`/users/${first.id}`, { role: 'viewer' })).status).toBe(409);
    expect((await admin.patch(`/users/${first.id}`, { disabled: true })).status).toBe(409);
    // With a second administrator, the first may step down.
    const second = await loginAs(t, 'admin', admin);
    expect((await second.patch(`/users/${first.id}`, { role: 'spokesperson' })).status).toBe(200);
    expect((await admin.get('/users')).status).toBe(403);
    expect((await second.patch(`/users/${first.id}`, { role: 'admin' })).status).toBe(200);
    expect((await admin.get('/users')).status).toBe(200);
  });

  it('resets a password to a given or generated one', async () => {
    const s = await loginAs(t, 'spokesperson', admin);
    const given = await admin.post(`/users/${s.user.id}/reset-password`, { password: 'dat-lai-mat-khau-1' });
    expect(given.status).toBe(200);
    expect(given.body).not.toHaveProperty('password');
    await login(t.url, s.user.email, 'dat-lai-mat-khau-1');
    expect((await admin.post(`/users/${s.user.id}/reset-password`, { password: 'short' })).status).toBe(400);
  });

  it('records account changes in the audit trail', async () => {
    const s = await loginAs(t, 'viewer', admin);
    await admin.patch(`/users/${s.user.id}`, { name: 'Đổi tên' });
    await admin.post(`/users/${s.user.id}/reset-password`, {});
    const audit = await admin.get<{ items: { actor: string; action: string; details?: Record<string, unknown> }[] }>(`/audit?target=user:${s.user.id}`);
    const actions = audit.body.items.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['user.create', 'user.update', 'user.reset_password', 'auth.login']));
    const update = audit.body.items.find((e) => e.action === 'user.update');
    expect(update).toMatchObject({ actor: TEST_ADMIN.email, details: { after: { name: 'Đổi tên' } } });
    expect(JSON.stringify(audit.body)).not.toMatch(/scrypt\$/);
    const bootstrap = await admin.get<{ items: { actor: string }[] }>('/audit?action=user.create&actor=system');
    expect(bootstrap.body.items).toHaveLength(1);
  });
});

describe('first administrator and `loa user add`', () => {
  it('restores an administrator from the environment when none is active, and refuses a weak password', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loa-boot-'));
    const storage = await openStorage(loadConfig({ LOA_DATA_DIR: dir }));
    try {
      const logger = pino({ level: 'silent' });
      const deps = { users: storage.users, audit: createAuditLog(storage.audit, logger), logger, clock: () => new Date() };
      expect(await ensureFirstAdmin(deps, {})).toBe('missing');
      await expect(ensureFirstAdmin(deps, { email: 'boss@so.vn', password: 'short' })).rejects.toThrow(/LOA_ADMIN_PASSWORD/);
      expect(await ensureFirstAdmin(deps, { email: 'boss@so.vn', password: 'mat-khau-dai-1' })).toBe('created');
      expect(await ensureFirstAdmin(deps, { email: 'boss@so.vn', password: 'mat-khau-dai-2' })).toBe('exists');
      const boss = await storage.users.getByEmail('boss@so.vn');
      await storage.users.update(boss!.id, { disabled: true }, new Date());
      expect(await ensureFirstAdmin(deps, { email: 'boss@so.vn', password: 'mat-khau-dai-3' })).toBe('restored');
      const creds = await storage.users.credentials('boss@so.vn');
      expect(creds?.user).toMatchObject({ role: 'admin', disabled: false });
      expect(await verifyPassword('mat-khau-dai-3', creds!.passwordHash)).toBe(true);
    } finally {
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('generates a first administrator on an interactive start without LOA_ADMIN_EMAIL, and shows its password once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loa-boot-'));
    const storage = await openStorage(loadConfig({ LOA_DATA_DIR: dir }));
    try {
      const logger = pino({ level: 'silent' });
      const deps = { users: storage.users, audit: createAuditLog(storage.audit, logger), logger, clock: () => new Date() };
      const shown: [string, string][] = [];
      const announce = (email: string, password: string) => shown.push([email, password]);
      expect(await ensureFirstAdmin(deps, { announceGenerated: announce })).toBe('generated');
      expect(shown).toHaveLength(1);
      const [email, password] = shown[0];
      const creds = await storage.users.credentials(email);
      expect(creds?.user.role).toBe('admin');
      expect(password.length).toBeGreaterThanOrEqual(10);
      expect(await verifyPassword(password, creds!.passwordHash)).toBe(true);
      // A restart finds the administrator and shows nothing again.
      expect(await ensureFirstAdmin(deps, { announceGenerated: announce })).toBe('exists');
      expect(shown).toHaveLength(1);
    } finally {
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('`loa user add` creates an account, prints a one-time password when none is given, and refuses duplicates', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loa-cli-'));
    const out: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (out.push(String(chunk)), true));
    const program = () => {
      const p = new Command('loa').exitOverride();
      registerUser(p, { LOA_DATA_DIR: dir, LOA_LOG_LEVEL: 'silent' });
      return p;
    };
    try {
      await program().parseAsync(['user', 'add', '--email', 'Mai@So.vn', '--name', 'Lê Mai', '--role', 'spokesperson'], { from: 'user' });
      await program().parseAsync(['user', 'add', '--email', 'an@so.vn', '--name', 'An', '--role', 'admin', '--password', 'mat-khau-cua-an'], { from: 'user' });
      await expect(program().parseAsync(['user', 'add', '--email', 'mai@so.vn', '--name', 'X', '--role', 'viewer'], { from: 'user' })).rejects.toThrow(/already has an account/);
      await expect(program().parseAsync(['user', 'add', '--email', 'x@so.vn', '--name', 'X', '--role', 'boss'], { from: 'user' })).rejects.toThrow(/role/);
    } finally {
      write.mockRestore();
    }
    const oneTime = /One-time password[^:]*: (\S+)/.exec(out.join(''))?.[1];
    expect(oneTime).toBeDefined();
    const storage = await openStorage(loadConfig({ LOA_DATA_DIR: dir }));
    try {
      const mai = await storage.users.credentials('mai@so.vn');
      expect(mai?.user).toMatchObject({ name: 'Lê Mai', role: 'spokesperson' });
      expect(await verifyPassword(oneTime as string, mai!.passwordHash)).toBe(true);
      expect(await verifyPassword('mat-khau-cua-an', (await storage.users.credentials('an@so.vn'))!.passwordHash)).toBe(true);
      const audit = await storage.audit.list({ actor: 'cli' });
      expect(audit.items.map((e) => e.action)).toEqual(['user.create', 'user.create']);
    } finally {
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
