import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerUser } from '../../app/commands/user.ts';
import { currentTotp } from '../../admin/auth/totp.ts';
import { totpRequiredFor } from '../../admin/auth/totp-policy.ts';
import { login, loginAs, postLogin, StaffClient, startTestLoa, TEST_ADMIN, TEST_PASSWORD, type TestLoa } from './harness.ts';

// The product's default (LOA_REQUIRE_TOTP=admin), with lockouts far away: the races below send many wrong codes.
let t: TestLoa;
beforeAll(async () => {
  t = await startTestLoa({ LOA_SAMPLE_KNOWLEDGE: 'false', LOA_REQUIRE_TOTP: 'admin', LOA_LOGIN_MAX_FAILURES: '500', LOA_LOGIN_FAILURES_PER_IP: '5000' });
});
afterAll(async () => {
  await t?.stop();
});

const loginWith = (email: string, password: string, code?: string) =>
  fetch(`${t.url}/api/admin/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password, ...(code ? { code } : {}) }) });
const codeAt = (secret: string, email: string, steps: number) => currentTotp(secret, email, new Date(Date.now() + steps * 30_000));
const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

/** Signs in with a code and returns the client (the harness's `login` knows no second factor). */
async function loginWithCode(email: string, code: string): Promise<StaffClient> {
  const res = await loginWith(email, TEST_ADMIN.password, code);
  expect(res.status).toBe(200);
  const body = (await res.json()) as { csrfToken: string; user: StaffClient['user'] };
  return new StaffClient(t.url, (res.headers.get('set-cookie') ?? '').split(';')[0] as string, body.csrfToken, body.user);
}

let enrolled: { secret: string; recoveryCodes: string[]; client: StaffClient } | undefined;

async function enrolAdmin(): Promise<NonNullable<typeof enrolled>> {
  if (enrolled) return enrolled;
  const client = await login(t.url, TEST_ADMIN.email, TEST_ADMIN.password);
  const { secret } = (await client.post<{ secret: string }>('/me/totp/setup')).body;
  const done = await client.post<{ recoveryCodes: string[] }>('/me/totp/enable', { currentPassword: TEST_ADMIN.password, secret, code: currentTotp(secret, TEST_ADMIN.email) });
  expect(done.status).toBe(200);
  enrolled = { secret, recoveryCodes: done.body.recoveryCodes, client };
  return enrolled;
}

describe('mandatory second factor for administrators (LOA_REQUIRE_TOTP=admin)', () => {
  it('the first administrator signs in with the password, and the server allows nothing but enrolling until it is on', async () => {
    const first = await postLogin(t.url, TEST_ADMIN.email, TEST_ADMIN.password);
    expect(first.status).toBe(200);
    expect(((await first.clone().json()) as { totpEnrolmentRequired: boolean }).totpEnrolmentRequired).toBe(true);
    const admin = await login(t.url, TEST_ADMIN.email, TEST_ADMIN.password);
    for (const path of ['/users', '/escalations', '/audit', '/me/sessions']) {
      const res = await admin.get<{ error: { code: string } }>(path);
      expect([path, res.status, res.body.error.code]).toEqual([path, 403, 'totp_enrolment_required']);
    }
    expect((await admin.post<{ error: { code: string } }>('/users', { email: 'x@loa.test', name: 'X', role: 'viewer' })).body.error.code).toBe('totp_enrolment_required');
    expect((await admin.get<{ totpEnrolmentRequired: boolean }>('/session')).body.totpEnrolmentRequired).toBe(true);

    const { secret } = (await admin.post<{ secret: string }>('/me/totp/setup')).body;
    expect((await admin.post('/me/totp/enable', { currentPassword: 'sai-mat-khau', secret, code: currentTotp(secret, TEST_ADMIN.email) })).status).toBe(400);
    const done = await admin.post<{ recoveryCodes: string[] }>('/me/totp/enable', { currentPassword: TEST_ADMIN.password, secret, code: currentTotp(secret, TEST_ADMIN.email) });
    expect(done.status).toBe(200);
    const codes = done.body.recoveryCodes;
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(c).toMatch(/^[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}$/);
    enrolled = { secret, recoveryCodes: codes, client: admin };

    // The same session now works, and the password alone no longer signs in.
    expect((await admin.get('/users')).status).toBe(200);
    expect((await admin.get<{ totpEnrolmentRequired: boolean }>('/session')).body.totpEnrolmentRequired).toBe(false);
    expect(await errorOf(await loginWith(TEST_ADMIN.email, TEST_ADMIN.password))).toBe('totp_required');
    // Required: it cannot be turned off.
    const off = await admin.post<{ error: { code: string } }>('/me/totp/disable', { currentPassword: TEST_ADMIN.password, code: codeAt(secret, TEST_ADMIN.email, 1) });
    expect([off.status, off.body.error.code]).toEqual([403, 'totp_required_by_policy']);
    expect((await admin.get<{ enabled: boolean; required: boolean; recoveryCodesLeft: number }>('/me/totp')).body).toEqual({ enabled: true, required: true, recoveryCodesLeft: 10 });

    // Only hashes are stored: no recovery code appears in the database files.
    const files = readdirSync(t.dataDir, { recursive: true, withFileTypes: true }).filter((f) => f.isFile());
    const bytes = files.map((f) => readFileSync(join(f.parentPath, f.name)).toString('latin1')).join('');
    for (const c of codes) expect(bytes.includes(c) || bytes.includes(c.replace('-', ''))).toBe(false);
  });

  it('a recovery code signs in once (any case, without the dash); the audit trail records it', async () => {
    const { recoveryCodes } = await enrolAdmin();
    const code = recoveryCodes[0] as string;
    const client = await loginWithCode(TEST_ADMIN.email, code.replace('-', '').toUpperCase());
    expect(client.user.totpEnabled).toBe(true);
    expect(await errorOf(await loginWith(TEST_ADMIN.email, TEST_ADMIN.password, code))).toBe('totp_failed');
    expect((await client.get<{ recoveryCodesLeft: number }>('/me/totp')).body.recoveryCodesLeft).toBe(9);
    const audit = await client.get<{ items: { action: string; details?: { left?: number } }[] }>('/audit?action=auth.recovery_code_used');
    expect(audit.body.items.map((e) => e.details?.left)).toEqual([9]);
  });

  it('one TOTP code sent in 12 parallel sign-ins signs in once', async () => {
    const { secret } = await enrolAdmin();
    const code = codeAt(secret, TEST_ADMIN.email, 1);
    const results = await Promise.all(Array.from({ length: 12 }, () => loginWith(TEST_ADMIN.email, TEST_ADMIN.password, code)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 401)).toHaveLength(11);
  });

  it('one recovery code sent in 12 parallel sign-ins signs in once', async () => {
    const { recoveryCodes } = await enrolAdmin();
    const code = recoveryCodes[1] as string;
    const results = await Promise.all(Array.from({ length: 12 }, () => loginWith(TEST_ADMIN.email, TEST_ADMIN.password, code)));
    expect(results.map((r) => r.status).filter((s) => s === 200)).toHaveLength(1);
    const bodies = await Promise.all(results.filter((r) => r.status !== 200).map(errorOf));
    expect(bodies).toEqual(Array(11).fill('totp_failed'));
  });

  it('new recovery codes replace the old ones', async () => {
    const { secret, recoveryCodes, client } = await enrolAdmin();
    // The TOTP steps of this half-minute are used up by the races above: a recovery code confirms it.
    const wrong = await client.post('/me/totp/recovery-codes', { currentPassword: TEST_ADMIN.password, code: '00000-00000' });
    expect(wrong.status).toBe(400);
    const renewed = await client.post<{ recoveryCodes: string[] }>('/me/totp/recovery-codes', { currentPassword: TEST_ADMIN.password, code: recoveryCodes[2] });
    expect(renewed.status).toBe(200);
    expect(renewed.body.recoveryCodes).toHaveLength(10);
    expect(await errorOf(await loginWith(TEST_ADMIN.email, TEST_ADMIN.password, recoveryCodes[3]))).toBe('totp_failed');
    const fresh = await loginWithCode(TEST_ADMIN.email, renewed.body.recoveryCodes[0] as string);
    enrolled = { secret, recoveryCodes: renewed.body.recoveryCodes.slice(1), client: fresh };
  });

  it('a new administrator with a password set for them changes it first, then enrols, then works', async () => {
    const { client } = await enrolAdmin();
    const email = `second-admin-${Date.now()}@loa.test`;
    expect((await client.post('/users', { email, name: 'Quản trị 2', role: 'admin', password: TEST_PASSWORD })).status).toBe(201);
    const first = await login(t.url, email, TEST_PASSWORD);
    expect((await first.get<{ error: { code: string } }>('/users')).body.error.code).toBe('password_change_required');
    // The second factor is not offered before the password is the owner's.
    expect((await first.post<{ error: { code: string } }>('/me/totp/setup')).body.error.code).toBe('password_change_required');
    expect((await first.post('/me/password', { currentPassword: TEST_PASSWORD, newPassword: 'mot-mat-khau-moi-2026' })).status).toBe(204);
    expect((await first.get<{ error: { code: string } }>('/users')).body.error.code).toBe('totp_enrolment_required');
    const { secret } = (await first.post<{ secret: string }>('/me/totp/setup')).body;
    expect((await first.post('/me/totp/enable', { currentPassword: 'mot-mat-khau-moi-2026', secret, code: currentTotp(secret, email) })).status).toBe(200);
    expect((await first.get('/users')).status).toBe(200);
  });

  it('other roles are not asked to enrol under `admin`', async () => {
    const { client } = await enrolAdmin();
    const officer = await loginAs(t, 'spokesperson', client);
    const res = await postLogin(t.url, officer.user.email, TEST_PASSWORD);
    expect(((await res.json()) as { totpEnrolmentRequired: boolean }).totpEnrolmentRequired).toBe(false);
    expect((await officer.get('/escalations')).status).toBe(200);
    expect((await officer.get<{ required: boolean }>('/me/totp')).body.required).toBe(false);
  });

  it('`loa user reset-totp <email>` turns it off (lost phone), signs out, is audited, and the next sign-in asks to enrol again', async () => {
    const { client } = await enrolAdmin();
    const out: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (out.push(String(chunk)), true));
    try {
      const program = new Command('loa').exitOverride();
      registerUser(program, { LOA_DATA_DIR: t.dataDir, LOA_LOG_LEVEL: 'silent' });
      await program.parseAsync(['user', 'reset-totp', TEST_ADMIN.email.toUpperCase()], { from: 'user' });
      const unknown = new Command('loa').exitOverride();
      registerUser(unknown, { LOA_DATA_DIR: t.dataDir, LOA_LOG_LEVEL: 'silent' });
      await expect(unknown.parseAsync(['user', 'reset-totp', 'khong-co@loa.test'], { from: 'user' })).rejects.toThrow(/has no account/);
    } finally {
      write.mockRestore();
    }
    expect(out.join('')).toMatch(/Second factor turned off for admin@loa\.test; 9 recovery code\(s\) deleted, \d+ session\(s\) signed out/);
    expect((await client.get('/session')).status).toBe(401);
    const again = await login(t.url, TEST_ADMIN.email, TEST_ADMIN.password);
    expect((await again.get<{ totpEnrolmentRequired: boolean }>('/session')).body.totpEnrolmentRequired).toBe(true);
    expect((await again.get('/users')).status).toBe(403);
    const re = await enrolAgain(again);
    const audit = await re.get<{ items: { actor: string; action: string; details: { wasOn: boolean } }[] }>('/audit?action=user.reset_totp');
    expect(audit.body.items.map((e) => [e.actor, e.details.wasOn])).toEqual([['cli', true]]);
  });
});

async function enrolAgain(client: StaffClient): Promise<StaffClient> {
  const { secret } = (await client.post<{ secret: string }>('/me/totp/setup')).body;
  const done = await client.post<{ recoveryCodes: string[] }>('/me/totp/enable', { currentPassword: TEST_ADMIN.password, secret, code: codeAt(secret, TEST_ADMIN.email, 1) });
  expect(done.status).toBe(200);
  enrolled = { secret, recoveryCodes: done.body.recoveryCodes, client };
  return client;
}

describe('LOA_REQUIRE_TOTP', () => {
  it('admin: administrators only; all: every role; none: nobody', () => {
    const table = (['admin', 'all', 'none'] as const).map((p) => (['admin', 'spokesperson', 'viewer'] as const).map((r) => totpRequiredFor(p, r)));
    expect(table).toEqual([
      [true, false, false],
      [true, true, true],
      [false, false, false],
    ]);
  });
});
