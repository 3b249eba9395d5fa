/**
 * Screenshots of consultations for docs/CONSULTATIONS.md and the README:
 *
 *   node bin/run-ts.js bench/consultation-screenshots.ts [--out docs/screenshots]
 *
 * Starts Loa in a temp dir, creates a consultation on the sample draft, adds demo comments
 * (a third of them one copied text), groups and answers them, then saves PNGs of the public
 * page on a phone (390×844), the console's consultation page, and the published synthesis.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { login, startTestLoa, TEST_ADMIN } from '../test/admin/harness.ts';
import { DRAFT_V1 } from '../test/consultations/support.ts';
import type { CommentChannel, Stance } from '../consultations/types.ts';

const args = process.argv.slice(2);
const outDir = resolve(args.includes('--out') ? args[args.indexOf('--out') + 1] : 'docs/screenshots');
mkdirSync(outDir, { recursive: true });
const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--no-first-run'];

const loa = await startTestLoa({ LOA_SAMPLE_KNOWLEDGE: 'false', LOA_AGENCY_NAME: 'Sở Giao thông vận tải' });
const admin = await login(loa.url, TEST_ADMIN.email, TEST_ADMIN.password);
const now = Date.now();
const created = await admin.post<{ consultation: { id: string } }>('/consultations', {
  slug: 'xe-dap-dien',
  title: 'Dự thảo Nghị định về xe đạp điện dùng chung',
  summary: 'Sở Giao thông vận tải lấy ý kiến người dân, doanh nghiệp về dự thảo quy định cấp phép và vận hành xe đạp điện dùng chung.',
  scope: 'Doanh nghiệp cho thuê xe, người sử dụng, cơ quan quản lý',
  questions: ['Mức phạt tại Điều 5 có phù hợp không?', 'Điều kiện 200 xe tại Điều 4 có quá cao không?'],
  asks: { name: false, organisation: true, contact: false },
  opensAt: new Date(now - 12 * 86_400_000).toISOString(),
  closesAt: new Date(now + 18 * 86_400_000).toISOString(),
  consultedCount: 35,
  draft: { name: DRAFT_V1.name, contentBase64: DRAFT_V1.bytes.toString('base64') },
});
const id = created.body.consultation.id;
const store = loa.runtime.storage.consultations;
const texts: [string, Stance, string][] = [
  ['5.1', 'disagree', 'Mức phạt 500.000 đồng quá cao so với thu nhập người dân.'],
  ['5.1', 'disagree', 'Nên giảm mức phạt người để xe sai chỗ, lần đầu chỉ nhắc nhở.'],
  ['5.2', 'agree', 'Đồng ý phạt nặng doanh nghiệp bỏ xe hỏng trên vỉa hè.'],
  ['4.1', 'disagree', '200 xe là quá nhiều với doanh nghiệp nhỏ mới khởi nghiệp.'],
  ['4.3', 'other', 'Ký quỹ nên tính theo số xe thay vì một mức cố định.'],
  ['3.2', 'other', 'Điểm đỗ không nên đặt trên vỉa hè hẹp dưới 3 mét.'],
  ['6', 'other', 'Cần thời gian chuyển tiếp cho doanh nghiệp đang hoạt động.'],
];
const channels: CommentChannel[] = ['zalo', 'zalo', 'telegram', 'webchat', 'page'];
for (let i = 0; i < 90; i++) {
  const [unit, stance, text] = i % 3 === 0 ? texts[0] : texts[i % texts.length];
  await store.saveComment({ consultationId: id, version: 1, unitKey: unit, channel: channels[i % channels.length], citizenId: `demo-${i}`, stance, text, organisation: i % 17 === 0 ? 'Hiệp hội Vận tải' : undefined }, new Date(now - (i % 12) * 86_400_000));
}
await admin.post(`/consultations/${id}/themes/auto`);
const themes = await admin.get<{ items: { id: string; unitKey: string }[] }>(`/consultations/${id}/themes`);
const fines = themes.body.items.find((x) => x.unitKey === '5')!;
await admin.patch(`/consultations/${id}/themes/${fines.id}`, { label: 'Mức phạt người sử dụng quá cao', responseKind: 'accept', responseText: 'Giảm mức phạt xuống 200.000 – 500.000 đồng (Điều 6 dự thảo lần 2).' });

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: LAUNCH_ARGS });
const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
await phone.goto(`${loa.url}/gop-y/xe-dap-dien#u-5`);
await phone.locator('summary', { hasText: /^Góp ý Điều 5, Khoản 1$/ }).click();
await phone.screenshot({ path: `${outDir}/consultation-page.png` });

const desk = await browser.newPage({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
await desk.goto(`${loa.url}/admin/`);
await desk.getByLabel('Email').fill(TEST_ADMIN.email);
await desk.getByLabel('Mật khẩu').fill(TEST_ADMIN.password);
await desk.getByRole('button', { name: 'Đăng nhập' }).click();
await desk.waitForURL((u) => !u.pathname.startsWith('/admin/login'));
await desk.goto(`${loa.url}/admin/consultations/${id}`);
await desk.getByRole('heading', { name: 'Góp ý theo điều (bản đồ nhiệt)' }).waitFor();
await desk.locator('.theme').first().waitFor();
await desk.screenshot({ path: `${outDir}/consultation-console.png`, fullPage: false });
await desk.locator('.theme').first().scrollIntoViewIfNeeded();
await desk.screenshot({ path: `${outDir}/consultation-themes.png` });

await admin.patch(`/consultations/${id}`, { closesAt: new Date(Date.now() - 1000).toISOString() });
await admin.post(`/consultations/${id}/publish`);
await phone.goto(`${loa.url}/gop-y`);
await phone.goto(`${loa.url}/gop-y/xe-dap-dien`);
await phone.locator('#tong-hop').scrollIntoViewIfNeeded();
await phone.screenshot({ path: `${outDir}/consultation-synthesis.png` });
await browser.close();
await loa.stop();
console.log(`screenshots in ${outDir}`);
