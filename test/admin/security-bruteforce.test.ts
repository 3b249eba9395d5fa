import { afterEach, describe, expect, it } from 'vitest';
import { login, loginAdmin, loginAs, postLogin, startTestLoa, TEST_ADMIN, TEST_PASSWORD, type TestLoa } from './harness.ts';

let t: TestLoa | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

const GENERIC = 'Email hoặc mật khẩu không đúng';

async function status(res: Response): Promise<{ status: number; message: string; retryAfter: string | null }> {
  const body = (await res.json()) as { message: string };
  return { status: res.status, message: body.message, retryAfter: res.headers.get('retry-after') };
}

describe('brute force', () => {
  it('locks the account after 5 wrong passwords: the 6th attempt is refused even with the right password', async () => {
    t = await startTestLoa({ LOA_SAMPLE_KNOWLEDGE: 'false' });
    const officer = await loginAs(t, 'spokesperson');
    const email = officer.user.email;

    for (let i = 1; i <= 5; i++) {
      const r = await status(await postLogin(t.url, email, `sai-mat-khau-${i}`));
      expect(r).toMatchObject({ status: 401, message: GENERIC });
    }
    const sixth = await status(await postLogin(t.url, email, TEST_PASSWORD));
    expect(sixth.status).toBe(429);
    expect(Number(sixth.retryAfter)).toBeGreaterThan(14 * 60);
    const creds = await t.runtime.storage.users.credentials(email);
    expect(Date.parse(creds?.lockedUntil ?? '')).toBeGreaterThan(Date.now() + 14 * 60_000);

    // The lockout is audited; the existing session is unaffected.
    const admin = await loginAdmin(t);
    const audit = await admin.get<{ items: { action: string; details?: { reason?: string } }[] }>(`/audit?action=auth&target=user:${officer.user.id}`);
    const actions = audit.body.items.map((e) => e.action);
    expect(actions.filter((a) => a === 'auth.lockout')).toHaveLength(1);
    expect(actions.filter((a) => a === 'auth.login_failed').length).toBeGreaterThanOrEqual(5);

    // An administrator's password reset lifts the lock.
    const reset = await admin.post<{ password: string }>(`/users/${officer.user.id}/reset-password`, {});
    expect(reset.status).toBe(200);
    expect(reset.body.password.length).toBeGreaterThanOrEqual(10);
    await login(t.url, email, reset.body.password);
    // The officer's old session was ended by the reset.
    expect((await officer.get('/session')).status).toBe(401);
  });

  it('gives the same answer for an unknown email as for a wrong password, and throttles it the same way', async () => {
    t = await startTestLoa({ LOA_SAMPLE_KNOWLEDGE: 'false' });
    const unknown = await status(await postLogin(t.url, 'khong-ton-tai@loa.test', 'sai-mat-khau-1'));
    const wrong = await status(await postLogin(t.url, TEST_ADMIN.email, 'sai-mat-khau-1'));
    expect(unknown).toEqual(wrong);
    for (let i = 2; i <= 5; i++) await postLogin(t.url, 'khong-ton-tai@loa.test', `sai-${i}`);
    expect((await postLogin(t.url, 'khong-ton-tai@loa.test', 'sai-6')).status).toBe(429);
  });

  it('throttles one IP that guesses many accounts', async () => {
    t = await startTestLoa({ LOA_SAMPLE_KNOWLEDGE: 'false', LOA_LOGIN_FAILURES_PER_IP: '3' });
    for (let i = 1; i <= 3; i++) expect((await postLogin(t.url, `user${i}@loa.test`, 'sai-mat-khau')).status).toBe(401);
    const next = await postLogin(t.url, TEST_ADMIN.email, TEST_ADMIN.password);
    expect(next.status).toBe(429);
    expect(Number(next.headers.get('retry-after'))).toBeGreaterThan(0);
    // The admin account itself was not locked by someone else's guesses.
    expect((await t.runtime.storage.users.credentials(TEST_ADMIN.email))?.lockedUntil).toBeUndefined();
  });

  it('a successful login clears the failure count', async () => {
    t = await startTestLoa({ LOA_SAMPLE_KNOWLEDGE: 'false' });
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 4; i++) expect((await postLogin(t.url, TEST_ADMIN.email, 'sai-mat-khau')).status).toBe(401);
      await login(t.url, TEST_ADMIN.email, TEST_ADMIN.password);
    }
    expect((await t.runtime.storage.users.credentials(TEST_ADMIN.email))?.failedLogins).toBe(0);
  });
});
