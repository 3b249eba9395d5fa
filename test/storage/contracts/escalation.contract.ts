import { describe, expect, it } from 'vitest';
import type { ChannelName, Recipient } from '../../../bots/core/types.ts';
import { officerActor, SYSTEM_ACTOR, type EscalationEvent } from '../../../domain/escalation.ts';
import type { Citation } from '../../../retrieval/types.ts';
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
const cb1 = officerActor('cb1');
const cb2 = officerActor('cb2');
const admin = officerActor('admin@so.vn', true);
const claim: EscalationEvent<Citation> = { type: 'claim' };
const answer = (text: string): EscalationEvent<Citation> => ({ type: 'answer', text, citations: [] });
const close = (reason: string): EscalationEvent<Citation> => ({ type: 'close', reason });
const assign = (officer: string): EscalationEvent<Citation> => ({ type: 'assign', officer });

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
      await store.apply(e3.id, claim, cb1, at(3));
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
      expect(await store.apply(e.id, claim, cb1, at(1))).toMatchObject({ ok: true, escalation: { status: 'claimed', assignee: 'cb1', claimedAt: at(1).toISOString() } });
      // Claiming again as the holder is harmless and keeps the first claim time.
      expect(await store.apply(e.id, claim, cb1, at(2))).toMatchObject({ ok: true, escalation: { claimedAt: at(1).toISOString() } });
      expect(await store.apply(e.id, claim, cb2, at(2))).toMatchObject({ ok: false, reason: 'claimed_by_other', escalation: { assignee: 'cb1' } });
      expect(await store.apply(e.id, answer('x'), cb2, at(2))).toMatchObject({ ok: false, reason: 'claimed_by_other' });

      const cites = input(zalo, '').candidates;
      const answered = await store.apply(e.id, { type: 'answer', text: 'Trả lời', citations: cites }, cb1, at(3));
      expect(answered).toMatchObject({ ok: true, escalation: { status: 'claimed', answerText: 'Trả lời', answerCitations: cites, answeredBy: 'cb1', answeredAt: at(3).toISOString(), deliveryStatus: 'pending' } });
      // While it is on its way (answering) nobody answers again, the holder included.
      expect(await store.apply(e.id, answer('lần hai'), cb1, at(3))).toMatchObject({ ok: false, reason: 'answer_in_progress', escalation: { answerText: 'Trả lời' } });
      expect(await store.apply(e.id, { type: 'delivery_failed', error: 'blocked' }, SYSTEM_ACTOR, at(4))).toMatchObject({ ok: true, escalation: { status: 'claimed', deliveryStatus: 'failed', deliveryError: 'blocked' } });
      expect(await store.apply(e.id, { type: 'delivered' }, SYSTEM_ACTOR, at(5))).toMatchObject({ ok: true, escalation: { status: 'answered', deliveryStatus: 'sent', deliveredAt: at(5).toISOString() } });
      // A late failure report does not undo a delivery.
      expect(await store.apply(e.id, { type: 'delivery_failed', error: 'late' }, SYSTEM_ACTOR, at(6))).toMatchObject({ ok: false, reason: 'already_answered', escalation: { deliveryStatus: 'sent' } });
      expect(await store.apply(e.id, close('x'), cb1, at(7))).toMatchObject({ ok: false, reason: 'already_answered' });
      expect(await store.apply('missing', answer('x'), cb1, at(1))).toEqual({ ok: false, reason: 'not_found' });
      // Officers do not report deliveries, and the outbox does not claim.
      expect(await store.apply(e.id, { type: 'delivered' }, cb1, at(8))).toMatchObject({ ok: false, reason: 'not_allowed' });
    });

    it('answers an open escalation directly, claiming it for the officer', async () => {
      const store = await open();
      const e = await store.create(input(zalo, 'một'), at(0));
      expect(await store.apply(e.id, answer('Trả lời'), cb1, at(1))).toMatchObject({ ok: true, escalation: { assignee: 'cb1', claimedAt: at(1).toISOString() } });
      expect(await store.apply(e.id, claim, SYSTEM_ACTOR, at(1))).toMatchObject({ ok: false, reason: 'not_allowed' });
    });

    it('a failed reply is retried once by its holder or an administrator, and can be answered again', async () => {
      const store = await open();
      const e = await store.create(input(zalo, 'một'), at(0));
      expect(await store.apply(e.id, { type: 'retry' }, cb1, at(1))).toMatchObject({ ok: false, reason: 'nothing_to_retry' });
      await store.apply(e.id, answer('Trả lời'), cb1, at(1));
      expect(await store.apply(e.id, { type: 'retry' }, cb1, at(2))).toMatchObject({ ok: false, reason: 'answer_in_progress' });
      await store.apply(e.id, { type: 'delivery_retrying', error: '429' }, SYSTEM_ACTOR, at(2));
      expect(await store.get(e.id)).toMatchObject({ status: 'claimed', deliveryStatus: 'pending', deliveryError: '429' });
      await store.apply(e.id, { type: 'delivery_failed', error: 'gave up' }, SYSTEM_ACTOR, at(3));
      expect(await store.apply(e.id, { type: 'retry' }, cb2, at(4))).toMatchObject({ ok: false, reason: 'claimed_by_other' });
      expect(await store.apply(e.id, { type: 'retry' }, admin, at(4))).toMatchObject({ ok: true, escalation: { deliveryStatus: 'pending', assignee: 'cb1' } });
      await store.apply(e.id, { type: 'delivery_failed', error: 'again' }, SYSTEM_ACTOR, at(5));
      expect(await store.apply(e.id, answer('Sửa lại'), cb1, at(6))).toMatchObject({ ok: true, escalation: { answerText: 'Sửa lại', deliveryStatus: 'pending' } });
      // Closing or reassigning while a reply is on its way is refused.
      expect(await store.apply(e.id, close('x'), admin, at(7))).toMatchObject({ ok: false, reason: 'answer_in_progress' });
    });

    it('gives an escalation to exactly one of several officers claiming at once on two connections', async () => {
      const one = await open();
      const two = await open();
      const e = await one.create(input(zalo, 'ai nhận?'), at(0));
      const officers = ['a@so.vn', 'b@so.vn', 'c@so.vn', 'd@so.vn'];
      const results = await Promise.all(officers.map((o, i) => (i % 2 ? one : two).apply(e.id, claim, officerActor(o), at(1))));
      const winners = results.filter((r) => r.ok);
      expect(winners).toHaveLength(1);
      const holder = winners[0].ok ? winners[0].escalation.assignee : undefined;
      expect((await two.get(e.id))?.assignee).toBe(holder);
      expect(results.filter((r) => !r.ok && r.reason === 'claimed_by_other')).toHaveLength(3);
    });

    it('stores exactly one of concurrent answers by the same officer on two connections; the others are refused', async () => {
      const one = await open();
      const two = await open();
      for (const claimFirst of [false, true]) {
        const e = await one.create(input(zalo, 'trả lời hai lần?'), at(0));
        if (claimFirst) await one.apply(e.id, claim, cb1, at(0));
        const texts = ['A', 'B', 'C', 'D', 'E', 'F'];
        const results = await Promise.all(texts.map((t, i) => (i % 2 ? one : two).apply(e.id, answer(t), cb1, at(1))));
        const winners = results.flatMap((r) => (r.ok ? [r.escalation] : []));
        expect(winners).toHaveLength(1);
        expect(results.filter((r) => !r.ok && r.reason === 'answer_in_progress')).toHaveLength(texts.length - 1);
        // What is stored is the winner's text, on both connections.
        expect((await two.get(e.id))?.answerText).toBe(winners[0].answerText);
        expect((await one.get(e.id))?.answerText).toBe(winners[0].answerText);
      }
    });

    it('stores exactly one of concurrent answers by different officers to an open escalation', async () => {
      const one = await open();
      const two = await open();
      const e = await one.create(input(zalo, 'ai trả lời?'), at(0));
      const officers = ['a@so.vn', 'b@so.vn', 'c@so.vn', 'd@so.vn'];
      const results = await Promise.all(officers.map((o, i) => (i % 2 ? one : two).apply(e.id, answer(`từ ${o}`), officerActor(o), at(1))));
      const winners = results.flatMap((r) => (r.ok ? [r.escalation] : []));
      expect(winners).toHaveLength(1);
      expect(results.filter((r) => !r.ok && r.reason === 'claimed_by_other')).toHaveLength(3);
      expect(await one.get(e.id)).toMatchObject({ assignee: winners[0].assignee, answeredBy: winners[0].assignee, answerText: `từ ${winners[0].assignee}` });
    });

    it('closes an open escalation with a reason, without a claim', async () => {
      const store = await open();
      const e = await store.create(input(zalo, 'một'), at(0));
      expect(await store.apply(e.id, close('không thuộc thẩm quyền'), cb1, at(1))).toMatchObject({ ok: true, escalation: { status: 'closed', closedReason: 'không thuộc thẩm quyền' } });
      expect(await store.apply(e.id, claim, cb1, at(2))).toMatchObject({ ok: false, reason: 'already_closed' });
    });

    it('only the holder or an administrator closes a claimed escalation', async () => {
      const store = await open();
      const e = await store.create(input(zalo, 'một'), at(0));
      await store.apply(e.id, claim, cb1, at(1));
      expect(await store.apply(e.id, close('spam'), cb2, at(2))).toMatchObject({ ok: false, reason: 'claimed_by_other' });
      expect(await store.apply(e.id, close('spam'), admin, at(2))).toMatchObject({ ok: true, escalation: { status: 'closed' } });
    });

    it('assign hands over a claimed escalation, but not an answered one or one whose reply is on its way', async () => {
      const store = await open();
      const a = await store.create(input(zalo, 'q1'), at(0));
      await store.apply(a.id, claim, officerActor('lan@so.vn'), at(0));
      const moved = await store.apply(a.id, assign('minh@so.vn'), admin, at(1));
      expect(moved).toMatchObject({ ok: true, escalation: { status: 'claimed', assignee: 'minh@so.vn', claimedAt: at(1).toISOString() } });
      // Only administrators assign.
      expect(await store.apply(a.id, assign('lan@so.vn'), officerActor('minh@so.vn'), at(1))).toMatchObject({ ok: false, reason: 'not_allowed' });

      await store.apply(a.id, answer('trả lời'), officerActor('minh@so.vn'), at(2));
      expect(await store.apply(a.id, assign('lan@so.vn'), admin, at(3))).toMatchObject({ ok: false, reason: 'answer_in_progress' });
      await store.apply(a.id, { type: 'delivered' }, SYSTEM_ACTOR, at(4));
      expect(await store.apply(a.id, assign('lan@so.vn'), admin, at(5))).toMatchObject({ ok: false, reason: 'already_answered' });
      expect(await store.apply('nope', assign('lan@so.vn'), admin, at(5))).toMatchObject({ ok: false, reason: 'not_found' });
    });

    it('closes with a reason, and an administrator can reassign', async () => {
      const store = await open();
      const e = await store.create(input(zalo, 'một'), at(0));
      await store.apply(e.id, claim, cb1, at(1));
      expect(await store.apply(e.id, assign('cb2'), admin, at(2))).toMatchObject({ ok: true, escalation: { assignee: 'cb2', claimedAt: at(2).toISOString() } });
      expect(await store.apply(e.id, close('không thuộc thẩm quyền'), officerActor('cb2'), at(3))).toMatchObject({ ok: true, escalation: { status: 'closed', closedReason: 'không thuộc thẩm quyền' } });
      expect(await store.apply(e.id, claim, cb1, at(4))).toMatchObject({ ok: false, reason: 'already_closed' });
      expect(await store.apply(e.id, assign('cb1'), admin, at(4))).toMatchObject({ ok: false, reason: 'already_closed' });
    });
  });
}
