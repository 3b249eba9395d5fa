import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InboxView, ZALO_FREE_WINDOW_MS } from '../../admin/escalations/view.ts';
import type { ChannelName } from '../../bots/core/types.ts';
import type { ConversationStore } from '../../storage/conversation-store.ts';
import type { EscalationStore } from '../../storage/escalation-store.ts';
import { tempDatabase } from '../support/temp-sqlite.ts';
import { officerActor } from '../../domain/escalation.ts';

let temp: ReturnType<typeof tempDatabase>;
let store: EscalationStore;
let conversations: ConversationStore;
const T0 = new Date('2026-03-01T08:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

beforeEach(async () => {
  temp = tempDatabase('loa-esc-');
  ({ escalations: store, conversations } = await temp.storage());
});
afterEach(() => temp.cleanup());

const create = (question: string, channel: ChannelName = 'webchat', userId = 'u1', now = T0) =>
  store.create({ reason: 'abstained', recipient: { channel, userId, address: {} }, question, context: [], candidates: [] }, now);

describe('InboxView', () => {
  it('adds the waiting time, frozen once answered or closed', async () => {
    const open = await create('q1');
    const closed = await create('q2');
    await store.apply(closed.id, { type: 'close', reason: 'spam' }, officerActor('cb@so.vn'), at(60_000));
    const view = new InboxView(conversations, at(3600_000));
    expect((await view.item(open)).waitingSeconds).toBe(3600);
    expect((await view.item((await store.get(closed.id))!)).waitingSeconds).toBe(60);
    expect((await view.item(open)).zaloWindow).toBeUndefined();
  });

  it("gives Zalo escalations the 48-hour window from the citizen's last inbound message", async () => {
    const e = await create('Hỏi về BHXH', 'zalo', 'z1', T0);
    const turn = (ms: number, inboxId?: number) =>
      conversations.recordTurn({ channel: 'zalo', userId: 'z1', intent: inboxId ? 'question' : 'spokesperson_reply', inboxId, userText: 'x', createdAt: at(ms).toISOString() });
    await turn(0, 1);
    // The citizen wrote again 2 hours later; a reply Loa sent later does not count.
    await turn(2 * 3600_000, 2);
    await turn(3 * 3600_000);
    const now = at(10 * 3600_000);
    const item = await new InboxView(conversations, now).item(e);
    const expires = at(2 * 3600_000 + ZALO_FREE_WINDOW_MS);
    expect(item.zaloWindow).toEqual({ expiresAt: expires.toISOString(), remainingSeconds: (expires.getTime() - now.getTime()) / 1000 });

    const late = await new InboxView(conversations, at(60 * 3600_000)).item(e);
    expect(late.zaloWindow?.remainingSeconds).toBe(0);
  });
});
