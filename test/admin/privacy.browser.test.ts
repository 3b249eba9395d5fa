import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useChromium } from '../support/binaries.ts';
import { citizenAsks, startTestLoa, TEST_ADMIN, type TestLoa } from './harness.ts';

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

describe.runIf(chromiumPath !== undefined)("erasing a citizen's data in the console", () => {
  it('from the escalation page: preview with counts, confirm, done; then by channel and id finds nothing', { timeout: 60_000 }, async () => {
    const citizen = await citizenAsks(t, 'Số CCCD của tôi là 001099012345');
    const problems: string[] = [];
    const context = await browser.newContext({ viewport: { width: 390, height: 800 }, locale: 'vi-VN' });
    try {
      const p = await context.newPage();
      p.on('pageerror', (err) => problems.push(err.message));
      await p.goto(`${t.url}/admin/inbox/${citizen.escalationId}`);
      await p.getByLabel('Email').fill(TEST_ADMIN.email);
      await p.getByLabel('Mật khẩu', { exact: true }).fill(TEST_ADMIN.password);
      await p.getByRole('button', { name: 'Đăng nhập' }).click();
      await p.getByRole('link', { name: 'Xoá dữ liệu của người dân này' }).click();
      await p.getByRole('heading', { name: 'Dữ liệu cá nhân của người dân', level: 1 }).waitFor();
      expect(new URL(p.url()).search).toBe(`?escalation=${citizen.escalationId}`);
      await p.getByRole('button', { name: 'Xem trước' }).click();
      const table = p.getByRole('table', { name: 'Số mục theo loại' });
      await table.waitFor();
      expect(await table.getByRole('row', { name: /Yêu cầu hỗ trợ/ }).getByRole('cell').textContent()).toBe('1');

      // Not without ticking the box.
      await p.getByRole('button', { name: 'Xoá dữ liệu' }).click();
      await p.getByText('Hãy đánh dấu ô xác nhận trước khi xoá.').waitFor();
      expect((await t.runtime.storage.privacy.preview({ channel: 'webchat', userId: citizen.sessionId })).escalations).toBe(1);
      await p.getByLabel('Tôi xác nhận xoá vĩnh viễn dữ liệu của người dân này').check();
      await p.getByRole('button', { name: 'Xoá dữ liệu' }).click();
      await p.getByRole('heading', { name: 'Đã xoá' }).waitFor();
      expect(await t.runtime.storage.privacy.preview({ channel: 'webchat', userId: citizen.sessionId })).toMatchObject({ turns: 0, escalations: 0, webchatMessages: 0 });

      // By channel and id: nothing is left.
      await p.goto(`${t.url}/admin/privacy`);
      await p.getByLabel('Kênh', { exact: true }).selectOption('webchat');
      await p.getByLabel('Mã người dùng trên kênh').fill(citizen.sessionId);
      await p.getByRole('button', { name: 'Xem trước' }).click();
      await p.getByText('Không có dữ liệu nào của người dân này.').waitFor();
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
