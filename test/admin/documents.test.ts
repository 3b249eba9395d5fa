import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaqView } from '../../admin/faqs/schemas.ts';
import type { AuditEntry } from '../../storage/audit-store.ts';
import { loginAdmin, loginAs, type StaffClient } from './harness.ts';
import { ask, startLoaWithContent } from './faqs-support.ts';

type Loa = Awaited<ReturnType<typeof startLoaWithContent>>;

interface DocSummary {
  id: string;
  title: string;
  source: string;
  meta: Record<string, unknown> & { status: string };
  unitCount: number;
  articleCount: number;
  managedBy?: string;
}
interface Unit {
  id: string;
  kind: string;
  section: string;
  heading?: string;
  text: string;
  parentId?: string;
}
interface UploadResult {
  summary: { documents: { added: number; replaced: number; unchanged: number }; articles: number; skipped: { source: string; reason: string }[] };
  documents: DocSummary[];
  faqsMarkedForReview: string[];
}

const FILE_NAME = 'Quy chế tiếp công dân.md';
const REGULATION = `---
title: Quy chế tiếp công dân tại trụ sở Sở Tư pháp
number: 15/2025/QĐ-STP
doc_type: Quyết định
issuer: Sở Tư pháp tỉnh Thử Nghiệm
issued_date: 2025-03-01
status: in_force
---

Điều 1. Phạm vi điều chỉnh
Quy chế này quy định việc tiếp công dân đến khiếu nại, tố cáo, kiến nghị, phản ánh tại trụ sở Sở Tư pháp.

Điều 2. Lịch tiếp công dân định kỳ của Giám đốc Sở
1. Giám đốc Sở tiếp công dân định kỳ vào ngày 15 hằng tháng tại phòng tiếp công dân.
2. Trường hợp ngày 15 trùng ngày nghỉ lễ, tết thì lịch tiếp công dân được dời sang ngày làm việc kế tiếp.

Điều 3. Địa điểm phòng tiếp công dân
Phòng tiếp công dân đặt tại tầng 1, nhà B, trụ sở Sở Tư pháp, số 10 đường Trần Phú.
`;

let t: Loa;
let admin: StaffClient;
let spokesperson: StaffClient;
let viewer: StaffClient;

beforeAll(async () => {
  t = await startLoaWithContent();
  admin = await loginAdmin(t);
  spokesperson = await loginAs(t, 'spokesperson', admin);
  viewer = await loginAs(t, 'viewer', admin);
});
afterAll(async () => {
  await t?.stop();
});

/** `POST /documents` with the raw file, as the console UI sends it. */
function upload(as: StaffClient, name: string | undefined, bytes: Buffer | string): Promise<Response> {
  return fetch(as.url('/documents'), {
    method: 'POST',
    headers: {
      cookie: as.cookie,
      'X-CSRF-Token': as.csrfToken,
      'Content-Type': 'application/octet-stream',
      ...(name === undefined ? {} : { 'X-Filename': encodeURIComponent(name) }),
    },
    body: new Uint8Array(typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes),
  });
}

const listIds = async () => (await viewer.get<{ items: DocSummary[] }>('/documents')).body.items.map((d) => d.id).sort();

/** The bot's index follows the store. */
const indexIsCurrent = async () => t.runtime.retriever().revision === (await t.runtime.storage.knowledge.revision());

async function auditOf(target: string): Promise<AuditEntry[]> {
  return (await admin.get<{ items: AuditEntry[] }>(`/audit?target=${encodeURIComponent(target)}`)).body.items.reverse();
}

describe('documents', () => {
  let docId: string;

  it('uploads a Markdown file with front matter: listed, parsed, searchable', async () => {
    const res = await upload(admin, FILE_NAME, REGULATION);
    expect(res.status).toBe(201);
    const body = (await res.json()) as UploadResult;
    expect(body.summary.documents.added).toBe(1);
    expect(body.documents).toHaveLength(1);
    docId = body.documents[0].id;
    expect(docId).toBe('quy-che-tiep-cong-dan');
    expect(body.documents[0]).toMatchObject({
      title: 'Quy chế tiếp công dân tại trụ sở Sở Tư pháp',
      source: `upload:${FILE_NAME}`,
      articleCount: 3,
      meta: { number: '15/2025/QĐ-STP', docType: 'Quyết định', issuedDate: '2025-03-01', status: 'in_force' },
    });

    const list = await viewer.get<{ items: DocSummary[] }>('/documents');
    expect(list.body.items.find((d) => d.id === docId)).toMatchObject({ articleCount: 3, unitCount: body.documents[0].unitCount });

    const detail = await spokesperson.get<{ document: DocSummary & { units: Unit[] } }>(`/documents/${encodeURIComponent(docId)}`);
    expect(detail.status).toBe(200);
    const article2 = detail.body.document.units.find((u) => u.id === `${docId}::2`);
    expect(article2).toMatchObject({ kind: 'article', heading: 'Lịch tiếp công dân định kỳ của Giám đốc Sở' });
    expect(article2?.section).toContain('Điều 2');
    const clause = detail.body.document.units.find((u) => u.id === `${docId}::2.2`);
    expect(clause).toMatchObject({ kind: 'clause', parentId: `${docId}::2` });
    expect(clause?.text).toContain('ngày nghỉ lễ');

    expect(await indexIsCurrent()).toBe(true);
    const answer = await ask(t.url, 'giam doc so tiep cong dan vao ngay nao hang thang');
    expect(answer.abstained).toBe(false);
    expect(answer.citations[0].id.startsWith(`${docId}::2`)).toBe(true);

    const entries = await auditOf(`document:${docId}`);
    expect(entries.map((e) => e.action)).toEqual(['document.upload']);
    expect(entries[0]).toMatchObject({ actor: admin.user.email, details: { file: FILE_NAME } });

    // The same bytes again: nothing changes.
    const again = await upload(admin, FILE_NAME, REGULATION);
    expect(again.status).toBe(200);
    expect(((await again.json()) as UploadResult).summary.documents.unchanged).toBe(1);
  });

  it('refuses broken and unauthorised uploads without losing anything', async () => {
    const before = await listIds();
    const revision = await t.runtime.storage.knowledge.revision();

    const broken = await upload(admin, 'Quyết định.docx', Buffer.from('this is not a zip file at all'));
    expect(broken.status).toBe(422);
    const body = (await broken.json()) as { error: { code: string; message: string; summary: UploadResult['summary'] } };
    expect(body.error.code).toBe('unreadable');
    expect(body.error.summary.skipped[0].source).toBe('Quyết định.docx');

    const unsupported = await upload(admin, 'bang-tinh.xlsx', Buffer.from([1, 2, 3]));
    expect(unsupported.status).toBe(422);
    expect(((await unsupported.json()) as { error: { message: string } }).error.message).toContain('unsupported');

    expect((await upload(admin, 'rong.md', '')).status).toBe(422);
    expect((await upload(admin, undefined, REGULATION)).status).toBe(400);
    expect((await upload(admin, 'faq.md', REGULATION)).status).toBe(422);
    expect((await upload(spokesperson, 'khac.md', REGULATION)).status).toBe(403);
    expect((await upload(viewer, 'khac.md', REGULATION)).status).toBe(403);
    const noCsrf = await fetch(admin.url('/documents'), {
      method: 'POST',
      headers: { cookie: admin.cookie, 'X-Filename': 'khac.md' },
      body: REGULATION,
    });
    expect(noCsrf.status).toBe(403);

    expect(await listIds()).toEqual(before);
    expect(await t.runtime.storage.knowledge.revision()).toBe(revision);
    const rejected = await admin.get<{ items: AuditEntry[] }>('/audit?action=document.upload_rejected');
    expect(rejected.body.items.length).toBeGreaterThanOrEqual(3);
  });

  it('corrects metadata (null removes a field) and validates it', async () => {
    const res = await admin.patch<{ document: DocSummary }>(`/documents/${encodeURIComponent(docId)}/meta`, {
      url: 'https://stp.thunghiem.gov.vn/quy-che-tiep-cong-dan',
      aliases: ['quy chế tiếp dân'],
      issuer: null,
    });
    expect(res.status).toBe(200);
    expect(res.body.document.meta).toMatchObject({ url: 'https://stp.thunghiem.gov.vn/quy-che-tiep-cong-dan', aliases: ['quy chế tiếp dân'] });
    expect(res.body.document.meta).not.toHaveProperty('issuer');
    const stored = await t.runtime.storage.knowledge.getDocument(docId);
    expect(stored?.meta.url).toBe('https://stp.thunghiem.gov.vn/quy-che-tiep-cong-dan');
    expect(stored?.meta.issuer).toBeUndefined();
    expect(await indexIsCurrent()).toBe(true);

    expect((await admin.patch(`/documents/${docId}/meta`, { issuedDate: '01/03/2025' })).status).toBe(400);
    expect((await admin.patch(`/documents/${docId}/meta`, { url: 'javascript:alert(1)' })).status).toBe(400);
    expect((await admin.patch(`/documents/${docId}/meta`, { color: 'red' })).status).toBe(400);
    expect((await spokesperson.patch(`/documents/${docId}/meta`, { number: 'x' })).status).toBe(403);
    expect((await admin.patch('/documents/khong-co/meta', { number: 'x' })).status).toBe(404);

    const entry = (await auditOf(`document:${docId}`)).find((e) => e.action === 'document.meta');
    expect(entry?.details).toMatchObject({ changed: { issuer: { from: 'Sở Tư pháp tỉnh Thử Nghiệm', to: null } } });
  });

  it('superseding a document sends approved FAQs citing it to review and out of the bot’s answers', async () => {
    const question = 'Nếu ngày 15 là ngày lễ thì Giám đốc Sở có tiếp công dân không?';
    const created = await spokesperson.post<{ faq: FaqView }>('/faqs', {
      questions: [question],
      answer: 'Khi ngày 15 trùng ngày nghỉ lễ, tết, buổi tiếp công dân được dời sang ngày làm việc kế tiếp.',
      citations: [{ id: `${docId}::2.2` }],
    });
    expect(created.status).toBe(201);
    const faqId = created.body.faq.id;
    // Another approved FAQ citing nothing from this document stays approved.
    const other = await spokesperson.post<{ faq: FaqView }>('/faqs', { questions: ['Sở có wifi miễn phí cho người dân không?'], answer: 'Có.' });
    await admin.post(`/faqs/${faqId}/approve`);
    await admin.post(`/faqs/${other.body.faq.id}/approve`);
    expect((await ask(t.url, 'ngay 15 la ngay le thi giam doc so co tiep cong dan khong')).citations.some((c) => c.id === `faq::${faqId}`)).toBe(true);

    expect((await admin.post('/documents/faq/status', { status: 'expired' })).status).toBe(409);
    expect((await viewer.post(`/documents/${docId}/status`, { status: 'superseded' })).status).toBe(403);
    const res = await admin.post<{ document: DocSummary; faqsMarkedForReview: string[] }>(`/documents/${encodeURIComponent(docId)}/status`, {
      status: 'superseded',
      supersededBy: 'Quyết định 20/2026/QĐ-STP',
    });
    expect(res.status).toBe(200);
    expect(res.body.document.meta).toMatchObject({ status: 'superseded', supersededBy: 'Quyết định 20/2026/QĐ-STP' });
    expect(res.body.faqsMarkedForReview).toEqual([faqId]);

    const faq = (await spokesperson.get<{ faq: FaqView }>(`/faqs/${faqId}`)).body.faq;
    expect(faq.status).toBe('needs_review');
    expect(faq.reviewReason).toContain('Quyết định 20/2026/QĐ-STP');
    expect((await spokesperson.get<{ faq: FaqView }>(`/faqs/${other.body.faq.id}`)).body.faq.status).toBe('approved');
    const reviewAudit = await auditOf(`faq:${faqId}`);
    expect(reviewAudit.map((e) => e.action)).toContain('faq.needs_review');
    expect((await auditOf(`document:${docId}`)).map((e) => e.action)).toContain('document.status');

    // Out of the bot's answers until approved again; the document itself now carries its status.
    expect(await indexIsCurrent()).toBe(true);
    const after = await ask(t.url, 'ngay 15 la ngay le thi giam doc so co tiep cong dan khong');
    expect(after.citations.some((c) => c.id === `faq::${faqId}`)).toBe(false);
    const cited = after.citations.find((c) => c.id.startsWith(`${docId}::`));
    if (cited) expect(cited.status).toBe('superseded');

    // Reviewed and edited, it can be approved again.
    expect((await spokesperson.patch(`/faqs/${faqId}`, { answer: 'Theo quy chế mới, lịch tiếp được công bố trên cổng thông tin của Sở.' })).status).toBe(200);
    const reapproved = await admin.post<{ faq: FaqView }>(`/faqs/${faqId}/approve`);
    expect(reapproved.body.faq.status).toBe('approved');
    expect(reapproved.body.faq.reviewReason).toBeUndefined();
  });

  it('a new version that drops a cited provision sends the FAQ to review', async () => {
    const without = REGULATION.replace(/2\. Trường hợp ngày 15[^\n]*\n/u, '');
    expect(without).not.toContain('nghỉ lễ');
    const res = await upload(admin, FILE_NAME, without);
    expect(res.status).toBe(200);
    const body = (await res.json()) as UploadResult;
    expect(body.summary.documents.replaced).toBe(1);
    expect(body.faqsMarkedForReview).toHaveLength(1);
    const marked = (await admin.get<{ faq: FaqView }>(`/faqs/${body.faqsMarkedForReview[0]}`)).body.faq;
    expect(marked.citations[0].id).toBe(`${docId}::2.2`);
    expect(marked.status).toBe('needs_review');
  });

  it('refuses a file that claims the FAQ document’s id, and keeps the FAQs', async () => {
    const faqBefore = await t.runtime.storage.knowledge.getDocument('faq');
    expect(faqBefore?.units.length).toBeGreaterThan(0);
    const res = await upload(admin, 'gia-mao.md', `---\nid: faq\ntitle: Giả mạo\n---\nĐiều 1. Nội dung giả mạo.\n`);
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('reserved_id');
    const faqAfter = await t.runtime.storage.knowledge.getDocument('faq');
    expect(faqAfter?.source).toBe('loa:faqs');
    expect(faqAfter?.units.map((u) => u.id)).toEqual(faqBefore?.units.map((u) => u.id));
  });

  it('deletes a document (admin only), audited, and the bot stops citing it', async () => {
    expect((await spokesperson.delete(`/documents/${docId}`)).status).toBe(403);
    const res = await admin.delete<{ deleted: string }>(`/documents/${encodeURIComponent(docId)}`);
    expect(res.status).toBe(200);
    expect(res.body.deleted).toBe(docId);
    expect(await listIds()).not.toContain(docId);
    expect((await viewer.get(`/documents/${docId}`)).status).toBe(404);
    expect(await indexIsCurrent()).toBe(true);
    const answer = await ask(t.url, 'giam doc so tiep cong dan vao ngay nao hang thang');
    expect(answer.citations.some((c) => c.id.startsWith(`${docId}::`))).toBe(false);
    expect((await auditOf(`document:${docId}`)).map((e) => e.action)).toEqual([
      'document.upload',
      'document.upload', // the unchanged re-upload
      'document.meta',
      'document.status',
      'document.upload',
      'document.delete',
    ]);
    expect((await admin.delete(`/documents/${docId}`)).status).toBe(404);
  });

  it('reads documents whose id contains a slash', async () => {
    await t.runtime.storage.knowledge.putDocument({
      id: 'luat/luat-thu',
      title: 'Luật Thử',
      source: 'test',
      contentHash: 'x',
      meta: { status: 'in_force' },
      units: [{ id: 'luat/luat-thu::1', docId: 'luat/luat-thu', kind: 'article', section: 'Điều 1', articleNo: '1', text: 'Điều 1. Thử.' }],
      ingestedAt: new Date().toISOString(),
    });
    const res = await viewer.get<{ document: { id: string; units: Unit[] } }>(`/documents/${encodeURIComponent('luat/luat-thu')}`);
    expect(res.status).toBe(200);
    expect(res.body.document.units[0].id).toBe('luat/luat-thu::1');
  });
});
