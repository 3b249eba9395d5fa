import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useChromium } from '../support/binaries.ts';
import { currentTotp } from '../../admin/auth/totp.ts';
import { loginAs, startTestLoa, TEST_PASSWORD, type TestLoa } from './harness.ts';

const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

// Skipped loudly without Chromium outside CI; a failure under CI=true.
const chromiumPath = useChromium();

let t: TestLoa;
let browser: Browser;
beforeAll(async () => {
  if (chromiumPath === undefined) return;
  t = await startTestLoa({ LOA_SAMPLE_KNOWLEDGE: 'false' });
  browser = await chromium.launch({ executablePath: chromiumPath, args: LAUNCH_ARGS });
});
afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

describe.runIf(chromiumPath !== undefined)('two-step verification in the console', () => {
  it('is turned on from Tài khoản, sign-in then asks for the code, and another session is signed out from the list', { timeout: 60_000 }, async () => {
    const officer = await loginAs(t, 'spokesperson');
    const email = officer.user.email;
    const problems: string[] = [];
    const context = await browser.newContext({ viewport: { width: 390, height: 800 }, locale: 'vi-VN' });
    try {
      const p = await context.newPage();
      p.on('pageerror', (err) => problems.push(err.message));
      const signIn = async () => {
        await p.goto(`${t.url}/admin/`);
        await p.getByLabel('Email').fill(email);
        await p.getByLabel('Mật khẩu', { exact: true }).fill(TEST_PASSWORD);
        await p.getByRole('button', { name: 'Đăng nhập' }).click();
      };
      await signIn();
      await p.getByRole('heading', { name: 'Hộp thư', level: 1 }).waitFor();
      await p.goto(`${t.url}/admin/account`);
      await p.getByRole('button', { name: 'Bật xác thực hai lớp' }).click();
      const secret = ((await p.locator('.otp').textContent()) ?? '').replace(/\s+/g, '');
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      const panel = p.getByRole('form', { name: 'Xác thực hai lớp' });
      await panel.getByLabel('Mật khẩu hiện tại').fill(TEST_PASSWORD);
      await panel.getByLabel('Mã 6 số trong ứng dụng').fill(currentTotp(secret, email));
      await p.getByRole('button', { name: 'Xác nhận và bật' }).click();
      await p.getByText('Đang bật: đăng nhập cần mã 6 số').waitFor();

      await context.clearCookies();
      await signIn();
      await p.getByText('Tài khoản này bật xác thực hai lớp').waitFor();
      await p.getByLabel('Mã xác thực').fill(currentTotp(secret, email, new Date(Date.now() + 30_000)));
      await p.getByRole('button', { name: 'Đăng nhập' }).click();
      await p.getByRole('heading', { name: 'Hộp thư', level: 1 }).waitFor();

      // The first browser's cookies were cleared, not signed out: its session is still listed.
      await p.goto(`${t.url}/admin/account`);
      const sessions = p.getByRole('region', { name: 'Các phiên đăng nhập' });
      await sessions.getByText('Phiên này').waitFor();
      // The API sign-ins of the setup and the first browser session.
      const others = await sessions.getByText('Trình duyệt khác').count();
      expect(others).toBe(3);
      await sessions.locator('li', { hasText: 'Trình duyệt khác' }).first().getByRole('button', { name: 'Đăng xuất phiên' }).click();
      await p.getByText('Đã đăng xuất phiên đó.').waitFor();
      await expect.poll(() => sessions.getByText('Trình duyệt khác').count()).toBe(2);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
