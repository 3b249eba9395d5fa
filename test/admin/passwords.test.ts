import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { weakPasswordReason } from '../../admin/auth/password-policy.ts';
import { registerUser } from '../../app/commands/user.ts';
import { login, loginAdmin, postLogin, startTestLoa, type StaffClient, type TestLoa } from './harness.ts';

let t: TestLoa;
let admin: StaffClient;
beforeAll(async () => {
  t = await startTestLoa({ LOA_SAMPLE_KNOWLEDGE: 'false' });
  admin = await loginAdmin(t);
});
afterAll(async () => {
  await t?.stop();
});

const GOOD = 'ba con mèo nhảy qua hàng rào';
const WEAK = ['matkhau@2026', 'Admin@12345', 'Mật khẩu 123', '1234567890', 'qwertyuiop', 'aaaaaaaaaaaa', 'abcdefghijk', 'P@ssw0rd123', 'anhyeuem2024!', 'Vietnam@123'];

let n = 0;
async function newStaff(): Promise<{ id: string; email: string; password: string }> {
  const email = `can-bo-${++n}@loa.test`;
  const res = await admin.post<{ user: { id: string }; password: string }>('/users', { email, name: `Cán bộ ${n}`, role: 'spokesperson' });
  expect(res.status).toBe(201);
  return { id: res.body.user.id, email, password: res.body.password };
}

describe('password policy', () => {
  it('refuses common and breached passwords, also dressed up with digits, symbols, case or accents', () => {
    for (const p of WEAK) expect(weakPasswordReason(p), p).toBeDefined();
    expect(weakPasswordReason(GOOD)).toBeUndefined();
    expect(weakPasswordReason('admin-password-123')).toBeUndefined();
  });

  it('applies on every route that sets a password, with a clear Vietnamese reason', async () => {
    const staff = await newStaff();
    const me = await login(t.url, staff.email, staff.password);
    const change = await me.post<{ error: { message: string; issues: { message: string }[] } }>('/me/password', { currentPassword: staff.password, newPassword: 'Matkhau@2026' });
    expect(change.status).toBe(400);
    expect(JSON.stringify(change.body)).toContain('dựa trên từ phổ biến \\"matkhau\\"');
    expect((await admin.post('/users', { email: 'x@loa.test', name: 'X', role: 'viewer', password: 'admin@1234' })).status).toBe(400);
    expect((await admin.post(`/users/${staff.id}/reset-password`, { password: '12345678901' })).status).toBe(400);
    // The weak password was not set: the generated one still signs in.
    expect((await postLogin(t.url, staff.email, staff.password)).status).toBe(200);
  });
});

describe('forced change of generated and reset passwords', () => {
  it('a generated password signs in only to choose a new one', async () => {
    const staff = await newStaff();
    const res = await postLogin(t.url, staff.email, staff.password);
    expect(((await res.json()) as { user: { mustChangePassword?: boolean } }).user.mustChangePassword).toBe(true);
    const me = await login(t.url, staff.email, staff.password);
    const blocked = await me.get<{ error: { code: string } }>('/escalations');
    expect(blocked.status).toBe(403);
    expect(blocked.body.error.code).toBe('password_change_required');
    expect((await me.get('/session')).status).toBe(200);
    expect((await me.post('/me/password', { currentPassword: staff.password, newPassword: GOOD })).status).toBe(204);
    expect((await me.get('/escalations')).status).toBe(200);
    const again = await login(t.url, staff.email, GOOD);
    expect(again.user.mustChangePassword).toBeUndefined();
  });

  it('so does a password an administrator reset, even one the administrator chose', async () => {
    const staff = await newStaff();
    const me = await login(t.url, staff.email, staff.password);
    await me.post('/me/password', { currentPassword: staff.password, newPassword: GOOD });
    const reset = await admin.post(`/users/${staff.id}/reset-password`, { password: 'quan tri vien dat lai cho ban' });
    expect(reset.status).toBe(200);
    const after = await login(t.url, staff.email, 'quan tri vien dat lai cho ban');
    expect(after.user.mustChangePassword).toBe(true);
    expect((await after.get('/faqs')).status).toBe(403);
  });
});

describe('loa user reset-password', () => {
  it('sets a one-time password that must be changed, ends the sessions, and is audited', async () => {
    const staff = await newStaff();
    const me = await login(t.url, staff.email, staff.password);
    await me.post('/me/password', { currentPassword: staff.password, newPassword: GOOD });
    const session = await login(t.url, staff.email, GOOD);

    const out: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (out.push(String(chunk)), true));
    try {
      const program = new Command('loa').exitOverride();
      registerUser(program, { LOA_DATA_DIR: t.dataDir, LOA_LOG_LEVEL: 'silent' });
      await program.parseAsync(['user', 'reset-password', '--email', staff.email.toUpperCase()], { from: 'user' });
      const weak = new Command('loa').exitOverride();
      registerUser(weak, { LOA_DATA_DIR: t.dataDir, LOA_LOG_LEVEL: 'silent' });
      await expect(weak.parseAsync(['user', 'reset-password', '--email', staff.email, '--password', 'password1234'], { from: 'user' })).rejects.toThrow(/password: .*phổ biến/);
      const unknown = new Command('loa').exitOverride();
      registerUser(unknown, { LOA_DATA_DIR: t.dataDir, LOA_LOG_LEVEL: 'silent' });
      await expect(unknown.parseAsync(['user', 'reset-password', '--email', 'khong-co@loa.test'], { from: 'user' })).rejects.toThrow(/has no account/);
    } finally {
      write.mockRestore();
    }
    const printed = out.join('').match(/One-time password \(shown once\): (\S+)/)?.[1];
    expect(printed).toBeDefined();
    expect((await session.get('/session')).status).toBe(401);
    expect((await postLogin(t.url, staff.email, GOOD)).status).toBe(401);
    const fresh = await login(t.url, staff.email, printed as string);
    expect(fresh.user.mustChangePassword).toBe(true);
    const audit = await admin.get<{ items: { actor: string; action: string }[] }>(`/audit?action=user.reset_password&target=user:${staff.id}`);
    expect(audit.body.items.map((e) => e.actor)).toEqual(['cli']);
  });
});
