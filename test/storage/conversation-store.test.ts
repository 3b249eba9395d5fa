import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sqlStores } from '../../storage/sql/index.ts';
import type { SqliteDatabase } from '../../storage/sqlite/database.ts';
import { tempDatabase } from '../support/temp-sqlite.ts';

/**
 * SQLite-only behaviour of the conversation store (its columns). What every backend must do is
 * in `contracts/conversation.contract.ts`.
 */

let temp: ReturnType<typeof tempDatabase>;
beforeEach(() => {
  temp = tempDatabase();
});
afterEach(() => temp.cleanup());

const citation = { id: 'c1', title: 'Luật Cư trú', section: 'Điều 20', status: 'in_force' as const, quote: '…', score: 0.8 };

describe('SqliteConversationStore', () => {
  it('keeps report fields in plain columns', async () => {
    const database = await temp.openSql();
    const db = database.sqlite as SqliteDatabase;
    const store = sqlStores(database).conversations;
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
