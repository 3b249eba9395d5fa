import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFaqFromEscalation } from '../../admin/faqs/index.ts';
import type { FaqView } from '../../admin/faqs/schemas.ts';
import type { AuditEntry } from '../../storage/audit-store.ts';
import { citizenAsks, loginAdmin, loginAs, openWebchat, webchatSay, type StaffClient } from './harness.ts';
import { ask, startLoaWithContent } from './faqs-support.ts';

type Loa = Awaited<ReturnType<typeof startLoaWithContent>>;
type One = { faq: FaqView };

const AGENCY = 'Sở Tư pháp tỉnh Thử Nghiệm';
const QUESTIONS = ['Người đến làm thủ tục có được gửi xe máy miễn phí tại trụ sở không?', 'Bãi giữ xe của cơ quan có thu tiền không?'];
const ANSWER =
  'Người dân đến làm thủ tục hành chính được gửi xe máy, xe đạp miễn phí tại bãi xe phía sau trụ sở, mở cửa từ 7 giờ đến 17 giờ các ngày làm việc.';
/** Other words than the FAQ's, without diacritics, as citizens type. */
const CITIZEN_QUESTION = 'co cho gui xe may mien phi khong';

let t: Loa;
let admin: StaffClient;
let spokesperson: StaffClient;
let viewer: StaffClient;

beforeAll(async () => {
  t = await startLoaWithContent({ LOA_AGENCY_NAME: AGENCY });
  admin = await loginAdmin(t);
  spokesperson = await loginAs(t, 'spokesperson', admin);
  viewer = await loginAs(t, 'viewer', admin);
});
afterAll(async () => {
  await t?.stop();
});

const faqCited = (citations: { id: string }[], id: string) => citations.some((c) => c.id === `faq::${id}`);

async function auditActions(target: string): Promise<string[]> {
  const res = await admin.get<{ items: AuditEntry[] }>(`/audit?target=${encodeURIComponent(target)}`);
  return res.body.items.map((e) => e.action).reverse();
}

describe('FAQ lifecycle', () => {
  it('drafts, approves into the bot’s knowledge, counts usage, edits live and retires', async () => {
    const doc = await admin.get<{ document: { units: { id: string; section: string }[]; title: string } }>('/documents/tom-tat-dich-vu-cong-truc-tuyen');
    expect(doc.status).toBe(200);
    const basis = doc.body.document.units[0];

    // A spokesperson drafts it; the citation is completed from the knowledge store.
    const created = await spokesperson.post<One>('/faqs', { questions: [...QUESTIONS, ` ${QUESTIONS[0].toUpperCase()} `], answer: ANSWER, citations: [{ id: basis.id }] });
    expect(created.status).toBe(201);
    const faq = created.body.faq;
    expect(faq.status).toBe('draft');
    expect(faq.questions).toEqual(QUESTIONS); // the upper-case duplicate is merged
    expect(faq.citations[0]).toMatchObject({ id: basis.id, title: doc.body.document.title, section: basis.section, kind: 'document' });
    expect(faq.createdBy).toBe(spokesperson.user.email);
    expect(faq.unitId).toBe(`faq::${faq.id}`);

    // A draft is not knowledge.
    expect(faqCited((await ask(t.url, CITIZEN_QUESTION)).citations, faq.id)).toBe(false);

    // Only an administrator approves.
    expect((await spokesperson.post(`/faqs/${faq.id}/approve`)).status).toBe(403);
    expect((await viewer.post(`/faqs/${faq.id}/approve`)).status).toBe(403);
    expect((await viewer.post('/faqs', { questions: QUESTIONS, answer: ANSWER })).status).toBe(403);
    const approved = await admin.post<One>(`/faqs/${faq.id}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.body.faq).toMatchObject({ status: 'approved', approvedBy: admin.user.email });

    // The bot answers with it at once, in other words and without diacritics.
    const answer = await ask(t.url, CITIZEN_QUESTION);
    expect(answer.abstained).toBe(false);
    expect(answer.citations[0]).toMatchObject({ id: `faq::${faq.id}`, kind: 'faq', title: `Câu trả lời của ${AGENCY}`, section: 'Hỏi đáp' });

    // The synthetic document is listed, read-only.
    const docs = await viewer.get<{ items: { id: string; managedBy?: string; unitCount: number }[] }>('/documents');
    expect(docs.body.items.find((d) => d.id === 'faq')).toMatchObject({ managedBy: 'faqs', unitCount: 1 });
    expect((await admin.delete('/documents/faq')).status).toBe(409);

    // A citizen on the web chat gets it too: usage counts the turns that cited it.
    const citizen = await openWebchat(t.url);
    await webchatSay(t.url, citizen, 'gui xe may o tru so co mien phi khong');
    await t.loa.core.drain();
    const listed = await viewer.get<{ items: FaqView[]; total: number }>('/faqs?status=approved');
    expect(listed.status).toBe(200);
    const usage = listed.body.items.find((f) => f.id === faq.id)?.usage;
    expect(usage?.count).toBe(1);
    expect(usage?.lastUsedAt).toBeTypeOf('string');

    // An administrator edits the live answer: a new way of asking becomes searchable.
    const edited = await admin.patch<One>(`/faqs/${faq.id}`, { questions: [...QUESTIONS, 'Có chỗ để ô tô cho người đến làm việc không?'], version: approved.body.faq.version });
    expect(edited.status).toBe(200);
    expect(edited.body.faq.status).toBe('approved');
    const car = await ask(t.url, 'co cho de o to khi den lam viec khong');
    expect(faqCited(car.citations, faq.id)).toBe(true);

    // Retired: no longer cited.
    const retired = await admin.post<One>(`/faqs/${faq.id}/retire`);
    expect(retired.status).toBe(200);
    expect(retired.body.faq.status).toBe('retired');
    expect(faqCited((await ask(t.url, CITIZEN_QUESTION)).citations, faq.id)).toBe(false);
    const after = await admin.get<{ items: { id: string }[] }>('/documents');
    expect(after.body.items.some((d) => d.id === 'faq')).toBe(false);

    expect(await auditActions(`faq:${faq.id}`)).toEqual(['faq.create', 'faq.approve', 'faq.update', 'faq.retire']);
  });
});

describe('FAQ editing rules', () => {
  it('lets editors change drafts, refuses stale versions, live answers to spokespeople and retired FAQs', async () => {
    const created = await spokesperson.post<One>('/faqs', { questions: ['Cơ quan có làm việc sáng thứ Bảy không?'], answer: 'Có, từ 7 giờ 30 đến 11 giờ 30.' });
    const id = created.body.faq.id;
    const v1 = created.body.faq.version;

    const edited = await spokesperson.patch<One>(`/faqs/${id}`, { answer: 'Có, sáng thứ Bảy từ 7 giờ 30 đến 11 giờ 30.', version: v1 });
    expect(edited.status).toBe(200);
    expect(edited.body.faq.version).toBe(v1 + 1);
    expect(edited.body.faq.updatedBy).toBe(spokesperson.user.email);

    const stale = await admin.patch<{ error: { code: string } }>(`/faqs/${id}`, { answer: 'Không.', version: v1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('version_conflict');

    expect((await viewer.patch(`/faqs/${id}`, { answer: 'Không.' })).status).toBe(403);
    expect((await spokesperson.patch(`/faqs/${id}`, {})).status).toBe(400);
    expect((await spokesperson.patch(`/faqs/${id}`, { questions: [] })).status).toBe(400);
    const badCitation = await spokesperson.patch<{ error: { code: string } }>(`/faqs/${id}`, { citations: [{ id: 'khong-co::99' }] });
    expect(badCitation.status).toBe(400);
    expect(badCitation.body.error.code).toBe('invalid_citation');
    // A citation outside the store is accepted when it says what it cites.
    const outside = await spokesperson.patch<One>(`/faqs/${id}`, { citations: [{ id: 'qd-noi-bo::3', title: 'Quy chế làm việc của Sở', section: 'Điều 3' }] });
    expect(outside.status).toBe(200);
    expect(outside.body.faq.citations[0]).toMatchObject({ title: 'Quy chế làm việc của Sở', section: 'Điều 3', status: 'unknown' });

    expect((await admin.post(`/faqs/${id}/approve`)).status).toBe(200);
    const again = await admin.post<{ error: { code: string } }>(`/faqs/${id}/approve`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('wrong_status');
    const live = await spokesperson.patch<{ error: { code: string } }>(`/faqs/${id}`, { answer: 'Không.' });
    expect(live.status).toBe(409);

    expect((await admin.post(`/faqs/${id}/retire`)).status).toBe(200);
    expect((await admin.patch(`/faqs/${id}`, { answer: 'Không.' })).status).toBe(409);
    expect((await admin.post(`/faqs/${id}/retire`)).status).toBe(409);
    expect((await admin.get('/faqs/999999')).status).toBe(404);
    expect((await admin.post('/faqs/abc/approve')).status).toBe(404);

    const drafts = await spokesperson.get<{ items: FaqView[] }>('/faqs?status=draft,needs_review');
    expect(drafts.body.items.every((f) => f.status === 'draft' || f.status === 'needs_review')).toBe(true);
    expect((await viewer.get('/faqs?status=published')).status).toBe(400);
    // Drafts may quote a citizen: viewers get approved answers only.
    expect((await viewer.get('/faqs?status=draft,needs_review')).status).toBe(403);
    const everything = await spokesperson.get<{ items: FaqView[] }>('/faqs');
    expect(everything.body.items.some((f) => f.status !== 'approved')).toBe(true);
    const seen = await viewer.get<{ items: FaqView[] }>('/faqs');
    expect(seen.body.items.map((f) => f.id)).toEqual(everything.body.items.filter((f) => f.status === 'approved').map((f) => f.id));
    const draft = everything.body.items.find((f) => f.status !== 'approved');
    expect((await viewer.get(`/faqs/${draft?.id}`)).status).toBe(403);
  });
});

describe('saveAsFaq from an escalation reply', () => {
  it('turns the officer’s reply into a draft once, however often it is saved', async () => {
    const asked = await citizenAsks(t, 'Tôi muốn đăng ký lịch hẹn nộp hồ sơ buổi chiều được không?');
    const reply = await spokesperson.post<{ faq?: { faqId: string } }>(`/escalations/${asked.escalationId}/reply`, {
      text: 'Được, anh/chị đặt lịch trên Cổng dịch vụ công hoặc gọi tổng đài của Sở.',
      saveAsFaq: true,
    });
    expect(reply.status).toBe(200);
    const faqId = reply.body.faq?.faqId;
    expect(faqId).toBeTypeOf('string');
    const faq = await admin.get<One>(`/faqs/${faqId}`);
    expect(faq.body.faq).toMatchObject({
      status: 'draft',
      sourceEscalationId: asked.escalationId,
      createdBy: spokesperson.user.email,
      answer: 'Được, anh/chị đặt lịch trên Cổng dịch vụ công hoặc gọi tổng đài của Sở.',
    });
    expect(faq.body.faq.questions[0]).toContain('lịch hẹn nộp hồ sơ');

    const second = await createFaqFromEscalation(t.deps(), {
      question: 'x',
      answer: 'y',
      citations: [],
      escalationId: asked.escalationId,
      officer: spokesperson.user.email,
    });
    expect(second.faqId).toBe(faqId);
    expect(await auditActions(`faq:${faqId}`)).toEqual(['faq.create']);
  });
});
