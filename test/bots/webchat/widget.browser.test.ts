import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { useChromium } from '../../support/binaries.ts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { IncomingMessage, OutgoingMessage } from '../../../bots/core/types.ts';
import type { Citation } from '../../../retrieval/types.ts';
import { startHarness, type Harness } from './harness.ts';

/** Where the screenshot of the open widget goes (outside the repository). */
export const SCREENSHOT = join(tmpdir(), 'loa-webchat.png');

const XSS = '<img src=x onerror="window.__loaXss=1"><script>window.__loaXss=2</script>';

const citation: Citation = {
  id: 'luat-cu-tru/d20',
  title: 'Luật Cư trú',
  section: 'Điều 20, Khoản 1',
  number: '68/2020/QH14',
  url: 'https://vbpl.vn/luat-cu-tru-68-2020',
  status: 'in_force',
  quote: 'Công dân có chỗ ở hợp pháp thuộc quyền sở hữu của mình thì được đăng ký thường trú tại chỗ ở hợp pháp đó.',
  score: 0.92,
};

/** Simulates the conversation core: answers each question with a cited answer. */
function answerFor(m: IncomingMessage): OutgoingMessage | undefined {
  if (m.kind !== 'text') return undefined;
  if (m.text?.includes('xss')) {
    return {
      kind: 'answer',
      text: XSS,
      answerId: 'a-xss',
      citations: [{ ...citation, title: `Nguồn ${XSS}`, url: 'javascript:window.__loaXss=3', number: undefined }],
    };
  }
  return {
    kind: 'answer',
    text: 'Bạn cần tờ khai thay đổi thông tin cư trú và giấy tờ chứng minh chỗ ở hợp pháp.',
    citations: [citation, { ...citation, id: 'tt-55', title: 'Thông tư 55/2021/TT-BCA', section: 'Điều 5', number: undefined, isSummary: true, url: undefined, quote: 'Hồ sơ đăng ký thường trú gồm …' }],
    answerId: 'a1',
  };
}

const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** The element focused inside the widget's shadow root, described by id or class. */
function widgetFocus(page: Page): Promise<string | undefined> {
  return page.evaluate(() => {
    const el = document.querySelector('[data-loa-widget]')?.shadowRoot?.activeElement;
    return el ? el.id || el.className : undefined;
  });
}

// Skipped loudly without Chromium outside CI; a failure under CI=true.
const chromiumPath = useChromium();

describe.runIf(chromiumPath !== undefined)('web chat widget in Chromium', () => {
  let h: Harness;
  let browser: Browser;
  const problems: string[] = [];

  beforeAll(async () => {
    h = await startHarness();
    h.receiver.onMessage = async (m) => {
      const answer = answerFor(m);
      if (answer) await h.handle.sender.send(m.from, answer);
    };
    browser = await chromium.launch({ executablePath: chromiumPath, args: LAUNCH_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  beforeEach(() => {
    problems.length = 0;
  });

  function watch(page: Page): void {
    // CSP violations and script errors show up here.
    page.on('console', (msg) => msg.type() === 'error' && problems.push(msg.text()));
    page.on('pageerror', (err) => problems.push(err.message));
  }

  it('answers with citations, takes feedback, shows a late spokesperson reply and restores the transcript', { timeout: 90_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    watch(page);
    await page.goto(`${h.base}/`);
    await expect.poll(() => page.title()).toBe('Loa — Hỏi đáp chính sách');

    // Open with the keyboard: focus moves into the panel, onto the question box.
    const bubble = page.getByRole('button', { name: 'Mở hộp hỏi đáp' });
    await bubble.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Hỏi đáp chính sách' });
    await dialog.waitFor();
    expect(await widgetFocus(page)).toBe('loa-input');
    expect(await bubble.getAttribute('aria-expanded')).toBe('true');
    expect(await page.getByRole('log').count()).toBe(1);
    const start = await h.receiver.waitFor((m) => m.command === 'start');
    const from = start.from;

    // Shift+Enter is a new line; Enter sends.
    await page.keyboard.type('Đăng ký thường trú');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('cần giấy tờ gì?');
    await page.keyboard.press('Enter');
    const question = await h.receiver.waitFor((m) => m.kind === 'text');
    expect(question.text).toBe('Đăng ký thường trú\ncần giấy tờ gì?');
    expect(question.from.userId).toBe(from.userId);
    expect(await page.getByPlaceholder('Nhập câu hỏi của bạn…').inputValue()).toBe('');

    // The cited answer, with a link for the source that has one and none for the summary.
    await dialog.getByText('Bạn cần tờ khai thay đổi thông tin cư trú').waitFor();
    const link = dialog.getByRole('link', { name: 'Luật Cư trú (68/2020/QH14), Điều 20, Khoản 1' });
    expect(await link.getAttribute('href')).toBe(citation.url);
    await dialog.getByText('Thông tư 55/2021/TT-BCA (bản tóm tắt), Điều 5').waitFor();
    expect(await dialog.getByRole('link', { name: /Thông tư 55/ }).count()).toBe(0);
    // The quote is collapsed until asked for.
    const quote = dialog.getByText(citation.quote);
    expect(await quote.isVisible()).toBe(false);
    await dialog.getByText('Xem trích dẫn').first().click();
    expect(await quote.isVisible()).toBe(true);

    // 👍 reaches the core as feedback; the buttons are then disabled with a thank-you.
    const up = dialog.getByRole('button', { name: 'Hữu ích', exact: true });
    await up.click();
    const feedback = await h.receiver.waitFor((m) => m.kind === 'feedback');
    expect(feedback.feedback).toEqual({ answerId: 'a1', value: 'up' });
    await dialog.getByText('Cảm ơn bạn đã phản hồi!').waitFor();
    expect(await up.isDisabled()).toBe(true);
    expect(await dialog.getByRole('button', { name: 'Chưa hữu ích' }).isDisabled()).toBe(true);

    // "Gặp cán bộ" sends the 'human' command and shows in the transcript.
    await dialog.getByRole('button', { name: 'Gặp cán bộ' }).click();
    await h.receiver.waitFor((m) => m.command === 'human');

    // Later, a spokesperson's reply arrives live, visibly marked.
    await h.handle.sender.send(from, { kind: 'spokesperson_reply', text: 'Chào bạn, hồ sơ nộp tại Công an cấp xã nơi cư trú.' });
    await dialog.getByText('Chào bạn, hồ sơ nộp tại Công an cấp xã nơi cư trú.').waitFor();
    await dialog.getByText('Trả lời của cán bộ').waitFor();
    await page.screenshot({ path: SCREENSHOT });

    // Server text is text: markup in an answer or a citation never runs or becomes a link.
    await page.getByPlaceholder('Nhập câu hỏi của bạn…').fill('thử xss');
    await page.keyboard.press('Enter');
    await dialog.getByText(XSS, { exact: true }).waitFor();
    await dialog.getByText(`Nguồn ${XSS}, Điều 20, Khoản 1`).waitFor();
    expect(await page.evaluate(() => (window as unknown as { __loaXss?: number }).__loaXss)).toBeUndefined();
    expect(await page.locator('[data-loa-widget] img, [data-loa-widget] script').count()).toBe(0);
    expect(await dialog.getByRole('link', { name: /Nguồn/ }).count()).toBe(0);

    // Esc closes and gives focus back to the bubble.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await widgetFocus(page)).toBe('bubble');
    expect(await bubble.getAttribute('aria-expanded')).toBe('false');

    // A reply that arrives while the panel is closed (no event stream then) marks the bubble at the next visit.
    await h.handle.sender.send(from, { kind: 'spokesperson_reply', text: 'Bổ sung: mang theo bản chính để đối chiếu.' });
    // Reload: the transcript comes back from the server, feedback stays given, no second 'start'.
    await page.reload();
    await page.getByRole('button', { name: /Mở hộp hỏi đáp/ }).waitFor();
    const unread = page.getByRole('button', { name: 'Mở hộp hỏi đáp (có tin nhắn mới)' });
    await unread.waitFor();
    await unread.click();
    await dialog.waitFor();
    const log = dialog.getByRole('log');
    for (const text of ['Đăng ký thường trú\ncần giấy tờ gì?', 'Bạn cần tờ khai thay đổi thông tin cư trú', 'Chào bạn, hồ sơ nộp tại Công an cấp xã', 'Bổ sung: mang theo bản chính để đối chiếu.', 'Gặp cán bộ', XSS]) {
      await log.getByText(text, { exact: text === 'Gặp cán bộ' || text === XSS }).first().waitFor();
    }
    expect(await dialog.getByText('Trả lời của cán bộ').count()).toBe(2);
    expect(await dialog.getByRole('button', { name: 'Hữu ích', exact: true }).first().isDisabled()).toBe(true);
    expect(h.receiver.received.filter((m) => m.command === 'start')).toHaveLength(1);
    expect(new Set(h.receiver.received.map((m) => m.from.userId)).size).toBe(1);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('fills the input from the demo examples and goes full screen on a phone', { timeout: 60_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 700 }, reducedMotion: 'reduce' });
    const page = await context.newPage();
    watch(page);
    await page.goto(`${h.base}/`);
    await page.getByRole('button', { name: 'Mở hộp hỏi đáp' }).waitFor();
    await page.getByRole('button', { name: 'Đăng ký thường trú cần giấy tờ gì?' }).click();
    const dialog = page.getByRole('dialog', { name: 'Hỏi đáp chính sách' });
    await dialog.waitFor();
    expect(await page.getByPlaceholder('Nhập câu hỏi của bạn…').inputValue()).toBe('Đăng ký thường trú cần giấy tờ gì?');
    expect(await dialog.boundingBox()).toEqual({ x: 0, y: 0, width: 375, height: 700 });
    expect(await dialog.evaluate((el) => getComputedStyle(el).animationName)).toBe('none');
    // A new browser is a new citizen: a new session.
    await h.receiver.waitFor((m) => m.command === 'start' && m.from.userId !== h.receiver.received[0].from.userId);
    await page.keyboard.press('Escape');
    expect(await widgetFocus(page)).toBe('bubble');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('is accessible (language, speakers, focus ring, one banner) and opens no event stream while closed', { timeout: 60_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 400, height: 700 } });
    const page = await context.newPage();
    watch(page);
    const streams: string[] = [];
    page.on('request', (r) => r.url().includes('/webchat/api/events') && streams.push(r.url()));
    await page.goto(`${h.base}/`);
    const bubble = page.getByRole('button', { name: 'Mở hộp hỏi đáp' });
    await bubble.waitFor();

    // The bubble shows where the keyboard is (WCAG 2.4.7).
    await page.keyboard.press('Tab'); // skip link
    while ((await widgetFocus(page)) !== 'bubble') await page.keyboard.press('Tab');
    const ring = await page.evaluate(() => {
      const b = document.querySelector('[data-loa-widget]')!.shadowRoot!.querySelector('.bubble')!;
      const cs = getComputedStyle(b);
      return { style: cs.outlineStyle, width: cs.outlineWidth };
    });
    expect(ring).toEqual({ style: 'solid', width: '3px' });

    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Hỏi đáp chính sách' });
    await dialog.waitFor();
    expect(await page.evaluate(() => document.querySelector('[data-loa-widget]')!.shadowRoot!.querySelector('.loa')!.getAttribute('lang'))).toBe('vi');
    // One banner: the page's own header; the widget's title bar is not a second one.
    expect(await page.getByRole('banner').count()).toBe(1);

    await page.keyboard.type('Đăng ký thường trú cần gì?');
    await page.keyboard.press('Enter');
    const log = dialog.getByRole('log');
    await log.getByText('Bạn cần tờ khai thay đổi thông tin cư trú').waitFor();
    // Each message says who speaks, for screen readers.
    const texts = await log.locator('.msg').evaluateAll((els) => els.map((e) => e.textContent ?? ''));
    expect(texts.some((t) => t.startsWith('Bạn: Đăng ký thường trú cần gì?'))).toBe(true);
    expect(texts.some((t) => t.startsWith('Loa: Bạn cần tờ khai'))).toBe(true);

    // Full screen on a phone: the covered bubble is out of the tab order.
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('[data-loa-widget]')!.shadowRoot!.querySelector('.bubble')!).display)).toBe('none');
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      expect(await widgetFocus(page)).not.toBe('bubble');
    }
    expect(streams.length).toBeGreaterThan(0); // the stream runs while open

    // Closed, and after a reload with a stored session: no event stream at all.
    await page.keyboard.press('Escape');
    await page.reload();
    streams.length = 0;
    await page.getByRole('button', { name: /Mở hộp hỏi đáp/ }).waitFor();
    await page.waitForTimeout(1_000);
    expect(streams).toEqual([]);
    await page.getByRole('button', { name: /Mở hộp hỏi đáp/ }).click();
    await expect.poll(() => streams.length).toBeGreaterThan(0);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('works embedded on a portal of another origin with a strict CSP and hostile CSS', { timeout: 60_000 }, async () => {
    // The portal's policy is exactly what docs/channels/webchat.md tells portals to allow.
    const csp = `default-src 'none'; script-src 'self' ${h.base}; style-src 'self' ${h.base}; connect-src 'self' ${h.base}; img-src 'self' data:`;
    const portal = createServer((req, res) => {
      if (req.url === '/hostile.css') {
        // Page CSS that would wreck an unprotected widget.
        res.writeHead(200, { 'Content-Type': 'text/css' });
        return void res.end('button{display:none!important}*{font-size:4px!important;color:#ff0!important}');
      }
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': csp });
      res.end(`<!doctype html><html lang="vi"><head><meta charset="utf-8"><link rel="icon" href="data:,">
        <link rel="stylesheet" href="/hostile.css"><title>Cổng</title></head>
        <body><h1>Cổng thông tin</h1>
        <script src="${h.base}/webchat/loa-widget.js" data-loa-title="Hỏi đáp của tỉnh" defer></script></body></html>`);
    });
    await new Promise<void>((resolve) => portal.listen(0, '127.0.0.1', resolve));
    const portalUrl = `http://127.0.0.1:${(portal.address() as AddressInfo).port}/`;
    const context = await browser.newContext();
    const page = await context.newPage();
    watch(page);
    try {
      await page.goto(portalUrl);
      await page.getByRole('button', { name: 'Mở hộp hỏi đáp' }).click();
      const dialog = page.getByRole('dialog', { name: 'Hỏi đáp của tỉnh' });
      await dialog.waitFor();
      const send = dialog.getByRole('button', { name: 'Gửi' });
      expect(await send.isVisible()).toBe(true);
      expect(await send.evaluate((el) => getComputedStyle(el).fontSize)).toBe('16px');
      await page.getByPlaceholder('Nhập câu hỏi của bạn…').fill('Hỏi từ cổng tỉnh');
      await page.keyboard.press('Enter');
      await h.receiver.waitFor((m) => m.text === 'Hỏi từ cổng tỉnh');
      await dialog.getByRole('log').getByText('Bạn cần tờ khai thay đổi thông tin cư trú').waitFor();
      expect(problems).toEqual([]);
    } finally {
      await context.close();
      portal.closeAllConnections();
      await new Promise((resolve) => portal.close(resolve));
    }
  });

  it('starts a new conversation when the server no longer knows the stored session', { timeout: 60_000 }, async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    watch(page);
    await page.goto(`${h.base}/`);
    await page.getByRole('button', { name: 'Mở hộp hỏi đáp' }).click();
    const log = page.getByRole('log');
    await page.getByPlaceholder('Nhập câu hỏi của bạn…').fill('Câu hỏi trước khi xoá phiên');
    await page.keyboard.press('Enter');
    const before = await h.receiver.waitFor((m) => m.text === 'Câu hỏi trước khi xoá phiên');
    await log.getByText('Bạn cần tờ khai thay đổi thông tin cư trú').waitFor();

    // Retention removes every session (as if idle for too long).
    expect(await h.store.deleteSessionsIdleSince(new Date(Date.now() + 60_000))).toBeGreaterThan(0);
    await page.reload();
    await page.getByRole('button', { name: 'Mở hộp hỏi đáp' }).click();
    await page.getByPlaceholder('Nhập câu hỏi của bạn…').fill('Câu hỏi sau khi xoá phiên');
    await page.keyboard.press('Enter');
    const after = await h.receiver.waitFor((m) => m.text === 'Câu hỏi sau khi xoá phiên');
    expect(after.from.userId).not.toBe(before.from.userId);
    await log.getByText('Bạn cần tờ khai thay đổi thông tin cư trú').waitFor();
    await log.getByText('Câu hỏi sau khi xoá phiên').waitFor();
    // The old transcript is gone: one question, one answer.
    expect(await log.getByText('Câu hỏi trước khi xoá phiên').count()).toBe(0);
    expect(await log.getByText('Bạn cần tờ khai thay đổi thông tin cư trú').count()).toBe(1);
    // The browser's 401s for the forgotten session are expected console noise; nothing else is.
    expect(problems.filter((p) => !p.includes('401'))).toEqual([]);
    await context.close();
  });
});
