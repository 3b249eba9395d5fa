import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startFakeTelegramApi, type FakeTelegramApi } from '../fakes/telegram-api.ts';
import { useChromium } from '../support/binaries.ts';
import { citizenAsks, startTestLoa, TEST_ADMIN, type TestLoa } from './harness.ts';

/**
 * The spokespeople's Telegram notice links to the question: followed in real Chromium (signed
 * out, through the sign-in page), it opens that question, not the inbox. Older notices'
 * `/admin/#/escalations/<id>` links open it too, and Back still works.
 */

const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
/** What the notices link to; swapped for the test server's address when followed. */
const PUBLIC_URL = 'http://loa.test';
const QUESTION = 'Xin hỏi lệ phí cấp lại giấy khai sinh bản sao là bao nhiêu?';
const OTHER = 'Đổi giấy phép lái xe quá hạn ba tháng có phải thi lại không?';

const chromiumPath = useChromium();

describe.runIf(chromiumPath !== undefined)('the notification deep link in Chromium', () => {
  let fake: FakeTelegramApi;
  let loa: TestLoa;
  let browser: Browser;
  const problems: string[] = [];

  const watch = (p: Page) => {
    p.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
    p.on('console', (msg) => {
      if (msg.type() === 'error' && !msg.text().includes('status of 401')) problems.push(`console: ${msg.text()}`);
    });
  };
  const questionShown = async (p: Page, text: string) => {
    await p.getByRole('heading', { name: 'Câu hỏi của người dân', level: 1 }).waitFor();
    await expect.poll(() => p.locator('blockquote.question').textContent()).toContain(text);
  };

  beforeAll(async () => {
    fake = await startFakeTelegramApi();
    loa = await startTestLoa({
      LOA_SAMPLE_KNOWLEDGE: 'false',
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_MODE: 'polling',
      TELEGRAM_API_ROOT: fake.apiRoot,
      LOA_NOTIFY_TELEGRAM_CHAT_ID: '-100424242',
      LOA_NOTIFY_TELEGRAM_BATCH_S: '0',
      LOA_PUBLIC_URL: PUBLIC_URL,
    });
    browser = await chromium.launch({ executablePath: chromiumPath, args: LAUNCH_ARGS });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await loa?.stop();
    await fake?.close();
  });

  it('the link in the notice opens the question, through the sign-in page', { timeout: 60_000 }, async () => {
    const { escalationId } = await citizenAsks(loa, QUESTION);
    await vi.waitFor(() => expect(fake.callsTo('sendMessage').length).toBe(1), { timeout: 5000, interval: 20 });
    const notice = String(fake.callsTo('sendMessage')[0].text);
    const link = /https?:\/\/\S+/.exec(notice)?.[0];
    expect(link).toBe(`${PUBLIC_URL}/admin/inbox/${escalationId}`);

    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'vi-VN' });
    const page = await context.newPage();
    watch(page);
    await page.goto((link as string).replace(PUBLIC_URL, loa.url));
    await expect.poll(() => new URL(page.url()).pathname).toBe('/admin/login');
    expect(new URL(page.url()).searchParams.get('next')).toBe(`/admin/inbox/${escalationId}`);
    await page.getByLabel('Email').fill(TEST_ADMIN.email);
    await page.getByLabel('Mật khẩu').fill(TEST_ADMIN.password);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await questionShown(page, QUESTION);
    expect(new URL(page.url()).pathname).toBe(`/admin/inbox/${escalationId}`);
    await context.close();
    expect(problems).toEqual([]);
  });

  it('an older notice’s hash link opens the question too, signed out or in, and Back works', { timeout: 60_000 }, async () => {
    const first = await citizenAsks(loa, QUESTION);
    const second = await citizenAsks(loa, OTHER);
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'vi-VN' });
    const page = await context.newPage();
    watch(page);

    // Signed out: the hash must survive the sign-in redirect.
    await page.goto(`${loa.url}/admin/#/escalations/${first.escalationId}`);
    await expect.poll(() => new URL(page.url()).searchParams.get('next')).toBe(`/admin/inbox/${first.escalationId}`);
    await page.getByLabel('Email').fill(TEST_ADMIN.email);
    await page.getByLabel('Mật khẩu').fill(TEST_ADMIN.password);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await questionShown(page, QUESTION);

    // Signed in, from another page: the hash link opens the question, and the address becomes its path.
    await page.goto(`${loa.url}/admin/reports`);
    await page.getByRole('heading', { name: 'Báo cáo', level: 1 }).waitFor();
    await page.goto(`${loa.url}/admin/#/escalations/${second.escalationId}`);
    await questionShown(page, OTHER);
    expect(new URL(page.url()).pathname).toBe(`/admin/inbox/${second.escalationId}`);
    expect(new URL(page.url()).hash).toBe('');

    // Navigating on and coming Back returns to the question, then to where the user was.
    await page.getByRole('link', { name: 'Hộp thư' }).first().click();
    await page.getByRole('heading', { name: 'Hộp thư', level: 1 }).waitFor();
    await page.goBack();
    await questionShown(page, OTHER);
    await page.goBack();
    await page.getByRole('heading', { name: 'Báo cáo', level: 1 }).waitFor();

    // A hash route set while the console is open (another notice's link in the same tab).
    await page.goForward();
    await questionShown(page, OTHER);
    await page.evaluate((id) => {
      location.hash = `#/escalations/${id}`;
    }, first.escalationId);
    await questionShown(page, QUESTION);
    expect(new URL(page.url()).pathname).toBe(`/admin/inbox/${first.escalationId}`);
    await page.goBack();
    await questionShown(page, OTHER);
    await context.close();
    expect(problems).toEqual([]);
  });
});
