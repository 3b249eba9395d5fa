import { describe, expect, it } from 'vitest';
import type { ChannelName, Recipient } from '../../../bots/core/types.ts';
import type { NewEscalation } from '../../../storage/escalation-store.ts';
import { useBackend, type BackendFactory } from './backend.ts';

const zalo: Recipient = { channel: 'zalo', userId: 'u1', address: { userId: 'u1' } };
const telegram: Recipient = { channel: 'telegram', userId: 'u2', address: { chatId: 2 } };
const input = (recipient: Recipient, question: string, sourceKey?: string): NewEscalation => ({
  sourceKey,
  reason: 'abstained',
  abstainReason: 'low_confidence',
  recipient,
  question,
  context: [{ at: '2025-03-01T07:59:00.000Z', userText: 'trước đó', replyText: 'đáp' }],
  candidates: [{ id: 'c1', title: 'Luật Đất đai', section: 'Điều 100', status: 'in_force', quote: '…', score: 0.2 }],
});
const at = (minute: number) => new Date(Date.UTC(2025, 2, 1, 8, minute));

/** EscalationStore behaviour every backend must have. */
export function escalationStoreContract(factory: BackendFactory): void {
  describe('EscalationStore', () => {
    const db = useBackend(factory);
    const open = async () => (await db().connect()).escalations();

    it('creates once per source key and reads back everything it stored', async () => {
      const store = await open();
      const a = await store.create(input(zalo, 'Hỏi về đất', 'inbox:1'), at(0));
      const b = await store.create(input(zalo, 'Khác', 'inbox:1'), at(1));
      expect(b.id).toBe(a.id);
      expect(await store.get(a.id)).toEqual({
        id: a.id,
        sourceKey: 'inbox:1',
        status: 'open',
        reason: 'abstained',
        abstainReason: 'low_confidence',
        channel: 'zalo',
        recipient: zalo,
        question: 'Hỏi về đất',
        context: input(zalo, '').context,
        candidates: input(zalo, '').candidates,
        createdAt: at(0).toISOString(),
        updatedAt: at(0).toISOString(),
        deliveryStatus: 'none',
      });
      expect(await store.get('missing')).toBeUndefined();
    });

    it('lists by status, channel and assignee, newest first, and counts the same way', async () => {
      const store = await open();
      const e1 = await store.create(input(zalo, 'một'), at(0));
      const e2 = await store.create(input(telegram, 'hai'), at(1));
      const e3 = await store.create(input(zalo, 'ba'), at(2));
      const e4 = await store.create(input(zalo, 'bốn'), at(2));
      await store.claim(e3.id, 'cb1', at(3));
      expect((await store.list()).map((e) => e.id)).toEqual([e4.id, e3.id, e2.id, e1.id]);
      expect((await store.list({ status: 'open' })).map((e) => e.id)).toEqual([e4.id, e2.id, e1.id]);
      expect((await store.list({ status: ['open', 'claimed'], channel: 'zalo' })).map((e) => e.id)).toEqual([e4.id, e3.id, e1.id]);
      expect((await store.list({ limit: 1, offset: 2 })).map((e) => e.id)).toEqual([e2.id]);
      expect((await store.list({ assignee: 'cb1' })).map((e) => e.id)).toEqual([e3.id]);
      expect(await store.count?.()).toBe(4);
      expect(await store.count?.({ status: 'open', channel: 'zalo', limit: 1 })).toBe(2);
    });

    it('searches questions ignoring case and diacritics; every word must match; wildcards are literal', async () => {
      const store = await open();
      const create = (question: string, channel: ChannelName = 'webchat') => store.create({ reason: 'abstained', recipient: { channel, userId: 'u', address: {} }, question, context: [], candidates: [] }, at(0));
      await create('Thủ tục làm CCCD cho con dưới 14 tuổi?');
      await create('Đăng ký thường trú ở Hà Nội cần gì?');
      await create('Lương tối thiểu vùng 100% năm 2026');
      expect((await store.list({ query: 'cccd' })).map((e) => e.question)).toEqual(['Thủ tục làm CCCD cho con dưới 14 tuổi?']);
      expect(await store.list({ query: 'dang ky thuong tru' })).toHaveLength(1);
      expect(await store.list({ query: 'ĐĂNG KÝ' })).toHaveLength(1);
      expect(await store.list({ query: 'dang ky cccd' })).toHaveLength(0);
      expect(await store.list({ query: '100%' })).toHaveLength(1);
      expect(await store.list({ query: '%' })).toHaveLength(1);
      expect(await store.list({ query: '_' })).toHaveLength(0);
      expect(await store.count?.({ query: 'u' })).toBe(3);
    });

    it('claims exclusively and answers only through the holder', async () => {
      const store = await open();
      const e = await store.create(input(zalo, 'một'), at(0));
      expect(await store.claim(e.id, 'cb1', at(1))).toMatchObject({ ok: true, escalation: { status: 'claimed', assignee: 'cb1', claimedAt: at(1).toISOString() } });
      // Claiming again as the holder is harmless and keeps the first claim time.
      expect(await store.claim(e.id, 'cb1', at(2))).toMatchObject({ ok: true, escalation: { claimedAt: at(1).toISOString() } });
      expect(await store.claim(e.id, 'cb2', at(2))).toMatchObject({ ok: false, reason: 'claimed_by_other', escalation: { assignee: 'cb1' } });
      expect(await store.recordAnswer(e.id, { text: 'x', citations: [], officer: 'cb2' }, at(2))).toMatchObject({ ok: false, reason: 'claimed_by_other' });

      const cites = input(zalo, '').candidates;
      const answered = await store.recordAnswer(e.id, { text: 'Trả lời', citations: cites, officer: 'cb1' }, at(3));
      expect(answered).toMatchObject({ ok: true, escalation: { status: 'claimed', answerText: 'Trả lời', answerCitations: cites, answeredBy: 'cb1', answeredAt: at(3).toISOString(), deliveryStatus: 'pending' } });
      expect(await store.markDeliveryProblem(e.id, 'failed', 'blocked', at(4))).toMatchObject({ status: 'claimed', deliveryStatus: 'failed', deliveryError: 'blocked' });
      expect(await store.markDelivered(e.id, at(5))).toMatchObject({ status: 'answered', deliveryStatus: 'sent', deliveredAt: at(5).toISOString() });
      // A late failure report does not undo a delivery.
      expect(await store.markDeliveryProblem(e.id, 'failed', 'late', at(6))).toMatchObject({ deliveryStatus: 'sent' });
      expect(await store.close(e.id, 'x', at(7))).toMatchObject({ ok: false, reason: 'finished' });
      expect(await store.recordAnswer('missing', { text: 'x', citations: [], officer: 'cb1' }, at(1))).toEqual({ ok: false, reason: 'not_found' });
    });

    it('answers an open escalation directly, claiming it for the officer', async () => {
      const store = await open();
      const e = await store.create(input(zalo, 'một'), at(0));
      expect(await store.recordAnswer(e.id, { text: 'Trả lời', citations: [], officer: 'cb1' }, at(1))).toMatchObject({ ok: true, escalation: { assignee: 'cb1' } });
      expect(await store.recordAnswer('missing', { text: 'x', citations: [], officer: 'cb1' }, at(1))).toEqual({ ok: false, reason: 'not_found' });
    });

    it('gives an escalation to exactly one of several officers claiming at once on two connections', async () => {
      const one = await open();
      const two = await open();
      const e = await one.create(input(zalo, 'ai nhận?'), at(0));
      const officers = ['a@so.vn', 'b@so.vn', 'c@so.vn', 'd@so.vn'];
      const results = await Promise.all(officers.map((o, i) => (i % 2 ? one : two).claim(e.id, o, at(1))));
      const winners = results.filter((r) => r.ok);
      expect(winners).toHaveLength(1);
      const holder = winners[0].ok ? winners[0].escalation.assignee : undefined;
      expect((await two.get(e.id))?.assignee).toBe(holder);
      expect(results.filter((r) => !r.ok && r.reason === 'claimed_by_other')).toHaveLength(3);
    });

    it('closes an open escalation with a reason, without a claim', async () => {
      const store = await open();
      const e = await store.create(input(zalo, 'một'), at(0));
      expect(await store.close(e.id, 'không thuộc thẩm quyền', at(1))).toMatchObject({ ok: true, escalation: { status: 'closed', closedReason: 'không thuộc thẩm quyền' } });
      expect(await store.claim(e.id, 'cb1', at(2))).toMatchObject({ ok: false, reason: 'finished' });
    });

    it('assign hands over a claimed escalation, but not an answered one or one whose reply is on its way', async () => {
      const store = await open();
      const a = await store.create(input(zalo, 'q1'), at(0));
      await store.claim(a.id, 'lan@so.vn', at(0));
      const moved = await store.assign?.(a.id, 'minh@so.vn', at(1));
      expect(moved).toMatchObject({ ok: true, escalation: { status: 'claimed', assignee: 'minh@so.vn', claimedAt: at(1).toISOString() } });

      await store.recordAnswer(a.id, { text: 'trả lời', citations: [], officer: 'minh@so.vn' }, at(2));
      expect(await store.assign?.(a.id, 'lan@so.vn', at(3))).toMatchObject({ ok: false, reason: 'claimed_by_other' });
      await store.markDelivered(a.id, at(4));
      expect(await store.assign?.(a.id, 'lan@so.vn', at(5))).toMatchObject({ ok: false, reason: 'finished' });
      expect(await store.assign?.('nope', 'lan@so.vn', at(5))).toMatchObject({ ok: false, reason: 'not_found' });
    });

    it('closes with a reason, and an administrator can reassign', async () => {
      const store = await open();
      const e = await store.create(input(zalo, 'một'), at(0));
      await store.claim(e.id, 'cb1', at(1));
      expect(await store.assign?.(e.id, 'cb2', at(2))).toMatchObject({ ok: true, escalation: { assignee: 'cb2', claimedAt: at(2).toISOString() } });
      expect(await store.close(e.id, 'không thuộc thẩm quyền', at(3))).toMatchObject({ ok: true, escalation: { status: 'closed', closedReason: 'không thuộc thẩm quyền' } });
      expect(await store.claim(e.id, 'cb1', at(4))).toMatchObject({ ok: false, reason: 'finished' });
      expect(await store.assign?.(e.id, 'cb1', at(4))).toMatchObject({ ok: false, reason: 'finished' });
    });
  });
}
