import { describe, expect, it } from 'vitest';
import type { ConversationStore } from '../../../storage/conversation-store.ts';
import { FAQ_CLAIM_MS } from '../../../storage/review-store.ts';
import { useBackend, type BackendFactory } from './backend.ts';
import type { Citation } from '../../../retrieval/types.ts';

const BAR = { confidenceBelow: 0.7 };
const CITE: Citation = { id: 'luat-cu-tru::20', title: 'Luật Cư trú', section: 'Điều 20', status: 'in_force', quote: 'Công dân có quyền tự do cư trú.', score: 0.5 };

let seq = 0;
async function answer(store: ConversationStore, opts: { confidence: number; outcome?: 'answer' | 'clarify'; minute: number; intent?: 'question' | 'spokesperson_reply' }) {
  seq += 1;
  return store.recordTurn({
    inboxId: seq,
    channel: 'zalo',
    userId: `u${seq}`,
    intent: opts.intent ?? 'question',
    userText: `câu hỏi ${seq}`,
    replyKind: 'answer',
    replyText: `trả lời ${seq}`,
    citations: [CITE],
    answerId: `a${seq}`,
    confidence: opts.confidence,
    outcome: opts.outcome ?? 'answer',
    createdAt: new Date(Date.UTC(2025, 2, 1, 8, opts.minute)).toISOString(),
  });
}

/** ReviewStore behaviour every backend must have. */
export function reviewStoreContract(factory: BackendFactory): void {
  describe('ReviewStore', () => {
    const db = useBackend(factory);

    it('lists 👎 answers and low-confidence answers newest first, pages them and counts them', async () => {
      const set = await db().connect();
      const turns = await set.conversations();
      const reviews = await set.reviews();
      const confident = await answer(turns, { confidence: 0.95, minute: 1 });
      const low = await answer(turns, { confidence: 0.4, minute: 2 });
      const downed = await answer(turns, { confidence: 0.9, minute: 3 });
      const clarify = await answer(turns, { confidence: 0.3, outcome: 'clarify', minute: 4 });
      await answer(turns, { confidence: 0.2, minute: 5, intent: 'spokesperson_reply' });
      const both = await answer(turns, { confidence: 0.5, minute: 6 });
      await turns.recordFeedbackReason(downed.answerId!, 'incomplete', new Date());
      await turns.recordFeedback(both.answerId!, 'down', new Date());
      await turns.recordFeedback(confident.answerId!, 'up', new Date());

      const all = await reviews.list(BAR, { limit: 10, offset: 0 });
      expect(all.total).toBe(3);
      expect(all.items.map((i) => i.turnId)).toEqual([both.id, downed.id, low.id]);
      expect(all.items[1]).toMatchObject({
        question: downed.userText,
        answer: downed.replyText,
        citations: [CITE],
        feedback: 'down',
        feedbackReason: 'incomplete',
        causes: ['down'],
        channel: 'zalo',
        createdAt: downed.createdAt,
      });
      expect(all.items[0].causes).toEqual(['down', 'low_confidence']);
      expect(all.items[2].causes).toEqual(['low_confidence']);
      expect(all.items.some((i) => i.turnId === clarify.id)).toBe(false);

      const page2 = await reviews.list(BAR, { limit: 2, offset: 2 });
      expect(page2).toMatchObject({ total: 3, items: [{ turnId: low.id }] });
      expect((await reviews.list({ ...BAR, cause: 'down' }, { limit: 10, offset: 0 })).items.map((i) => i.turnId)).toEqual([both.id, downed.id]);
      expect(await reviews.counts(BAR)).toEqual({ pending: { down: 2, lowConfidence: 2, total: 3 }, reviewed: 0 });
      // A lower bar leaves out the 0.5 answer's low confidence.
      expect((await reviews.counts({ confidenceBelow: 0.45 })).pending).toEqual({ down: 2, lowConfidence: 1, total: 3 });
    });

    it('moves a reviewed answer out of the pending queue, keeping the first reviewer', async () => {
      const set = await db().connect();
      const turns = await set.conversations();
      const reviews = await set.reviews();
      const low = await answer(turns, { confidence: 0.4, minute: 1 });
      const at = new Date('2025-03-02T09:00:00.000Z');
      const first = await reviews.markReviewed(low.id, 'a@loa.test', at);
      expect(first).toEqual({ created: true, review: { turnId: low.id, reviewedBy: 'a@loa.test', reviewedAt: at.toISOString() } });
      expect((await reviews.markReviewed(low.id, 'b@loa.test', new Date())).created).toBe(false);
      expect((await reviews.list(BAR, { limit: 10, offset: 0 })).total).toBe(0);
      const reviewed = await reviews.list({ ...BAR, status: 'reviewed' }, { limit: 10, offset: 0 });
      expect(reviewed.items[0].review).toEqual(first.review);
      expect(await reviews.counts(BAR)).toEqual({ pending: { down: 0, lowConfidence: 0, total: 0 }, reviewed: 1 });
      expect(await reviews.get(low.id, BAR)).toMatchObject({ turnId: low.id, review: { reviewedBy: 'a@loa.test' } });
      expect(await reviews.get('no-such-turn', BAR)).toBeUndefined();
    });

    it('gives the FAQ draft claim of a turn to exactly one of two connections racing', async () => {
      const one = await db().connect();
      const two = await db().connect();
      const low = await answer(await one.conversations(), { confidence: 0.4, minute: 1 });
      const stores = [await one.reviews(), await two.reviews()];
      const claims = await Promise.all([...Array(8)].map((_, i) => stores[i % 2].claimFaqDraft(low.id, `o${i}@loa.test`, new Date())));
      expect(claims.filter(Boolean)).toHaveLength(1);
      await stores[0].setFaqDraft(low.id, 'faq-1');
      expect((await stores[1].get(low.id, BAR))?.review?.faqId).toBe('faq-1');
      // Released only while no draft is recorded.
      await stores[1].releaseFaqDraft(low.id);
      expect(await stores[0].claimFaqDraft(low.id, 'x@loa.test', new Date())).toBe(false);
    });

    it('lets a claim whose holder never recorded a draft be taken again after FAQ_CLAIM_MS', async () => {
      const set = await db().connect();
      const low = await answer(await set.conversations(), { confidence: 0.4, minute: 1 });
      const reviews = await set.reviews();
      const t0 = new Date('2025-03-02T09:00:00.000Z');
      expect(await reviews.claimFaqDraft(low.id, 'a@loa.test', t0)).toBe(true);
      expect(await reviews.claimFaqDraft(low.id, 'b@loa.test', new Date(t0.getTime() + FAQ_CLAIM_MS - 1000))).toBe(false);
      expect(await reviews.claimFaqDraft(low.id, 'b@loa.test', new Date(t0.getTime() + FAQ_CLAIM_MS + 1000))).toBe(true);
      await reviews.setFaqDraft(low.id, 'faq-2');
      // A recorded draft is never claimed again, however old.
      expect(await reviews.claimFaqDraft(low.id, 'c@loa.test', new Date(t0.getTime() + 100 * FAQ_CLAIM_MS))).toBe(false);
    });

    it('hands a released claim to the next caller', async () => {
      const set = await db().connect();
      const low = await answer(await set.conversations(), { confidence: 0.4, minute: 1 });
      const reviews = await set.reviews();
      expect(await reviews.claimFaqDraft(low.id, 'a@loa.test', new Date())).toBe(true);
      await reviews.releaseFaqDraft(low.id);
      expect(await reviews.claimFaqDraft(low.id, 'b@loa.test', new Date())).toBe(true);
    });
  });
}
