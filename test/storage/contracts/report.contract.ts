import { describe, expect, it } from 'vitest';
import type { Recipient } from '../../../bots/core/types.ts';
import type { Citation } from '../../../retrieval/types.ts';
import type { ReportRange } from '../../../storage/report-store.ts';
import { useBackend, type BackendFactory, type StoreSet } from './backend.ts';
import { officerActor, SYSTEM_ACTOR } from '../../../domain/escalation.ts';

const law: Citation = { id: 'luat::1', title: 'Luật Cư trú', section: 'Điều 1', status: 'in_force', quote: 'dài …', score: 0.8 };
const faq: Citation = { id: 'faq::9', title: 'Câu hỏi thường gặp', section: 'Hỏi đáp', status: 'in_force', quote: '…', score: 0.9, kind: 'faq' };
const zalo: Recipient = { channel: 'zalo', userId: 'z1', address: {} };
const telegram: Recipient = { channel: 'telegram', userId: 't1', address: {} };
const utc = (s: string) => new Date(`2025-03-${s}Z`);
/** Việt Nam (UTC+7): 2025-03-01T18:00Z is already 2 March there. */
const range: ReportRange = { from: '2025-03-01T00:00:00.000Z', to: '2025-03-03T00:00:00.000Z', utcOffsetMinutes: 420 };

/** A day of traffic: answers, escalations (answered, closed, open), a person request, feedback. */
async function seed(stores: StoreSet) {
  const escalations = await stores.escalations();
  const turns = await stores.conversations();
  const base = { context: [], candidates: [law] };
  const e1 = await escalations.create({ ...base, reason: 'abstained', recipient: zalo, question: 'đêm khuya' }, utc('01T18:00:00'));
  await escalations.apply(e1.id, { type: 'answer', text: 'Trả lời', citations: [] }, officerActor('lan@so.vn'), utc('01T18:30:00'));
  await escalations.apply(e1.id, { type: 'delivered' }, SYSTEM_ACTOR, utc('01T19:00:00'));
  const e2 = await escalations.create({ ...base, reason: 'abstained', recipient: telegram, question: 'đóng' }, utc('01T09:00:00'));
  await escalations.apply(e2.id, { type: 'close', reason: 'trùng lặp' }, officerActor('lan@so.vn'), utc('01T09:30:00'));
  const e3 = await escalations.create({ ...base, reason: 'requested', recipient: telegram, question: 'gặp cán bộ' }, utc('01T10:00:00'));

  const t = (inboxId: number, fields: Parameters<typeof turns.recordTurn>[0]) => turns.recordTurn({ ...fields, inboxId });
  const answered = await t(1, { channel: 'zalo', userId: 'z1', intent: 'question', userText: 'thường trú?', replyKind: 'answer', replyText: 'x', citations: [law], answerId: 'a1', confidence: 0.8, createdAt: '2025-03-01T08:00:00.000Z' });
  await t(2, { channel: 'zalo', userId: 'z1', intent: 'question', userText: 'đêm khuya', replyKind: 'escalated', replyText: 'đã chuyển', abstained: true, abstainReason: 'low_confidence', escalated: true, escalationId: e1.id, createdAt: '2025-03-01T18:00:00.000Z' });
  await t(3, { channel: 'telegram', userId: 't1', intent: 'question', userText: 'đóng', replyKind: 'escalated', replyText: 'đã chuyển', escalated: true, escalationId: e2.id, createdAt: '2025-03-01T09:00:00.000Z' });
  await t(4, { channel: 'telegram', userId: 't1', intent: 'human', userText: 'gặp cán bộ', replyKind: 'escalated', replyText: 'đã chuyển', escalated: true, escalationId: e3.id, createdAt: '2025-03-01T10:00:00.000Z' });
  await turns.recordTurn({ channel: 'zalo', userId: 'z1', intent: 'spokesperson_reply', replyKind: 'spokesperson_reply', replyText: 'Trả lời', answerId: 'r1', escalated: true, escalationId: e1.id, createdAt: '2025-03-01T19:00:00.000Z' });
  await t(6, { channel: 'zalo', userId: 'z2', intent: 'question', userText: 'ngoài kỳ', createdAt: '2025-03-05T08:00:00.000Z' });
  await t(7, { channel: 'zalo', userId: 'z2', intent: 'question', userText: 'faq', replyKind: 'answer', replyText: 'y', citations: [law, faq], answerId: 'a3', createdAt: '2025-03-01T12:00:00.000Z' });
  await turns.recordFeedback('a1', 'down', utc('01T20:00:00'));
  await turns.recordFeedbackReason('a1', 'incomplete', utc('01T20:01:00'));
  await turns.recordFeedback('r1', 'up', utc('01T20:00:00'));
  return { e1, e2, e3, answered };
}

/** ReportStore behaviour every backend must have. */
export function reportStoreContract(factory: BackendFactory): void {
  describe('ReportStore', () => {
    const db = useBackend(factory);

    it('counts questions per local day and channel, with what became of them', async () => {
      const stores = await db().connect();
      await seed(stores);
      const reports = await stores.reports();
      const zero = { answered: 0, escalated: 0, escalatedAnswered: 0, escalatedClosed: 0, unanswered: 0, personRequests: 0 };
      expect(await reports.questionCounts(range)).toEqual([
        { ...zero, day: '2025-03-01', channel: 'telegram', questions: 1, escalated: 1, escalatedClosed: 1, personRequests: 1 },
        { ...zero, day: '2025-03-01', channel: 'zalo', questions: 2, answered: 2 },
        { ...zero, day: '2025-03-02', channel: 'zalo', questions: 1, escalated: 1, escalatedAnswered: 1 },
      ]);
      expect((await reports.questionCounts({ ...range, channel: 'telegram' })).map((r) => r.channel)).toEqual(['telegram']);
      // In UTC the late question still belongs to 1 March.
      expect((await reports.questionCounts({ ...range, utcOffsetMinutes: 0, channel: 'zalo' })).map((r) => [r.day, r.questions])).toEqual([['2025-03-01', 3]]);
    });

    it('counts feedback, escalations and response times', async () => {
      const stores = await db().connect();
      await seed(stores);
      const reports = await stores.reports();
      expect(await reports.feedbackCounts(range)).toEqual([
        { channel: 'zalo', replyKind: 'answer', replies: 2, up: 0, down: 1, wrong: 0, incomplete: 1, unclear: 0 },
        { channel: 'zalo', replyKind: 'spokesperson_reply', replies: 1, up: 1, down: 0, wrong: 0, incomplete: 0, unclear: 0 },
      ]);
      expect(await reports.escalationCounts(range)).toEqual([
        { channel: 'telegram', reason: 'abstained', status: 'closed', count: 1 },
        { channel: 'telegram', reason: 'requested', status: 'open', count: 1 },
        { channel: 'zalo', reason: 'abstained', status: 'answered', count: 1 },
      ]);
      expect(await reports.responseTimes(range)).toEqual([{ channel: 'zalo', seconds: 3600 }]);
      expect(await reports.responseTimes({ ...range, channel: 'telegram' })).toEqual([]);
    });

    it('lists questions with their sources, escalation and feedback, oldest or newest first', async () => {
      const stores = await db().connect();
      const { e1, answered } = await seed(stores);
      const reports = await stores.reports();
      const all = await reports.questions(range);
      expect(all.map((q) => q.text)).toEqual(['thường trú?', 'đóng', 'faq', 'đêm khuya']);
      expect(all[0]).toEqual({
        turnId: answered.id, createdAt: '2025-03-01T08:00:00.000Z', day: '2025-03-01', channel: 'zalo', userId: 'z1', text: 'thường trú?',
        escalated: false, abstained: false, confidence: 0.8, citations: [{ id: 'luat::1', title: 'Luật Cư trú', section: 'Điều 1' }], candidates: [], feedback: 'down', feedbackReason: 'incomplete',
      });
      expect(all[2].citations).toEqual([{ id: 'luat::1', title: 'Luật Cư trú', section: 'Điều 1' }, { id: 'faq::9', title: 'Câu hỏi thường gặp', section: 'Hỏi đáp', kind: 'faq' }]);
      expect(all[3]).toMatchObject({ day: '2025-03-02', escalated: true, abstained: true, abstainReason: 'low_confidence', escalationId: e1.id, escalationStatus: 'answered', replyFeedback: 'up', candidates: [{ id: 'luat::1' }] });
      expect((await reports.questions(range, { limit: 2, newest: true })).map((q) => q.text)).toEqual(['faq', 'đêm khuya']);
      expect((await reports.questions(range, { limit: 1 })).map((q) => q.text)).toEqual(['thường trú?']);
    });

    it('lists the bare question texts of a period, per channel', async () => {
      const stores = await db().connect();
      await seed(stores);
      const reports = await stores.reports();
      const texts = await reports.questionTexts(range);
      expect(texts.map((q) => q.text).sort()).toEqual(['faq', 'thường trú?', 'đóng', 'đêm khuya'].sort());
      expect(texts.find((q) => q.text === 'thường trú?')).toEqual({ channel: 'zalo', userId: 'z1', text: 'thường trú?' });
      expect((await reports.questionTexts({ ...range, channel: 'telegram' })).every((q) => q.channel === 'telegram')).toBe(true);
    });

    it('counts how often citations were used since a moment', async () => {
      const stores = await db().connect();
      await seed(stores);
      const reports = await stores.reports();
      const usage = await reports.citationUsage([
        { citationId: 'luat::1', since: '2025-03-01T00:00:00.000Z' },
        { citationId: 'faq::9', since: '2025-03-01T13:00:00.000Z' },
        { citationId: 'none', since: '2025-03-01T00:00:00.000Z' },
      ]);
      expect([...usage.entries()]).toEqual([['luat::1', { count: 2, lastAt: '2025-03-01T12:00:00.000Z' }]]);
      expect(await reports.citationUsage([{ citationId: 'faq::9', since: '2025-03-01T12:00:00.000Z' }])).toEqual(new Map([['faq::9', { count: 1, lastAt: '2025-03-01T12:00:00.000Z' }]]));
      expect(await reports.citationUsage([])).toEqual(new Map());
    });
  });
}
