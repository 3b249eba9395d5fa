import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentTotp } from '../../admin/auth/totp.ts';
import { login, loginAdmin, postLogin, startTestLoa, TEST_PASSWORD, loginAs, type StaffClient, type TestLoa } from './harness.ts';

let t: TestLoa;
let admin: StaffClient;
beforeAll(async () => {
  t = await startTestLoa({ LOA_SAMPLE_KNOWLEDGE: 'false' });
  admin = await loginAdmin(t);
});
afterAll(async () => {
  await t?.stop();
});

const loginWith = (email: string, password: string, code?: string) =>
  fetch(`${t.url}/api/admin/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password, ...(code ? { code } : {}) }) });

/** The code of the next 30-second step (a code works once, so each sign-in in a test needs a fresh one). */
const codeAt = (secret: string, email: string, steps: number) => currentTotp(secret, email, new Date(Date.now() + steps * 30_000));

describe('TOTP second factor', () => {
  it('is turned on with the password and a first code; sign-in then needs a code, which works once', async () => {
    const me = await loginAs(t, 'spokesperson', admin);
    const email = me.user.email;
    const setup = await me.post<{ secret: string; uri: string }>('/me/totp/setup');
    expect(setup.status).toBe(200);
    expect(setup.body.uri).toMatch(/^otpauth:\/\/totp\/Loa:.*secret=[A-Z2-7]+/);
    const { secret } = setup.body;
    expect((await me.post('/me/totp/enable', { currentPassword: TEST_PASSWORD, secret, code: '000000' })).status).toBe(400);
    expect((await me.post('/me/totp/enable', { currentPassword: 'sai-mat-khau', secret, code: currentTotp(secret, email) })).status).toBe(400);
    expect((await me.post('/me/totp/enable', { currentPassword: TEST_PASSWORD, secret, code: currentTotp(secret, email) })).status).toBe(200);

    // The password alone is no longer enough.
    const noCode = await loginWith(email, TEST_PASSWORD);
    expect(noCode.status).toBe(401);
    expect(((await noCode.json()) as { error: { code: string } }).error.code).toBe('totp_required');
    expect((await loginWith(email, TEST_PASSWORD, '123456')).status).toBe(401);
    const code = codeAt(secret, email, 1);
    const ok = await loginWith(email, TEST_PASSWORD, code);
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { user: { totpEnabled?: boolean } }).user.totpEnabled).toBe(true);
    // A code is used once: the same one again (e.g. read over the shoulder) is refused.
    const replay = await loginWith(email, TEST_PASSWORD, code);
    expect(((await replay.json()) as { error: { code: string } }).error.code).toBe('totp_failed');
    // A wrong password with a right code is still the generic failure.
    expect(((await (await loginWith(email, 'sai-mat-khau', codeAt(secret, email, -1))).json()) as { error: { code: string } }).error.code).toBe('login_failed');
    const audit = await admin.get<{ items: { action: string; details?: { reason?: string } }[] }>(`/audit?target=user:${me.user.id}`);
    expect(audit.body.items.map((e) => e.action)).toContain('auth.totp_enabled');
    expect(audit.body.items.filter((e) => e.details?.reason === 'reused_code')).toHaveLength(1);
  });

  it('an administrator reset turns it off (lost phone), and the owner can turn it off with a code', async () => {
    const me = await loginAs(t, 'viewer', admin);
    const { secret } = (await me.post<{ secret: string }>('/me/totp/setup')).body;
    await me.post('/me/totp/enable', { currentPassword: TEST_PASSWORD, secret, code: currentTotp(secret, me.user.email) });
    expect((await me.post('/me/totp/disable', { currentPassword: TEST_PASSWORD, code: '999999' })).status).toBe(400);
    expect((await me.post('/me/totp/disable', { currentPassword: TEST_PASSWORD, code: codeAt(secret, me.user.email, 1) })).status).toBe(204);
    expect((await postLogin(t.url, me.user.email, TEST_PASSWORD)).status).toBe(200);

    const again = await login(t.url, me.user.email, TEST_PASSWORD);
    const second = (await again.post<{ secret: string }>('/me/totp/setup')).body.secret;
    await again.post('/me/totp/enable', { currentPassword: TEST_PASSWORD, secret: second, code: currentTotp(second, me.user.email) });
    expect((await postLogin(t.url, me.user.email, TEST_PASSWORD)).status).toBe(401);
    const reset = await admin.post<{ password: string }>(`/users/${me.user.id}/reset-password`, {});
    expect((await postLogin(t.url, me.user.email, reset.body.password)).status).toBe(200);
  });
});
