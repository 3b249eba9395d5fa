import { describe, expect, it } from 'vitest';
import type { Citation } from '../../../retrieval/types.ts';
import { useBackend, type BackendFactory } from './backend.ts';

const citation: Citation = { id: 'c1', title: 'Luật Cư trú', section: 'Điều 20', status: 'in_force', quote: '…', score: 0.8 };

/** ConversationStore behaviour every backend must have. */
export function conversationStoreContract(factory: BackendFactory): void {
  describe('ConversationStore', () => {
    const db = useBackend(factory);
    const open = async () => (await db().connect()).conversations();

    it('records a turn once per inbox event and lists recent turns oldest first', async () => {
      const store = await open();
      const first = await store.recordTurn({ inboxId: 1, channel: 'zalo', userId: 'u1', intent: 'question', userText: 'một', createdAt: '2025-03-01T08:00:00.000Z' });
      const again = await store.recordTurn({ inboxId: 1, channel: 'zalo', userId: 'u1', intent: 'help', userText: 'khác', createdAt: '2025-03-01T08:00:00.000Z' });
      expect(again.id).toBe(first.id);
      expect(again.intent).toBe('question');
      expect(await store.turnForInbox(1)).toMatchObject({ id: first.id, inboxId: 1 });
      expect(await store.turnForInbox(2)).toBeUndefined();

      await store.recordTurn({ inboxId: 2, channel: 'zalo', userId: 'u1', intent: 'question', userText: 'hai', createdAt: '2025-03-01T08:00:00.000Z' });
      await store.recordTurn({ inboxId: 3, channel: 'zalo', userId: 'u2', intent: 'question', userText: 'người khác', createdAt: '2025-03-01T08:01:00.000Z' });
      await store.recordTurn({ channel: 'zalo', userId: 'u1', intent: 'spokesperson_reply', replyKind: 'spokesperson_reply', replyText: 'ba', createdAt: '2025-03-01T08:02:00.000Z' });
      await store.recordTurn({ channel: 'zalo', userId: 'u1', intent: 'proactive', replyKind: 'notice', replyText: 'bốn', createdAt: '2025-03-01T08:03:00.000Z' });
      const recent = await store.recentTurns('zalo', 'u1', 3);
      expect(recent.map((t) => t.userText ?? t.replyText)).toEqual(['hai', 'ba', 'bốn']);
      expect(await store.recentTurns('telegram', 'u1', 3)).toEqual([]);
    });

    it('records one turn per inbox event when two connections race', async () => {
      const one = await open();
      const two = await open();
      const turns = await Promise.all(
        [...Array(6)].map((_, i) =>
          (i % 2 ? one : two).recordTurn({ inboxId: 7, channel: 'telegram', userId: 'u1', intent: 'question', userText: `lần ${i}`, createdAt: '2025-03-01T08:00:00.000Z' }),
        ),
      );
      expect(new Set(turns.map((t) => t.id)).size).toBe(1);
      expect(await one.recentTurns('telegram', 'u1', 10)).toHaveLength(1);
    });

    it('round-trips every field and records feedback against an answer', async () => {
      const store = await open();
      const turn = await store.recordTurn({
        inboxId: 1, channel: 'telegram', userId: 'u1', intent: 'question', userText: 'q', replyKind: 'answer', replyText: 'x',
        citations: [citation], answerId: 'a1', confidence: 0.8125, createdAt: '2025-03-01T08:00:00.000Z',
      });
      expect(turn).toEqual({
        id: turn.id, inboxId: 1, channel: 'telegram', userId: 'u1', intent: 'question', userText: 'q', replyKind: 'answer', replyText: 'x',
        citations: [citation], answerId: 'a1', confidence: 0.8125, abstained: false, escalated: false, createdAt: '2025-03-01T08:00:00.000Z',
        abstainReason: undefined, escalationId: undefined, feedback: undefined, feedbackAt: undefined, deliveryError: undefined,
      });
      await store.recordTurn({ inboxId: 2, channel: 'telegram', userId: 'u1', intent: 'question', replyKind: 'escalated', replyText: 'y', abstained: true, abstainReason: 'low_confidence', escalated: true, escalationId: 'e1', createdAt: '2025-03-01T08:01:00.000Z' });
      await store.recordTurn({ inboxId: 3, channel: 'telegram', userId: 'u1', intent: 'question', replyKind: 'answer', replyText: 'z', answerId: 'a2', createdAt: '2025-03-01T08:02:00.000Z' });
      await store.recordTurn({ inboxId: 4, channel: 'telegram', userId: 'u1', intent: 'help', replyKind: 'notice', replyText: 'h', createdAt: '2025-03-01T08:03:00.000Z' });
      expect((await store.latestAnswer('telegram', 'u1'))?.answerId).toBe('a2');
      expect(await store.latestAnswer('zalo', 'u1')).toBeUndefined();
      expect(await store.turnForInbox(2)).toMatchObject({ abstained: true, abstainReason: 'low_confidence', escalated: true, escalationId: 'e1' });

      expect(await store.recordFeedback('a1', 'up', new Date('2025-03-01T09:00:00Z'))).toBe(true);
      expect(await store.recordFeedback('a1', 'down', new Date('2025-03-01T09:05:00Z'))).toBe(true);
      expect(await store.recordFeedback('missing', 'up', new Date())).toBe(false);
      expect(await store.findByAnswerId('a1')).toMatchObject({ feedback: 'down', feedbackAt: '2025-03-01T09:05:00.000Z', citations: [citation] });
      expect(await store.findByAnswerId('nope')).toBeUndefined();

      await store.recordDeliveryError(turn.id, 'blocked by user');
      expect((await store.turnForInbox(1))?.deliveryError).toBe('blocked by user');
    });

    it('keeps a reply\'s outcome and menu, finds the turn by id, and lets one event use the menu', async () => {
      const store = await open();
      const menu = {
        type: 'clarify' as const,
        question: 'bao nhiêu tuổi thì được nghỉ hưu',
        options: [{ id: 'c1', label: 'Tuổi nghỉ hưu hiện nay' }],
        candidates: [citation],
      };
      const turn = await store.recordTurn({
        inboxId: 1, channel: 'zalo', userId: 'u1', intent: 'question', userText: 'q', replyKind: 'notice', replyText: 'Có phải bạn hỏi về:',
        outcome: 'clarify', menu, abstained: true, createdAt: '2025-03-01T08:00:00.000Z',
      });
      expect(turn).toMatchObject({ outcome: 'clarify', menu });
      expect(turn.menuUsedBy).toBeUndefined();
      expect(await store.getTurn(turn.id)).toEqual(turn);
      expect(await store.getTurn('00000000-0000-0000-0000-000000000000')).toBeUndefined();

      expect(await store.claimMenu(turn.id, 5)).toBe(true);
      // The same event handled again (after a crash) still holds it; any other event does not.
      expect(await store.claimMenu(turn.id, 5)).toBe(true);
      expect(await store.claimMenu(turn.id, 6)).toBe(false);
      expect((await store.getTurn(turn.id))?.menuUsedBy).toBe(5);

      const plain = await store.recordTurn({ inboxId: 2, channel: 'zalo', userId: 'u1', intent: 'help', createdAt: '2025-03-01T08:01:00.000Z' });
      expect(plain.menu).toBeUndefined();
      expect(await store.claimMenu(plain.id, 7)).toBe(false);
    });

    it('lets exactly one of many events racing on two connections use a menu', async () => {
      const one = await open();
      const two = await open();
      const turn = await one.recordTurn({
        inboxId: 1, channel: 'telegram', userId: 'u1', intent: 'question', replyKind: 'answer', replyText: 'x',
        menu: { type: 'more', text: 'phần còn lại' }, createdAt: '2025-03-01T08:00:00.000Z',
      });
      const claims = await Promise.all([...Array(8)].map((_, i) => (i % 2 ? one : two).claimMenu(turn.id, 100 + i)));
      expect(claims.filter(Boolean)).toHaveLength(1);
    });

    it('records why 👎, and a new rating clears the reason', async () => {
      const store = await open();
      await store.recordTurn({ inboxId: 1, channel: 'telegram', userId: 'u1', intent: 'question', replyKind: 'answer', replyText: 'x', answerId: 'a1', createdAt: '2025-03-01T08:00:00.000Z' });
      expect(await store.recordFeedback('a1', 'down', new Date('2025-03-01T09:00:00Z'))).toBe(true);
      expect(await store.recordFeedbackReason('a1', 'incomplete', new Date('2025-03-01T09:01:00Z'))).toBe(true);
      expect(await store.findByAnswerId('a1')).toMatchObject({ feedback: 'down', feedbackReason: 'incomplete', feedbackAt: '2025-03-01T09:01:00.000Z' });
      expect(await store.recordFeedbackReason('missing', 'wrong', new Date())).toBe(false);
      await store.recordFeedback('a1', 'up', new Date('2025-03-01T09:05:00Z'));
      expect((await store.findByAnswerId('a1'))?.feedbackReason).toBeUndefined();
    });
  });
}
