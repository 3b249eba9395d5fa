import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteConversationStore } from '../../storage/sqlite/conversation-store.ts';
import type { SqliteDatabase } from '../../storage/sqlite/database.ts';
import { tempDatabase } from './temp-sqlite.ts';

let temp: ReturnType<typeof tempDatabase>;
beforeEach(() => {
  temp = tempDatabase();
});
afterEach(() => temp.cleanup());

const citation = { id: 'c1', title: 'Luật Cư trú', section: 'Điều 20', status: 'in_force' as const, quote: '…', score: 0.8 };

describe('SqliteConversationStore', () => {
  it('records a turn once per inbox event and lists recent turns oldest first', async () => {
    const store = new SqliteConversationStore(temp.open());
    const first = await store.recordTurn({ inboxId: 1, channel: 'zalo', userId: 'u1', intent: 'question', userText: 'một', createdAt: '2025-03-01T08:00:00.000Z' });
    const again = await store.recordTurn({ inboxId: 1, channel: 'zalo', userId: 'u1', intent: 'help', userText: 'khác', createdAt: '2025-03-01T08:00:00.000Z' });
    expect(again.id).toBe(first.id);
    expect(again.intent).toBe('question');
    expect(await store.turnForInbox(1)).toMatchObject({ id: first.id });

    await store.recordTurn({ inboxId: 2, channel: 'zalo', userId: 'u1', intent: 'question', userText: 'hai', createdAt: '2025-03-01T08:00:00.000Z' });
    await store.recordTurn({ inboxId: 3, channel: 'zalo', userId: 'u2', intent: 'question', userText: 'người khác', createdAt: '2025-03-01T08:01:00.000Z' });
    await store.recordTurn({ channel: 'zalo', userId: 'u1', intent: 'spokesperson_reply', replyKind: 'spokesperson_reply', replyText: 'ba', createdAt: '2025-03-01T08:02:00.000Z' });
    await store.recordTurn({ channel: 'zalo', userId: 'u1', intent: 'proactive', replyKind: 'notice', replyText: 'bốn', createdAt: '2025-03-01T08:03:00.000Z' });
    const recent = await store.recentTurns('zalo', 'u1', 3);
    expect(recent.map((t) => t.userText ?? t.replyText)).toEqual(['hai', 'ba', 'bốn']);
    expect(await store.recentTurns('telegram', 'u1', 3)).toEqual([]);
  });

  it('records feedback against an answer and finds the latest answer', async () => {
    const store = new SqliteConversationStore(temp.open());
    await store.recordTurn({ inboxId: 1, channel: 'telegram', userId: 'u1', intent: 'question', replyKind: 'answer', replyText: 'x', citations: [citation], answerId: 'a1', confidence: 0.8, createdAt: '2025-03-01T08:00:00.000Z' });
    await store.recordTurn({ inboxId: 2, channel: 'telegram', userId: 'u1', intent: 'question', replyKind: 'answer', replyText: 'y', answerId: 'a2', createdAt: '2025-03-01T08:01:00.000Z' });
    await store.recordTurn({ inboxId: 3, channel: 'telegram', userId: 'u1', intent: 'help', replyKind: 'notice', replyText: 'z', createdAt: '2025-03-01T08:02:00.000Z' });
    expect((await store.latestAnswer('telegram', 'u1'))?.answerId).toBe('a2');

    expect(await store.recordFeedback('a1', 'up', new Date('2025-03-01T09:00:00Z'))).toBe(true);
    expect(await store.recordFeedback('missing', 'up', new Date())).toBe(false);
    expect(await store.findByAnswerId('a1')).toMatchObject({ feedback: 'up', feedbackAt: '2025-03-01T09:00:00.000Z', citations: [citation], confidence: 0.8 });
  });

  it('keeps report fields in plain columns', async () => {
    const db: SqliteDatabase = temp.open();
    const store = new SqliteConversationStore(db);
    await store.recordTurn({ inboxId: 1, channel: 'zalo', userId: 'u1', intent: 'question', replyKind: 'answer', replyText: 'x', answerId: 'a1', citations: [citation], createdAt: '2025-03-01T08:00:00.000Z' });
    await store.recordTurn({ inboxId: 2, channel: 'zalo', userId: 'u2', intent: 'question', replyKind: 'escalated', replyText: 'y', abstained: true, abstainReason: 'low_confidence', escalated: true, escalationId: 'e1', createdAt: '2025-03-01T10:00:00.000Z' });
    await store.recordTurn({ inboxId: 3, channel: 'telegram', userId: 'u1', intent: 'welcome', createdAt: '2025-03-02T08:00:00.000Z' });
    await store.recordFeedback('a1', 'down', new Date());
    const rows = db
      .prepare(`SELECT substr(created_at, 1, 10) AS day, channel, COUNT(*) AS questions, SUM(escalated) AS escalated, SUM(feedback = 'down') AS down, SUM(citation_count) AS cited
                FROM conversation_turns WHERE intent = 'question' GROUP BY day, channel`)
      .all();
    expect(rows).toEqual([{ day: '2025-03-01', channel: 'zalo', questions: 2, escalated: 1, down: 1, cited: 1 }]);
  });
});
