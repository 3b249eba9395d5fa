/**
 * Screenshots of the spokesperson console for the README and docs/CONSOLE.md.
 *
 *   node bin/run-ts.js bench/screenshots.ts [--out docs/screenshots] [--keep]
 *
 * Starts Loa with the sample knowledge base in a temp dir, writes two weeks of demo history,
 * sends live questions through the conversation core, then drives headless Chromium through
 * the console and saves PNGs (1280×800; the phone view 390×844). `--keep` leaves the server
 * running afterwards and prints its address and the admin login.
 */
import { mkdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { login, openWebchat, startTestLoa, TEST_ADMIN, webchatSay } from '../test/admin/harness.ts';
import { OUT_OF_SCOPE, citizenSays, demoSender, seedHistory } from './console-demo-data.ts';

const args = process.argv.slice(2);
const outDir = resolve(args.includes('--out') ? args[args.indexOf('--out') + 1] : 'docs/screenshots');
const keep = args.includes('--keep');
const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const MAX_BYTES = 300 * 1024;

const loa = await startTestLoa({ LOA_AGENCY_NAME: 'UBND phường Mẫu' });
const { core } = loa.loa;
core.registerSender(demoSender('zalo'));
core.registerSender(demoSender('telegram'));

const admin = await login(loa.url, TEST_ADMIN.email, TEST_ADMIN.password);
await admin.patch(`/users/${admin.user.id}`, { name: 'Nguyễn Thu Hà' });
const officer = await admin.post<{ user: { email: string } }>('/users', { email: 'tuan.le@ubnd-mau.gov.vn', name: 'Lê Minh Tuấn', role: 'spokesperson', password: 'demo-password-123' });
await admin.post('/users', { email: 'lanh.dao@ubnd-mau.gov.vn', name: 'Trần Văn Bình', role: 'viewer' });

console.log('seeding history…');
const seeded = await seedHistory(loa.runtime, { days: 13, officer: officer.body.user.email });
console.log(`  ${seeded.questions} questions over 13 days`);

// Today: questions through the real core on three channels.
await citizenSays(core, 'zalo', 'zalo-84901', 'Tôi muốn gặp cán bộ để hỏi về hồ sơ xin cấp sổ đỏ của gia đình, nộp từ tháng 3 đến giờ chưa có kết quả.', 'Nguyễn Văn An');
await citizenSays(core, 'telegram', '5123', 'Xã tôi có được hỗ trợ tiền sửa nhà sau bão số 3 không ạ?', 'Phạm Thị Lan');
await citizenSays(core, 'zalo', 'zalo-84902', 'cho hỏi lịch tiêm chủng mở rộng tháng này ở trạm y tế phường', 'Hoàng Đức Minh');
await citizenSays(core, 'zalo', 'zalo-84903', 'lam cccd cho con 14 tuoi can giay to gi', 'Vũ Thị Hoa');
await citizenSays(core, 'telegram', '5124', 'Đăng ký tạm trú online trên VNeID được không?');
const webCitizen = await openWebchat(loa.url);
await webchatSay(loa.url, webCitizen, 'Thủ tục đăng ký thường trú cho con mới sinh?');
await webchatSay(loa.url, webCitizen, 'Tôi cần gặp cán bộ để hỏi thêm về trường hợp nhà thuê');
await core.drain();

// FAQs in each state: approved, a draft, and one needing review.
type Unit = { id: string; section: string; heading?: string };
const unitOf = async (docId: string, words: string) => {
  const doc = await admin.get<{ document: { units: Unit[] } }>(`/documents/${encodeURIComponent(docId)}`);
  const units = doc.body.document.units;
  return (units.find((u) => `${u.section} ${u.heading ?? ''}`.toLowerCase().includes(words)) ?? units[0]).id;
};
const ask = async (q: string) => (await admin.post<{ faq: { id: string } }>('/faqs', q.startsWith('{') ? JSON.parse(q) : { questions: [q], answer: 'Câu trả lời mẫu.' })).body.faq;
const faqA = await ask(JSON.stringify({
  questions: ['Làm thẻ căn cước cho con dưới 14 tuổi ở đâu?', 'lam can cuoc cho tre em o dau'],
  answer: 'Cha, mẹ hoặc người giám hộ làm thủ tục cấp thẻ căn cước cho trẻ dưới 14 tuổi tại cơ quan quản lý căn cước cấp huyện hoặc công an cấp xã nơi cư trú, hoặc qua ứng dụng VNeID (trẻ dưới 6 tuổi).',
  citations: [{ id: await unitOf('tom-tat-the-can-cuoc', 'trẻ em') }],
}));
await admin.post(`/faqs/${faqA.id}/approve`);
const faqB = await ask(JSON.stringify({
  questions: ['Xóa đăng ký thường trú khi nào?', 'bi xoa ho khau trong truong hop nao'],
  answer: 'Người đã đăng ký thường trú bị xóa đăng ký thường trú khi thuộc một trong các trường hợp luật định, ví dụ vắng mặt liên tục từ 12 tháng trở lên không rõ lý do.',
  citations: [{ id: await unitOf('tom-tat-xoa-dang-ky-thuong-tru', 'xóa') }],
}));
await admin.post(`/faqs/${faqB.id}/approve`);
await ask(JSON.stringify({ questions: ['Giờ làm việc của bộ phận một cửa phường?', 'bo phan mot cua lam viec may gio'], answer: 'Bộ phận một cửa làm việc từ thứ Hai đến thứ Sáu, sáng 7 giờ 30 đến 11 giờ 30, chiều 13 giờ 30 đến 17 giờ.' }));
// The document behind faqB is amended: its FAQ now needs review.
await admin.post(`/documents/${encodeURIComponent('tom-tat-xoa-dang-ky-thuong-tru')}/status`, { status: 'amended', supersededBy: 'Luật sửa đổi Luật Cư trú 2025' });

mkdirSync(outDir, { recursive: true });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: LAUNCH_ARGS });
const saved: string[] = [];

async function shot(page: Page, name: string, fullPage = false): Promise<void> {
  const path = resolve(outDir, `${name}.png`);
  // No hover highlight from the last click.
  await page.mouse.move(1, 1);
  await page.screenshot({ path, fullPage, animations: 'disabled' });
  const size = statSync(path).size;
  saved.push(`${path} (${Math.round(size / 1024)} KB)`);
  if (size > MAX_BYTES) console.warn(`  ! ${name}.png is ${Math.round(size / 1024)} KB (over 300 KB)`);
}

try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error('page error:', err.message));
  // The first load asks GET /session, a 401 before signing in: expected, not reported.
  page.on('console', (m) => m.type() === 'error' && !m.text().includes('status of 401') && console.error('console error:', m.text()));

  await page.goto(`${loa.url}/admin/`);
  await page.getByLabel('Email').waitFor();
  await shot(page, 'login');

  await page.getByLabel('Email').fill(TEST_ADMIN.email);
  await page.getByLabel('Mật khẩu').fill(TEST_ADMIN.password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.getByRole('heading', { name: 'Hộp thư' }).waitFor();
  await page.locator('.live-state:not(.lost)').waitFor();

  // A new question arrives while the inbox is open: highlighted, counted in the title.
  await citizenSays(core, 'webchat', 'ws_demoCitizen000000001', OUT_OF_SCOPE[0]);
  await core.drain();
  await page.locator('.esc-item.is-new').first().waitFor();
  await shot(page, 'inbox');

  // The detail of a question with official passages nearby: attach one, write the answer.
  const inbox = await admin.get<{ items: { id: string; question: string; channel: string; candidates: unknown[] }[] }>('/escalations?status=open&limit=100');
  const withPassages = inbox.body.items.filter((e) => e.candidates.length > 0);
  const target = withPassages.find((e) => e.channel === 'zalo') ?? withPassages[0] ?? inbox.body.items.find((e) => e.question.includes('tạm trú')) ?? inbox.body.items[0];
  await page.goto(`${loa.url}/admin/inbox/${target.id}`);
  await page.getByRole('heading', { name: 'Câu hỏi của người dân' }).waitFor();
  await page.getByRole('button', { name: 'Nhận xử lý' }).click();
  await page.getByText('Bạn đã nhận xử lý câu hỏi này.').first().waitFor();
  // Escalations arrive without passages when Loa abstained: the officer searches the documents.
  await page.getByLabel('Tìm thêm trong văn bản').fill('đăng ký tạm trú trực tuyến');
  await page.getByRole('button', { name: 'Tìm', exact: true }).click();
  const attach = page.getByRole('button', { name: /^Đính kèm/ }).first();
  await attach.waitFor();
  await attach.click();
  await page.getByRole('textbox', { name: 'Câu trả lời' }).fill(
    'Chào bạn, cảm ơn bạn đã hỏi. Theo quy định hiện hành, bạn có thể làm thủ tục trực tuyến trên Cổng Dịch vụ công hoặc ứng dụng VNeID, hoặc đến Bộ phận một cửa của phường trong giờ hành chính. Nếu cần hỗ trợ thêm, bạn vui lòng gọi số 0236 3 888 999.',
  );
  await page.getByLabel('Lưu thành câu hỏi thường gặp (FAQ)').check();
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, 'escalation');

  // The two weeks of history, so that "rising" compares two halves that both have data.
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000 + 7 * 3600_000).toISOString().slice(0, 10);
  await page.goto(`${loa.url}/admin/reports?from=${day(-13)}&to=${day(0)}`);
  await page.locator('svg.chart-svg').first().waitFor();
  await shot(page, 'reports');
  await page.getByRole('heading', { name: 'Chủ đề được hỏi nhiều' }).scrollIntoViewIfNeeded();
  await page.evaluate(() => window.scrollBy(0, -80));
  await shot(page, 'reports-topics');

  await page.goto(`${loa.url}/admin/faqs`);
  await page.locator('.faq-item').first().waitFor();
  await shot(page, 'faqs');

  await page.goto(`${loa.url}/admin/documents`);
  await page.locator('table').waitFor();
  await shot(page, 'documents');

  // The phone: the same session, a narrow viewport.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  await phone.addCookies(await context.cookies());
  const mobile = await phone.newPage();
  await mobile.goto(`${loa.url}/admin/inbox`);
  await mobile.locator('.esc-item').first().waitFor();
  await shot(mobile, 'phone-inbox');
  await phone.close();
  await context.close();
} finally {
  await browser.close();
  if (!keep) await loa.stop();
}

console.log('screenshots:');
for (const s of saved) console.log(`  ${s}`);
if (keep) {
  console.log(`\nLoa is running at ${loa.url}/admin/ — ${TEST_ADMIN.email} / ${TEST_ADMIN.password} (Ctrl+C to stop)`);
} else {
  process.exit(0);
}
