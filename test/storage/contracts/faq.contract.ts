import { describe, expect, it } from 'vitest';
import type { Citation } from '../../../retrieval/types.ts';
import { useBackend, type BackendFactory } from './backend.ts';

const T0 = new Date('2026-03-01T08:00:00.000Z');
const at = (s: number) => new Date(T0.getTime() + s * 1000);
const basis: Citation = { id: 'luat-cu-tru::20', title: 'Luật Cư trú', section: 'Điều 20', status: 'in_force', quote: 'Công dân …', score: 0.8 };
const draft = (sourceEscalationId?: string) => ({
  questions: ['Đăng ký thường trú cần gì?', 'dang ky thuong tru'],
  answer: 'Bạn cần giấy tờ chứng minh chỗ ở hợp pháp.',
  citations: [basis],
  createdBy: 'lan@so.vn',
  sourceEscalationId,
});

/** FaqStore behaviour every backend must have. */
export function faqStoreContract(factory: BackendFactory): void {
  describe('FaqStore', () => {
    const db = useBackend(factory);
    const open = async () => (await db().connect()).faqs();

    it('creates drafts, once per escalation, and reads back every field', async () => {
      const faqs = await open();
      const a = await faqs.create(draft('e1'), T0);
      expect(a).toEqual({
        id: a.id, status: 'draft', questions: draft().questions, answer: draft().answer, citations: [basis], createdBy: 'lan@so.vn',
        sourceEscalationId: 'e1', createdAt: T0.toISOString(), updatedAt: T0.toISOString(), updatedBy: 'lan@so.vn', version: 1,
      });
      expect(a.id).toMatch(/^[1-9]\d*$/);
      expect((await faqs.create({ ...draft('e1'), answer: 'khác' }, at(1))).id).toBe(a.id);
      expect(await faqs.findByEscalation('e1')).toEqual(a);
      expect(await faqs.get(a.id)).toEqual(a);
      expect(await faqs.get('abc')).toBeUndefined();
      expect(await faqs.get('999999')).toBeUndefined();
      expect(await faqs.findByEscalation('e2')).toBeUndefined();
    });

    it('approves, marks for review, re-approves and retires, refusing the wrong status', async () => {
      const faqs = await open();
      const f = await faqs.create(draft(), T0);
      expect(await faqs.markNeedsReview(f.id, 'x', at(1))).toMatchObject({ ok: false, reason: 'wrong_status', faq: { status: 'draft' } });
      expect(await faqs.approve(f.id, 'admin@so.vn', at(2))).toMatchObject({ ok: true, faq: { status: 'approved', approvedBy: 'admin@so.vn', approvedAt: at(2).toISOString(), version: 2 } });
      expect(await faqs.approve(f.id, 'admin@so.vn', at(3))).toMatchObject({ ok: false, reason: 'wrong_status' });
      expect(await faqs.markNeedsReview(f.id, 'Luật Cư trú đã được sửa đổi', at(4))).toMatchObject({ ok: true, faq: { status: 'needs_review', reviewReason: 'Luật Cư trú đã được sửa đổi', updatedBy: 'system', version: 3 } });
      const again = await faqs.approve(f.id, 'boss@so.vn', at(5));
      expect(again).toMatchObject({ ok: true, faq: { status: 'approved', approvedBy: 'boss@so.vn' } });
      expect(again.ok && again.faq.reviewReason).toBeUndefined();
      expect(await faqs.retire(f.id, 'boss@so.vn', at(6))).toMatchObject({ ok: true, faq: { status: 'retired', retiredBy: 'boss@so.vn', retiredAt: at(6).toISOString(), version: 5 } });
      expect(await faqs.retire(f.id, 'boss@so.vn', at(7))).toMatchObject({ ok: false, reason: 'wrong_status' });
      expect(await faqs.approve('nope', 'x', at(7))).toEqual({ ok: false, reason: 'not_found' });
      expect(await faqs.retire('42424', 'x', at(7))).toEqual({ ok: false, reason: 'not_found' });
    });

    it('edits only in allowed statuses, and refuses a stale version', async () => {
      const faqs = await open();
      const f = await faqs.create(draft(), T0);
      const edited = await faqs.update(f.id, { answer: 'Câu trả lời mới', questions: ['Hỏi mới?'] }, { by: 'minh@so.vn', allowed: ['draft'], expectedVersion: 1 }, at(1));
      expect(edited).toMatchObject({ ok: true, faq: { answer: 'Câu trả lời mới', questions: ['Hỏi mới?'], citations: [basis], updatedBy: 'minh@so.vn', version: 2, updatedAt: at(1).toISOString() } });
      expect(await faqs.update(f.id, { answer: 'cũ' }, { by: 'x', allowed: ['draft'], expectedVersion: 1 }, at(2))).toMatchObject({ ok: false, reason: 'version_conflict', faq: { version: 2 } });
      expect(await faqs.update(f.id, { citations: [] }, { by: 'x', allowed: ['approved'] }, at(2))).toMatchObject({ ok: false, reason: 'wrong_status' });
      expect(await faqs.update(f.id, { citations: [] }, { by: 'x', allowed: [] }, at(2))).toMatchObject({ ok: false, reason: 'wrong_status' });
      expect(await faqs.update('x1', { citations: [] }, { by: 'x', allowed: ['draft'] }, at(2))).toEqual({ ok: false, reason: 'not_found' });
      expect(await faqs.update(f.id, { citations: [] }, { by: 'x', allowed: ['draft', 'approved'] }, at(3))).toMatchObject({ ok: true, faq: { citations: [], version: 3 } });
    });

    it('lets one of two editors on two connections win with the same version', async () => {
      const one = await open();
      const two = await open();
      const f = await one.create(draft(), T0);
      const results = await Promise.all([
        one.update(f.id, { answer: 'một' }, { by: 'a', allowed: ['draft'], expectedVersion: 1 }, at(1)),
        two.update(f.id, { answer: 'hai' }, { by: 'b', allowed: ['draft'], expectedVersion: 1 }, at(1)),
      ]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok && r.reason === 'version_conflict')).toHaveLength(1);
      expect((await two.get(f.id))?.version).toBe(2);
    });

    it('lists by status, most recently changed first, and counts', async () => {
      const faqs = await open();
      const a = await faqs.create(draft(), T0);
      const b = await faqs.create(draft(), at(1));
      const c = await faqs.create(draft(), at(1));
      await faqs.approve(a.id, 'x', at(5));
      expect((await faqs.list()).map((f) => f.id)).toEqual([a.id, c.id, b.id]);
      expect((await faqs.list({ status: 'draft' })).map((f) => f.id)).toEqual([c.id, b.id]);
      expect((await faqs.list({ status: ['approved', 'retired'] })).map((f) => f.id)).toEqual([a.id]);
      expect((await faqs.list({ limit: 1, offset: 1 })).map((f) => f.id)).toEqual([c.id]);
      expect(await faqs.count()).toBe(3);
      expect(await faqs.count({ status: ['draft'] })).toBe(2);
    });
  });
}
