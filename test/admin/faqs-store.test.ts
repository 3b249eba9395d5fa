import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Citation } from '../../retrieval/types.ts';
import { SqliteConversationStore } from '../../storage/sqlite/conversation-store.ts';
import { SqliteEscalationStore } from '../../storage/sqlite/escalation-store.ts';
import { SqliteFaqStore } from '../../storage/sqlite/faq-store.ts';
import { SqliteReportStore } from '../../storage/sqlite/report-store.ts';
import { tempDatabase } from '../storage/temp-sqlite.ts';
import { buildFaqDocument, faqUnit } from '../../admin/faqs/faq-knowledge.ts';
import { citesDocument } from '../../admin/faqs/review.ts';

const citation = (id: string): Citation => ({ id, title: 'Luật Cư trú', number: '68/2020/QH14', section: 'Điều 20, Khoản 1', status: 'in_force', quote: '…', score: 1 });
const T0 = new Date('2025-03-01T00:00:00Z');
const later = (s: number) => new Date(T0.getTime() + s * 1000);

let temp: ReturnType<typeof tempDatabase>;
let faqs: SqliteFaqStore;
let reports: SqliteReportStore;
let conversations: SqliteConversationStore;

beforeEach(() => {
  temp = tempDatabase();
  const db = temp.open();
  conversations = new SqliteConversationStore(db);
  new SqliteEscalationStore(db);
  faqs = new SqliteFaqStore(db);
  reports = new SqliteReportStore(db);
});
afterEach(() => temp.cleanup());

describe('SqliteFaqStore', () => {
  it('creates drafts, once per escalation', async () => {
    const a = await faqs.create({ questions: ['Hỏi?'], answer: 'Đáp.', citations: [citation('luat-cu-tru::20.1')], createdBy: 'a@x', sourceEscalationId: 'e1' }, T0);
    const again = await faqs.create({ questions: ['Khác?'], answer: 'Khác.', citations: [], createdBy: 'b@x', sourceEscalationId: 'e1' }, later(5));
    expect(again).toEqual(a);
    expect(a).toMatchObject({ status: 'draft', version: 1, createdBy: 'a@x', updatedBy: 'a@x', sourceEscalationId: 'e1' });
    expect((await faqs.findByEscalation('e1'))?.id).toBe(a.id);
    const b = await faqs.create({ questions: ['Hai?'], answer: 'Hai.', citations: [], createdBy: 'a@x' }, later(1));
    expect(b.id).not.toBe(a.id);
    expect(await faqs.count()).toBe(2);
  });

  it('moves through its statuses only along allowed transitions', async () => {
    const f = await faqs.create({ questions: ['Hỏi?'], answer: 'Đáp.', citations: [], createdBy: 'a@x' }, T0);
    expect(await faqs.markNeedsReview(f.id, 'x', later(1))).toMatchObject({ ok: false, reason: 'wrong_status' });
    const approved = await faqs.approve(f.id, 'boss@x', later(2));
    expect(approved).toMatchObject({ ok: true, faq: { status: 'approved', approvedBy: 'boss@x', approvedAt: later(2).toISOString(), version: 2 } });
    expect(await faqs.approve(f.id, 'boss@x', later(3))).toMatchObject({ ok: false, reason: 'wrong_status' });

    // Editing: allowed statuses and the expected version are both checked.
    expect(await faqs.update(f.id, { answer: 'Mới.' }, { by: 'a@x', allowed: ['draft', 'needs_review'] }, later(4))).toMatchObject({ ok: false, reason: 'wrong_status' });
    expect(await faqs.update(f.id, { answer: 'Mới.' }, { by: 'boss@x', allowed: ['approved'], expectedVersion: 1 }, later(4))).toMatchObject({
      ok: false,
      reason: 'version_conflict',
    });
    const edited = await faqs.update(f.id, { answer: 'Mới.', questions: ['Hỏi?', 'Hỏi khác?'] }, { by: 'boss@x', allowed: ['approved'], expectedVersion: 2 }, later(4));
    expect(edited).toMatchObject({ ok: true, faq: { answer: 'Mới.', questions: ['Hỏi?', 'Hỏi khác?'], version: 3, updatedBy: 'boss@x' } });

    expect(await faqs.markNeedsReview(f.id, 'Luật đã thay thế', later(5))).toMatchObject({ ok: true, faq: { status: 'needs_review', reviewReason: 'Luật đã thay thế' } });
    expect((await faqs.approve(f.id, 'boss@x', later(6))).ok).toBe(true);
    expect((await faqs.get(f.id))?.reviewReason).toBeUndefined();
    expect(await faqs.retire(f.id, 'boss@x', later(7))).toMatchObject({ ok: true, faq: { status: 'retired', retiredBy: 'boss@x' } });
    expect(await faqs.retire(f.id, 'boss@x', later(8))).toMatchObject({ ok: false, reason: 'wrong_status' });
    expect(await faqs.approve('999', 'boss@x', later(9))).toMatchObject({ ok: false, reason: 'not_found' });
    expect(await faqs.get('1; DROP TABLE faqs')).toBeUndefined();

    expect((await faqs.list({ status: 'retired' })).map((x) => x.id)).toEqual([f.id]);
    expect(await faqs.list({ status: ['draft', 'approved'] })).toEqual([]);
  });
});

describe('FAQ knowledge', () => {
  it('puts every question variant, the answer and its legal basis into one unit', async () => {
    const f = await faqs.create({ questions: ['Hỏi một?', 'Hỏi hai?'], answer: 'Đáp án.', citations: [citation('luat-cu-tru::20.1')], createdBy: 'a@x' }, T0);
    const unit = faqUnit(f);
    expect(unit).toMatchObject({ id: `faq::${f.id}`, docId: 'faq', kind: 'faq', section: 'Hỏi đáp', heading: 'Hỏi một?' });
    expect(unit.text).toBe('Hỏi một?\nHỏi hai?\n\nĐáp án.\n\nCăn cứ: Luật Cư trú (68/2020/QH14), Điều 20, Khoản 1.');
    const doc = buildFaqDocument([f], 'Sở Tư pháp', T0);
    expect(doc).toMatchObject({ id: 'faq', title: 'Câu trả lời của Sở Tư pháp', meta: { status: 'in_force', docType: 'FAQ', isSummary: false } });
    // Same FAQs, same hash: the index is not rebuilt for nothing.
    expect(buildFaqDocument([f], 'Sở Tư pháp', later(60))?.contentHash).toBe(doc?.contentHash);
    expect(buildFaqDocument([], 'Sở Tư pháp', T0)).toBeUndefined();
  });

  it('finds the FAQs that cite a document', async () => {
    const f = await faqs.create({ questions: ['Hỏi?'], answer: 'Đáp.', citations: [citation('luat-cu-tru::20.1'), citation('ALQAC-7')], createdBy: 'a@x' }, T0);
    expect(citesDocument(f, { docId: 'luat-cu-tru' })).toBe(true);
    expect(citesDocument(f, { docId: 'luat-cu' })).toBe(false);
    expect(citesDocument(f, { docId: 'blds', unitIds: new Set(['ALQAC-7']) })).toBe(true);
    expect(citesDocument(f, { docId: 'luat-cu-tru', only: (id) => id !== 'luat-cu-tru::20.1' })).toBe(false);
  });
});

describe('FAQ usage from conversation turns', () => {
  it('counts turns citing the FAQ at or after its approval', async () => {
    const turn = (at: number, ids: string[]) =>
      conversations.recordTurn({
        channel: 'zalo',
        userId: 'u',
        intent: 'question',
        userText: 'q',
        replyKind: 'answer',
        citations: ids.map(citation),
        createdAt: later(at).toISOString(),
      });
    await turn(10, ['faq::1']); // before the approval below
    await turn(100, ['faq::1', 'luat-cu-tru::20']);
    await turn(200, ['luat-cu-tru::20', 'faq::1']);
    await turn(300, ['faq::2']);
    await turn(400, ['faq::10']);
    const usage = await reports.citationUsage([
      { citationId: 'faq::1', since: later(50).toISOString() },
      { citationId: 'faq::2', since: later(0).toISOString() },
      { citationId: 'faq::3', since: later(0).toISOString() },
    ]);
    expect(usage.get('faq::1')).toEqual({ count: 2, lastAt: later(200).toISOString() });
    expect(usage.get('faq::2')).toEqual({ count: 1, lastAt: later(300).toISOString() });
    expect(usage.has('faq::3')).toBe(false);
    expect((await reports.citationUsage([])).size).toBe(0);
  });
});
