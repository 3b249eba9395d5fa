import { afterEach, describe, expect, it } from 'vitest';
import { hashWork, MAX_CONCURRENT_HASHES } from '../../admin/auth/password.ts';
import { startServer } from '../../app/server.ts';
import { login, loginAdmin, loginAs, postLogin, startTestLoa, TEST_ADMIN, TEST_PASSWORD, type TestLoa } from './harness.ts';

let t: TestLoa | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

const GENERIC = 'Email hoặc mật khẩu không đúng';

async function status(res: Response): Promise<{ status: number; message: string; retryAfter: string | null }> {
  const body = (await res.json()) as { error: { message: string } };
  return { status: res.status, message: body.error.message, retryAfter: res.headers.get('retry-after') };
}

describe('brute force', () => {
  it('locks out the address after 5 wrong passwords: the 6th attempt from it is refused even with the right password', async () => {
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
    // Nothing is written on the account itself (a lock there would lock out every address).
    expect((await t.runtime.storage.users.credentials(email))?.lockedUntil).toBeUndefined();

    // The lockout is audited; the existing session is unaffected.
    const admin = await loginAdmin(t);
    const audit = await admin.get<{ items: { action: string; details?: { reason?: string } }[] }>(`/audit?action=auth&target=user:${officer.user.id}`);
    const actions = audit.body.items.map((e) => e.action);
    expect(actions.filter((a) => a === 'auth.lockout')).toHaveLength(1);
    expect(actions.filter((a) => a === 'auth.login_failed').length).toBeGreaterThanOrEqual(5);
    expect((await officer.get('/session')).status).toBe(200);

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

/** Resolves once the server holds at least `n` open connections (the requests have arrived). */
async function connectionsAtLeast(t: TestLoa, n: number): Promise<void> {
  for (;;) {
    const open = await new Promise<number>((resolve, reject) => t.loa.server.getConnections((err, c) => (err ? reject(err) : resolve(c))));
    if (open >= n) return;
    await new Promise((r) => setTimeout(r, 2));
  }
}

describe('brute force by concurrency', () => {
  it('40 wrong passwords and then the right one, all in flight at once: the right one is refused once the limit is reached', async () => {
    t = await startTestLoa({ LOA_SAMPLE_KNOWLEDGE: 'false' });
    const wrong = Array.from({ length: 40 }, (_, i) => postLogin(t!.url, TEST_ADMIN.email, `sai-mat-khau-${i}`));
    // Every wrong guess has reached the server (none has been checked yet: scrypt takes longer).
    await connectionsAtLeast(t, 40);
    const right = await postLogin(t.url, TEST_ADMIN.email, TEST_ADMIN.password);
    const answers = await Promise.all(wrong.map((p) => p.then((r) => r.status)));
    expect(right.status).toBe(429);
    // Exactly the limit (5) was checked; the rest refused.
    expect(answers.filter((s) => s === 401)).toHaveLength(5);
    expect(answers.filter((s) => s === 429)).toHaveLength(35);
  });

  it('60 parallel failures from one IP against a per-IP limit of 20: 40 are refused', async () => {
    t = await startTestLoa({ LOA_SAMPLE_KNOWLEDGE: 'false', LOA_LOGIN_FAILURES_PER_IP: '20' });
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) => postLogin(t!.url, `khach${i}@loa.test`, 'sai-mat-khau').then((r) => r.status)),
    );
    expect(answers.filter((s) => s === 429).length).toBeGreaterThanOrEqual(40);
    expect(answers.filter((s) => s === 401)).toHaveLength(20);
  });

  it('runs at most MAX_CONCURRENT_HASHES password checks at once, whatever the number of logins', async () => {
    t = await startTestLoa({ LOA_SAMPLE_KNOWLEDGE: 'false', LOA_LOGIN_FAILURES_PER_IP: '100' });
    let peak = 0;
    let sampling = true;
    const sample = () => {
      peak = Math.max(peak, hashWork().running);
      if (sampling) setImmediate(sample);
    };
    sample();
    const answers = await Promise.all(Array.from({ length: 24 }, (_, i) => postLogin(t!.url, `u${i}@loa.test`, 'sai-mat-khau').then((r) => r.status)));
    sampling = false;
    expect(answers.every((s) => s === 401)).toBe(true);
    expect(peak).toBe(MAX_CONCURRENT_HASHES);
  });
});

describe('lockout abuse', () => {
  const proxied = { LOA_SAMPLE_KNOWLEDGE: 'false', LOA_TRUST_PROXY: 'loopback' };
  const from = (ip: string) => ({ 'X-Forwarded-For': ip });

  it('whoever knows the email locks out only their own address: the administrator signs in from another', async () => {
    t = await startTestLoa(proxied);
    for (let i = 0; i < 12; i++) await postLogin(t.url, TEST_ADMIN.email, `doan-${i}`, from('203.0.113.66'));
    expect((await postLogin(t.url, TEST_ADMIN.email, TEST_ADMIN.password, from('203.0.113.66'))).status).toBe(429);
    expect((await postLogin(t.url, TEST_ADMIN.email, TEST_ADMIN.password, from('198.51.100.7'))).status).toBe(200);
  });

  it('a browser that signed in before keeps getting in from the same address while it is locked out', async () => {
    t = await startTestLoa(proxied);
    const office = from('192.0.2.10');
    const first = await postLogin(t.url, TEST_ADMIN.email, TEST_ADMIN.password, office);
    const device = first.headers.getSetCookie().find((c) => c.startsWith('loa_device='));
    expect(device).toMatch(/Path=\/api\/admin\/login; .*HttpOnly; SameSite=Strict/);
    const deviceCookie = (device ?? '').split(';')[0];
    // Someone behind the same office NAT guesses until the address is locked out.
    for (let i = 0; i < 8; i++) await postLogin(t.url, TEST_ADMIN.email, `doan-${i}`, office);
    expect((await postLogin(t.url, TEST_ADMIN.email, TEST_ADMIN.password, office)).status).toBe(429);
    expect((await postLogin(t.url, TEST_ADMIN.email, TEST_ADMIN.password, { ...office, cookie: deviceCookie })).status).toBe(200);
    // The cookie is bound to the account: it does not help guessing another one.
    const otherEmail = 'khac@loa.test';
    for (let i = 0; i < 5; i++) await postLogin(t.url, otherEmail, `x-${i}`, office);
    expect((await postLogin(t.url, otherEmail, 'x', { ...office, cookie: deviceCookie })).status).toBe(429);
    // A forged or altered cookie is ignored.
    const forged = deviceCookie.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    expect((await postLogin(t.url, TEST_ADMIN.email, TEST_ADMIN.password, { ...office, cookie: forged })).status).toBe(429);
  });

  it('each further lockout of an address doubles, and every lockout is audited', async () => {
    // A 2-second lock so the test can wait one out.
    t = await startTestLoa({ ...proxied, LOA_LOGIN_LOCK_MINUTES: String(2 / 60) });
    const attacker = from('203.0.113.9');
    const lockOut = async () => {
      for (let i = 0; i < 5; i++) expect((await postLogin(t!.url, TEST_ADMIN.email, `doan-${i}`, attacker)).status).toBe(401);
      const refused = await postLogin(t!.url, TEST_ADMIN.email, TEST_ADMIN.password, attacker);
      expect(refused.status).toBe(429);
      return Number(refused.headers.get('retry-after'));
    };
    expect(await lockOut()).toBe(2);
    await new Promise((r) => setTimeout(r, 2100));
    expect(await lockOut()).toBe(4);
    const admin = await login(t.url, TEST_ADMIN.email, TEST_ADMIN.password);
    const audit = await admin.get<{ items: { action: string; details?: { lockout?: number; ip?: string } }[] }>('/audit?action=auth.lockout');
    expect(audit.body.items.map((e) => [e.details?.lockout, e.details?.ip]).sort()).toEqual([
      [1, '203.0.113.9'],
      [2, '203.0.113.9'],
    ]);
  });
});

describe('no account-existence oracle', () => {
  it('counts failures for real and unknown emails alike, and keeps nothing on the account that would outlive the limiter', async () => {
    t = await startTestLoa({ LOA_SAMPLE_KNOWLEDGE: 'false' });
    const unknown = 'khong-ai@loa.test';
    for (let i = 0; i < 4; i++) {
      expect((await postLogin(t.url, TEST_ADMIN.email, `sai-${i}`)).status).toBe(401);
      expect((await postLogin(t.url, unknown, `sai-${i}`)).status).toBe(401);
    }
    expect((await t.runtime.storage.users.credentials(TEST_ADMIN.email))?.failedLogins).toBe(0);
    // A second instance (or a restart) over the same database has fresh counters for both:
    // a counter stored only for real accounts would lock the real one here and not the other.
    const second = await startServer(t.runtime);
    try {
      for (const email of [TEST_ADMIN.email, unknown]) expect((await postLogin(second.url, email, 'sai-nua')).status).toBe(401);
      expect((await postLogin(second.url, TEST_ADMIN.email, TEST_ADMIN.password)).status).toBe(200);
    } finally {
      await second.close();
    }
  });
});
