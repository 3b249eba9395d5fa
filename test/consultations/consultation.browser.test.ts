import JSZip from 'jszip';
import { readFile } from 'node:fs/promises';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYNTHESIS_COLUMNS } from '../../consultations/synthesis.ts';
import { loginAdmin, startTestLoa, TEST_ADMIN, type StaffClient, type TestLoa } from '../admin/harness.ts';
import { useChromium } from '../support/binaries.ts';
import { DRAFT_V1 } from './support.ts';

/**
 * The public page and the console in real headless Chromium against the whole server: a
 * citizen comments on an article from a phone; an officer groups the comments, answers a
 * theme and downloads the synthesis as DOCX, which is parsed back.
 */

const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const chromiumPath = useChromium();

describe.runIf(chromiumPath !== undefined)('consultations in Chromium', () => {
  let t: TestLoa;
  let admin: StaffClient;
  let browser: Browser;
  let id: string;
  const problems: string[] = [];

  const watch = (page: Page) => {
    page.on('response', (r) => { if (r.status() === 404) problems.push(`404: ${r.url()}`); });
    page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error' && !msg.text().includes('status of 401')) problems.push(`console: ${msg.text()}`);
    });
  };

  beforeAll(async () => {
    t = await startTestLoa({ LOA_SAMPLE_KNOWLEDGE: 'false' });
    admin = await loginAdmin(t);
    const now = Date.now();
    const created = await admin.post<{ consultation: { id: string } }>('/consultations', {
      slug: 'xe-dap-dien',
      title: 'Dự thảo Nghị định về xe đạp điện dùng chung',
      scope: 'Doanh nghiệp cho thuê xe, người sử dụng',
      questions: ['Mức phạt tại Điều 5 có phù hợp không?'],
      asks: { name: false, organisation: true, contact: false },
      opensAt: new Date(now - 3_600_000).toISOString(),
      closesAt: new Date(now + 7 * 86_400_000).toISOString(),
      consultedCount: 12,
      draft: { name: DRAFT_V1.name, contentBase64: DRAFT_V1.bytes.toString('base64') },
    });
    expect(created.status).toBe(201);
    id = created.body.consultation.id;
    browser = await chromium.launch({ executablePath: chromiumPath, args: LAUNCH_ARGS });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('a citizen comments on Điều 3 from a phone, by keyboard, without logging in', { timeout: 60_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'vi-VN', isMobile: true, hasTouch: true });
    const page = await context.newPage();
    watch(page);
    await page.goto(`${t.url}/gop-y/xe-dap-dien`);
    expect(await page.getAttribute('html', 'lang')).toBe('vi');
    await page.getByRole('heading', { name: 'Dự thảo Nghị định về xe đạp điện dùng chung', level: 1 }).waitFor();
    // Readable on a phone: nothing scrolls sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    // The article's comment button, opened from the keyboard.
    const summary = page.locator('summary', { hasText: /^Góp ý Điều 3$/ });
    await summary.focus();
    await page.keyboard.press('Enter');
    const form = page.locator('details[open] form');
    await form.getByLabel('Không đồng ý').check();
    await form.getByLabel('Nội dung góp ý').fill('Định nghĩa cần gồm cả xe máy điện dùng chung.');
    await form.getByLabel(/Cơ quan, tổ chức/).fill('Hội Người tiêu dùng');
    await form.getByRole('button', { name: 'Gửi góp ý' }).click();

    const notice = page.getByRole('status').filter({ hasText: 'Đã ghi nhận góp ý của bạn về Điều 3' });
    await notice.waitFor();
    // The confirmation takes the focus, so a screen reader reads it.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('recorded');
    await page.getByRole('heading', { name: 'Góp ý của bạn' }).waitFor();
    expect(await page.locator('section[aria-labelledby=mine]').textContent()).toContain('Định nghĩa cần gồm cả xe máy điện dùng chung.');

    const stored = await t.runtime.storage.consultations.listComments(id);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ channel: 'page', unitKey: '3', stance: 'disagree', organisation: 'Hội Người tiêu dùng' });
    expect(problems).toEqual([]);
    await context.close();
  });

  it('an officer groups the comments, answers a theme and downloads the DOCX synthesis', { timeout: 90_000 }, async () => {
    // Three citizens send the same text on Điều 5 (a campaign), one writes their own.
    const store = t.runtime.storage.consultations;
    const now = new Date();
    for (const citizenId of ['z-1', 'z-2', 'z-3']) await store.saveComment({ consultationId: id, version: 1, unitKey: '5.1', channel: 'zalo', citizenId, stance: 'disagree', text: 'Mức phạt 500.000 đồng quá cao so với thu nhập người dân.' }, now);
    await store.saveComment({ consultationId: id, version: 1, unitKey: '5.1', channel: 'telegram', citizenId: 't-1', stance: 'disagree', text: 'Mức phạt quá cao so với thu nhập của người dân.' }, now);

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN', acceptDownloads: true });
    const page = await context.newPage();
    watch(page);
    await page.goto(`${t.url}/admin/`);
    await page.getByLabel('Email').fill(TEST_ADMIN.email);
    await page.getByLabel('Mật khẩu').fill(TEST_ADMIN.password);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/admin/login'));
    await page.getByRole('link', { name: 'Lấy ý kiến dự thảo' }).first().click();
    await page.getByRole('link', { name: 'Dự thảo Nghị định về xe đạp điện dùng chung' }).click();
    await page.getByRole('heading', { name: 'Góp ý theo điều (bản đồ nhiệt)' }).waitFor();
    // The campaign is one position with its count.
    expect(await page.locator('section[aria-labelledby=campaigns-title]').textContent()).toContain('3 người gửi');

    await page.getByRole('button', { name: 'Tự động nhóm các góp ý chưa nhóm' }).click();
    const article5 = page.locator('.theme-article', { has: page.getByRole('heading', { name: /^Điều 5\./ }) });
    const theme = article5.locator('.theme').first();
    await theme.waitFor();
    // The copied text and the reworded one are one theme.
    expect(await article5.locator('.theme').count()).toBe(1);
    expect(await theme.locator('.count').textContent()).toBe('4 góp ý');
    await theme.getByLabel('Tên nhóm').fill('Mức phạt người sử dụng quá cao');
    await theme.getByLabel('Hình thức trả lời').selectOption('accept');
    await theme.getByLabel(/Nội dung tiếp thu/).fill('Giảm mức phạt xuống 200.000 – 500.000 đồng.');
    await theme.getByRole('button', { name: 'Lưu' }).click();
    await page.getByText('Đã lưu nhóm ý kiến.').waitFor();

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '⬇ DOCX' }).click()]);
    const zip = await JSZip.loadAsync(await readFile((await download.path())!));
    const xml = (await zip.file('word/document.xml')!.async('string'));
    const text = [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('\n');
    expect(text).toContain('Số cơ quan, tổ chức, cá nhân được lấy ý kiến: 12.');
    // Five comments from five senders (the organisation on Điều 3 and four citizens on Điều 5).
    expect(text).toContain('Số cơ quan, tổ chức, cá nhân có ý kiến: 5, với 5 ý kiến');
    // The table: a header row with the four columns, then one row per theme or position.
    const rows = [...xml.matchAll(/<w:tr>[\s\S]*?<\/w:tr>/g)].map((r) => [...r[0].matchAll(/<w:tc>[\s\S]*?<\/w:tc>/g)].map((c) => [...c[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('\n')));
    expect(rows[0]).toEqual([...SYNTHESIS_COLUMNS]);
    const fines = rows.find((r) => r[0].startsWith('Điều 5'))!;
    expect(fines).toHaveLength(4);
    expect(fines[1]).toBe('4 cá nhân (3 qua Zalo, 1 qua Telegram)');
    expect(fines[2]).toContain('Mức phạt người sử dụng quá cao');
    expect(fines[2]).toContain('(3 ý kiến giống nhau)');
    expect(fines[3]).toBe('Tiếp thu: Giảm mức phạt xuống 200.000 – 500.000 đồng.');
    const definitions = rows.find((r) => r[0].startsWith('Điều 3'))!;
    expect(definitions[1]).toBe('Hội Người tiêu dùng');
    expect(definitions[3]).toBe('Chưa có ý kiến tiếp thu, giải trình.');
    expect(problems).toEqual([]);
    await context.close();
  });
});
