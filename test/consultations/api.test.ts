import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYNTHESIS_COLUMNS } from '../../consultations/synthesis.ts';
import type { AuditEntry } from '../../storage/audit-store.ts';
import { loginAdmin, loginAs, startTestLoa, type StaffClient, type TestLoa } from '../admin/harness.ts';
import { DRAFT_V1, DRAFT_V2 } from './support.ts';

/**
 * `/api/admin/consultations` and the public API on the whole server: who may see and do
 * what, moderation audited, a revision with its diff, exports, and the public page's own
 * limits (a challenge once an address floods).
 */

let t: TestLoa;
let admin: StaffClient;
let drafter: StaffClient;
let otherSpokesperson: StaffClient;
let viewer: StaffClient;
let id: string;
const b64 = (d: { bytes: Buffer }) => d.bytes.toString('base64');

beforeAll(async () => {
  t = await startTestLoa({ LOA_SAMPLE_KNOWLEDGE: 'false' });
  admin = await loginAdmin(t);
  drafter = await loginAs(t, 'spokesperson', admin);
  otherSpokesperson = await loginAs(t, 'spokesperson', admin);
  viewer = await loginAs(t, 'viewer', admin);
  const now = Date.now();
  const res = await admin.post<{ consultation: { id: string } }>('/consultations', {
    slug: 'xe-dap-dien-api',
    title: 'Dự thảo Nghị định về xe đạp điện dùng chung',
    asks: { name: true, organisation: true, contact: true },
    opensAt: new Date(now - 3_600_000).toISOString(),
    closesAt: new Date(now + 86_400_000).toISOString(),
    officers: [drafter.user.email],
    draft: { name: DRAFT_V1.name, contentBase64: b64(DRAFT_V1) },
  });
  expect(res.status).toBe(201);
  id = res.body.consultation.id;
}, 60_000);

afterAll(async () => {
  await t?.stop();
});

const publicComment = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  fetch(`${t.url}/api/gop-y/xe-dap-dien-api/comments`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('consultations API', () => {
  it('refuses a bad request with the reason and stores nothing', async () => {
    const bad = await admin.post<{ error: { code: string; issues: { path: string }[] } }>('/consultations', { slug: 'Có Dấu', title: 'x', opensAt: 'hôm nay', draft: { name: 'a.md', contentBase64: '' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues.map((i) => i.path)).toEqual(expect.arrayContaining(['slug', 'opensAt']));
    const unreadable = await admin.post<{ error: { code: string } }>('/consultations', { slug: 'doc-cu', title: 'Dự thảo cũ', opensAt: new Date().toISOString(), closesAt: new Date(Date.now() + 1e6).toISOString(), draft: { name: 'du-thao.doc', contentBase64: 'AAAA' } });
    expect(unreadable).toMatchObject({ status: 422, body: { error: { code: 'unreadable_draft' } } });
    const list = await admin.get<{ items: { slug: string }[] }>('/consultations');
    expect(list.body.items.map((c) => c.slug)).toEqual(['xe-dap-dien-api']);
  });

  it('lets the drafting officer work on their consultation, not another spokesperson; viewers see counts only', async () => {
    const ok = await publicComment({ unit: '4.1', stance: 'disagree', text: 'Yêu cầu 200 xe quá cao với doanh nghiệp nhỏ.', organisation: 'Công ty Xe Xanh', contact: 'lienhe@xexanh.vn' });
    expect(ok.status).toBe(201);
    expect((await drafter.get<{ items: unknown[] }>('/consultations')).body.items).toHaveLength(1);
    expect((await otherSpokesperson.get<{ items: unknown[] }>('/consultations')).body.items).toHaveLength(0);
    expect((await otherSpokesperson.get(`/consultations/${id}`)).status).toBe(404);
    const comments = await drafter.get<{ items: { contact?: string }[] }>(`/consultations/${id}/comments`);
    expect(comments.body.items[0].contact).toBe('lienhe@xexanh.vn');
    // Viewers: the figures, never the comments or contacts.
    const seen = await viewer.get<{ stats: { comments: number } }>(`/consultations/${id}`);
    expect(seen).toMatchObject({ status: 200, body: { stats: { comments: 1 } } });
    expect(JSON.stringify(seen.body)).not.toContain('lienhe@xexanh.vn');
    expect((await viewer.get(`/consultations/${id}/comments`)).status).toBe(403);
    // Only administrators assign officers.
    expect((await drafter.patch(`/consultations/${id}`, { officers: [] })).status).toBe(403);
  });

  it('hides a comment only with a reason, audited', async () => {
    const [c] = (await drafter.get<{ items: { id: string }[] }>(`/consultations/${id}/comments`)).body.items;
    expect((await drafter.post(`/consultations/${id}/comments/${c.id}/moderation`, { hidden: true })).status).toBe(400);
    expect((await drafter.post(`/consultations/${id}/comments/${c.id}/moderation`, { hidden: true, reason: 'quảng cáo' })).status).toBe(200);
    expect((await drafter.get<{ items: unknown[] }>(`/consultations/${id}/comments`)).body.items).toHaveLength(0);
    const audit = await admin.get<{ items: AuditEntry[] }>(`/audit?target=${encodeURIComponent(`comment:${c.id}`)}`);
    expect(audit.body.items.map((e) => [e.action, e.actor, (e.details as { reason?: string }).reason])).toEqual([['consultation.comment_hide', drafter.user.email, 'quảng cáo']]);
    expect((await drafter.post(`/consultations/${id}/comments/${c.id}/moderation`, { hidden: false })).status).toBe(200);
  });

  it('publishes a revision: comments follow their article, and the diff shows what changed', async () => {
    const stale = await drafter.post<{ error: string }>(`/consultations/${id}/versions`, { expectedVersion: 7, draft: { name: DRAFT_V2.name, contentBase64: b64(DRAFT_V2) } });
    expect(stale).toMatchObject({ status: 409, body: { error: { code: 'version_conflict' } } });
    const rev = await drafter.post<{ version: number; mapping: Record<string, { to: string }> }>(`/consultations/${id}/versions`, { expectedVersion: 1, draft: { name: DRAFT_V2.name, contentBase64: b64(DRAFT_V2) } });
    expect(rev.status).toBe(201);
    expect(rev.body.mapping['4.1'].to).toBe('5.1');
    const [c] = (await drafter.get<{ items: { version: number; unitKey: string; currentUnitKey: string }[] }>(`/consultations/${id}/comments`)).body.items;
    expect(c).toMatchObject({ version: 1, unitKey: '4.1', currentUnitKey: '5.1' });
    const diff = await drafter.get<{ changes: { from?: string; to?: string; diff: { op: string; text: string }[] }[] }>(`/consultations/${id}/versions/2/diff`);
    const licence = diff.body.changes.find((x) => x.from === '4')!;
    expect(licence.to).toBe('5');
    expect(licence.diff.filter((p) => p.op === 'del').map((p) => p.text.trim())).toContain('200');
    expect(licence.diff.filter((p) => p.op === 'add').map((p) => p.text.trim())).toContain('100');
    expect(diff.body.changes.find((x) => x.from === undefined)?.to).toBe('3');
  });

  it('exports the synthesis as XLSX and CSV with the four columns', async () => {
    const xlsx = await fetch(admin.url(`/consultations/${id}/export.xlsx`), { headers: { cookie: admin.cookie } });
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as unknown as ExcelJS.Buffer);
    const ws = wb.worksheets[0];
    const rows: string[][] = [];
    ws.eachRow((r) => rows.push((r.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
    const header = rows.findIndex((r) => r[0] === SYNTHESIS_COLUMNS[0]);
    expect(rows[header].slice(0, 4)).toEqual([...SYNTHESIS_COLUMNS]);
    expect(rows[header + 1][0]).toContain('Điều 5');
    expect(rows[header + 1][1]).toBe('Công ty Xe Xanh');
    const bytes = Buffer.from(await (await fetch(admin.url(`/consultations/${id}/export.csv`), { headers: { cookie: admin.cookie } })).arrayBuffer());
    // The byte-order mark Excel needs to read Vietnamese.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = bytes.subarray(3).toString('utf8');
    // Cells holding a comma are quoted.
    expect(csv.split('\r\n')[0]).toBe('"Điều, khoản",Chủ thể góp ý,Nội dung góp ý,"Tiếp thu, giải trình",Số ý kiến');
    expect(csv).toContain('Công ty Xe Xanh');
  });

  it('describes every route in the OpenAPI document', async () => {
    const doc = await admin.get<{ paths: Record<string, Record<string, unknown>> }>('/openapi.json');
    for (const p of ['/consultations', '/consultations/{id}', '/consultations/{id}/themes/auto', '/consultations/{id}/themes/{themeId}', '/consultations/{id}/export.{format}', '/consultations/{id}/publish']) {
      expect(doc.body.paths[p], p).toBeDefined();
    }
  });
});

describe('the public API', () => {
  it('validates, then asks a flooding address to solve a sum, then accepts the right answer', async () => {
    const invalid = await publicComment({ unit: '99', stance: 'agree', text: 'Ý kiến về điều không có.' });
    expect(invalid.status).toBe(422);
    const noStance = await publicComment({ unit: '1', text: 'Không chọn ý kiến.' });
    expect(noStance.status).toBe(400);
    // The soft limit is 5 comments per 10 minutes per address; earlier tests used some.
    let challenged: { challenge: { question: string; token: string } } | undefined;
    const challengeOf = async (r: Response) => ((await r.json()) as { error: { challenge: { question: string; token: string } } }).error;
    for (let i = 0; i < 8 && !challenged; i++) {
      const res = await publicComment({ unit: '2', stance: 'agree', text: `Đồng ý với phạm vi, ý kiến số ${i}.` });
      if (res.status === 429) challenged = await challengeOf(res);
      else expect(res.status).toBeLessThan(300);
    }
    expect(challenged?.challenge.question).toMatch(/cộng .* bằng mấy\?$/);
    const wrong = await publicComment({ unit: '2', stance: 'agree', text: 'Thêm một ý kiến nữa.', challengeToken: challenged!.challenge.token, challengeAnswer: '99' });
    expect(wrong.status).toBe(429);
    const words = ['không', 'một', 'hai', 'ba', 'bốn', 'năm', 'sáu', 'bảy', 'tám', 'chín'];
    const [, a, b] = /^(\S+) cộng (\S+) bằng/.exec(challenged!.challenge.question)!;
    const right = await publicComment({ unit: '2', stance: 'agree', text: 'Thêm một ý kiến nữa.', challengeToken: challenged!.challenge.token, challengeAnswer: String(words.indexOf(a) + words.indexOf(b)) });
    expect(right.status).toBe(201);
  });
});
