import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Citation } from '../../retrieval/types.ts';
import type { ConversationStore } from '../../storage/conversation-store.ts';
import type { FaqStore } from '../../storage/faq-store.ts';
import type { ReportStore } from '../../storage/report-store.ts';
import { tempDatabase } from '../support/temp-sqlite.ts';
import { buildFaqDocument, faqUnit } from '../../admin/faqs/faq-knowledge.ts';
import { citesDocument } from '../../admin/faqs/review.ts';

const citation = (id: string): Citation => ({ id, title: 'Luật Cư trú', number: '68/2020/QH14', section: 'Điều 20, Khoản 1', status: 'in_force', quote: '…', score: 1 });
const T0 = new Date('2025-03-01T00:00:00Z');
const later = (s: number) => new Date(T0.getTime() + s * 1000);

let temp: ReturnType<typeof tempDatabase>;
let faqs: FaqStore;
let reports: ReportStore;
let conversations: ConversationStore;

beforeEach(async () => {
  temp = tempDatabase();
  ({ conversations, faqs, reports } = await temp.storage());
});
afterEach(() => temp.cleanup());

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
