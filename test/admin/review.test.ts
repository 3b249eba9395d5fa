import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaqView } from '../../admin/faqs/schemas.ts';
import type { AuditEntry } from '../../storage/audit-store.ts';
import type { ReviewItem } from '../../storage/review-store.ts';
import { loginAdmin, loginAs, openWebchat, startTestLoa, type StaffClient, type TestLoa } from './harness.ts';
import { askedAndAnswered, REVIEW_DOCUMENT, thumbsDown, uploadDocument } from './review-support.ts';

/**
 * The review queue through the console API on the whole server: citizens ask on the web
 * chat, one gives 👎 and says why; officers see both low-confidence answers and the 👎 one,
 * mark one reviewed and turn one into an FAQ draft; viewers get the counts only.
 */

const PARKING_Q = 'Điểm trông giữ xe của phường mở cửa mấy giờ?';
const BUSINESS_Q = 'Gửi hồ sơ đăng ký hộ kinh doanh ở đâu?';

let t: TestLoa;
let admin: StaffClient;
let spokesperson: StaffClient;
let viewer: StaffClient;

beforeAll(async () => {
  // Every answer counts as low confidence here, so both questions are in the queue.
  t = await startTestLoa({ LOA_SAMPLE_KNOWLEDGE: 'false', LOA_REVIEW_CONFIDENCE: '1' });
  admin = await loginAdmin(t);
  spokesperson = await loginAs(t, 'spokesperson', admin);
  viewer = await loginAs(t, 'viewer', admin);
  await uploadDocument(admin, 'trat-tu-do-thi.md', REVIEW_DOCUMENT);
}, 60_000);
afterAll(async () => {
  await t?.stop();
});

interface Page {
  items: ReviewItem[];
  total: number;
  confidenceBelow: number;
}

describe('review queue', () => {
  it('lists the 👎 answer with its reason and the low-confidence one, newest first; marks, drafts and audits', async () => {
    const one = await openWebchat(t.url);
    const two = await openWebchat(t.url);
    await askedAndAnswered(t, one, PARKING_Q);
    const downed = await askedAndAnswered(t, two, BUSINESS_Q);
    await thumbsDown(t, two, downed, 'chưa đủ');

    const page = await spokesperson.get<Page>('/review');
    expect(page.status).toBe(200);
    expect(page.body.confidenceBelow).toBe(1);
    expect(page.body.total).toBe(2);
    const [first, second] = page.body.items;
    expect(first).toMatchObject({ question: BUSINESS_Q, feedback: 'down', feedbackReason: 'incomplete', causes: ['down', 'low_confidence'], channel: 'webchat' });
    expect(first.answer).toContain('bộ phận một cửa');
    expect(first.citations[0].id).toMatch(/::2$/);
    expect(second).toMatchObject({ question: PARKING_Q, causes: ['low_confidence'] });
    expect((await spokesperson.get<Page>('/review?cause=down')).body.items.map((i) => i.turnId)).toEqual([first.turnId]);
    expect((await spokesperson.get<Page>('/review?limit=1&offset=1')).body).toMatchObject({ total: 2, items: [{ turnId: second.turnId }] });

    const viewerCounts = await viewer.get<{ pending: { down: number; lowConfidence: number; total: number } }>('/review/counts');
    expect(viewerCounts.status).toBe(200);
    expect(viewerCounts.body.pending).toEqual({ down: 1, lowConfidence: 2, total: 2 });
    // The citizens' words are not for viewers.
    expect((await viewer.get('/review')).status).toBe(403);
    expect((await viewer.post(`/review/${second.turnId}/reviewed`)).status).toBe(403);

    const marked = await spokesperson.post<{ review: { reviewedBy: string }; created: boolean }>(`/review/${second.turnId}/reviewed`);
    expect(marked.body).toMatchObject({ created: true, review: { reviewedBy: spokesperson.user.email } });
    expect((await admin.post<{ created: boolean }>(`/review/${second.turnId}/reviewed`)).body.created).toBe(false);
    expect((await spokesperson.get<Page>('/review')).body.items.map((i) => i.turnId)).toEqual([first.turnId]);

    // Two officers press "make an FAQ draft" at once: one draft.
    const drafts = await Promise.all([admin, spokesperson, admin].map((s) => s.post<{ faqId?: string; error?: string }>(`/review/${first.turnId}/faq-draft`)));
    const made = drafts.filter((d) => d.status === 201);
    expect(made).toHaveLength(1);
    const faqId = made[0].body.faqId!;
    for (const d of drafts) expect(d.status === 201 || d.status === 409 || (d.status === 200 && d.body.faqId === faqId)).toBe(true);
    expect((await admin.post<{ faqId: string }>(`/review/${first.turnId}/faq-draft`)).body.faqId).toBe(faqId);
    const faq = (await admin.get<{ faq: FaqView }>(`/faqs/${faqId}`)).body.faq;
    expect(faq).toMatchObject({ status: 'draft', questions: [BUSINESS_Q] });
    expect(faq.citations[0].id).toBe(first.citations[0].id);
    expect((await admin.get<{ items: unknown[] }>('/faqs')).body.items).toHaveLength(1);

    expect(await admin.get<{ pending: unknown; reviewed: number }>('/review/counts').then((r) => r.body)).toMatchObject({ pending: { total: 0 }, reviewed: 2 });
    const audit = async (target: string) => (await admin.get<{ items: AuditEntry[] }>(`/audit?target=${encodeURIComponent(target)}`)).body.items.map((e) => e.action);
    expect(await audit(`turn:${second.turnId}`)).toEqual(['review.mark']);
    expect(await audit(`turn:${first.turnId}`)).toEqual(['review.faq_draft']);
    expect(await audit(`faq:${faqId}`)).toEqual(['faq.create']);
    expect((await spokesperson.post('/review/no-such-turn/reviewed')).status).toBe(404);
  });
});
