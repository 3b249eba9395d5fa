import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Recipient } from '../../bots/core/types.ts';
import type { NewEscalation } from '../../storage/escalation-store.ts';
import { SqliteEscalationStore } from '../../storage/sqlite/escalation-store.ts';
import { tempDatabase } from './temp-sqlite.ts';

let temp: ReturnType<typeof tempDatabase>;
beforeEach(() => {
  temp = tempDatabase();
});
afterEach(() => temp.cleanup());

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

describe('SqliteEscalationStore', () => {
  it('creates once per source key and reads back everything it stored', async () => {
    const store = new SqliteEscalationStore(temp.open());
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
  });

  it('lists by status and channel, newest first', async () => {
    const store = new SqliteEscalationStore(temp.open());
    const e1 = await store.create(input(zalo, 'một'), at(0));
    const e2 = await store.create(input(telegram, 'hai'), at(1));
    const e3 = await store.create(input(zalo, 'ba'), at(2));
    await store.claim(e3.id, 'cb1', at(3));
    expect((await store.list()).map((e) => e.id)).toEqual([e3.id, e2.id, e1.id]);
    expect((await store.list({ status: 'open' })).map((e) => e.id)).toEqual([e2.id, e1.id]);
    expect((await store.list({ status: ['open', 'claimed'], channel: 'zalo' })).map((e) => e.id)).toEqual([e3.id, e1.id]);
    expect((await store.list({ limit: 1, offset: 1 })).map((e) => e.id)).toEqual([e2.id]);
  });

  it('claims exclusively and answers only through the holder', async () => {
    const store = new SqliteEscalationStore(temp.open());
    const e = await store.create(input(zalo, 'một'), at(0));
    expect(await store.claim(e.id, 'cb1', at(1))).toMatchObject({ ok: true, escalation: { status: 'claimed', assignee: 'cb1', claimedAt: at(1).toISOString() } });
    expect(await store.claim(e.id, 'cb2', at(2))).toMatchObject({ ok: false, reason: 'claimed_by_other' });
    expect(await store.recordAnswer(e.id, { text: 'x', citations: [], officer: 'cb2' }, at(2))).toMatchObject({ ok: false, reason: 'claimed_by_other' });

    const answered = await store.recordAnswer(e.id, { text: 'Trả lời', citations: [], officer: 'cb1' }, at(3));
    expect(answered).toMatchObject({ ok: true, escalation: { status: 'claimed', answerText: 'Trả lời', answeredBy: 'cb1', answeredAt: at(3).toISOString(), deliveryStatus: 'pending' } });
    expect(await store.markDeliveryProblem(e.id, 'failed', 'blocked', at(4))).toMatchObject({ status: 'claimed', deliveryStatus: 'failed', deliveryError: 'blocked' });
    expect(await store.markDelivered(e.id, at(5))).toMatchObject({ status: 'answered', deliveryStatus: 'sent', deliveredAt: at(5).toISOString() });
    // A late failure report does not undo a delivery.
    expect(await store.markDeliveryProblem(e.id, 'failed', 'late', at(6))).toMatchObject({ deliveryStatus: 'sent' });
    expect(await store.close(e.id, 'x', at(7))).toMatchObject({ ok: false, reason: 'finished' });
  });

  it('answers an open escalation directly, claiming it for the officer', async () => {
    const store = new SqliteEscalationStore(temp.open());
    const e = await store.create(input(zalo, 'một'), at(0));
    expect(await store.recordAnswer(e.id, { text: 'Trả lời', citations: [], officer: 'cb1' }, at(1))).toMatchObject({ ok: true, escalation: { assignee: 'cb1' } });
    expect(await store.recordAnswer('missing', { text: 'x', citations: [], officer: 'cb1' }, at(1))).toEqual({ ok: false, reason: 'not_found' });
  });

  it('closes with a reason', async () => {
    const store = new SqliteEscalationStore(temp.open());
    const e = await store.create(input(zalo, 'một'), at(0));
    expect(await store.close(e.id, 'không thuộc thẩm quyền', at(1))).toMatchObject({ ok: true, escalation: { status: 'closed', closedReason: 'không thuộc thẩm quyền' } });
    expect(await store.claim(e.id, 'cb1', at(2))).toMatchObject({ ok: false, reason: 'finished' });
  });
});
