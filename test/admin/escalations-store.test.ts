import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InboxView, ZALO_FREE_WINDOW_MS } from '../../admin/escalations/view.ts';
import type { ChannelName } from '../../bots/core/types.ts';
import { SqliteConversationStore } from '../../storage/sqlite/conversation-store.ts';
import { openSqlite, type SqliteDatabase } from '../../storage/sqlite/database.ts';
import { SqliteEscalationStore } from '../../storage/sqlite/escalation-store.ts';

let dir: string;
let db: SqliteDatabase;
let store: SqliteEscalationStore;
let conversations: SqliteConversationStore;
const T0 = new Date('2026-03-01T08:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'loa-esc-'));
  db = openSqlite(join(dir, 'loa.sqlite'));
  store = new SqliteEscalationStore(db);
  conversations = new SqliteConversationStore(db);
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const create = (question: string, channel: ChannelName = 'webchat', userId = 'u1', now = T0) =>
  store.create({ reason: 'abstained', recipient: { channel, userId, address: {} }, question, context: [], candidates: [] }, now);

describe('escalation store additions for the console', () => {
  it('searches questions ignoring case and diacritics, every word must match, wildcards are literal', async () => {
    await create('Thủ tục làm CCCD cho con dưới 14 tuổi?');
    await create('Đăng ký thường trú ở Hà Nội cần gì?');
    await create('Lương tối thiểu vùng 100% năm 2026');
    expect((await store.list({ query: 'cccd' })).map((e) => e.question)).toEqual(['Thủ tục làm CCCD cho con dưới 14 tuổi?']);
    expect((await store.list({ query: 'dang ky thuong tru' })).length).toBe(1);
    expect((await store.list({ query: 'ĐĂNG KÝ' })).length).toBe(1);
    expect((await store.list({ query: 'dang ky cccd' })).length).toBe(0);
    expect((await store.list({ query: '100%' })).length).toBe(1);
    expect((await store.list({ query: '%' })).length).toBe(1);
    expect(await store.count({ query: 'u' })).toBe(3);
  });

  it('counts with the same filters as list and filters by assignee', async () => {
    const a = await create('q1');
    await create('q2', 'zalo');
    await create('q3');
    await store.claim(a.id, 'lan@so.vn', T0);
    expect(await store.count()).toBe(3);
    expect(await store.count({ channel: 'webchat' })).toBe(2);
    expect(await store.count({ status: 'open' })).toBe(2);
    expect(await store.count({ status: ['open', 'claimed'], limit: 1 })).toBe(3);
    expect((await store.list({ assignee: 'lan@so.vn' })).map((e) => e.id)).toEqual([a.id]);
  });

  it('assign hands over a claimed escalation, but not an answered one or one whose reply is on its way', async () => {
    const a = await create('q1');
    await store.claim(a.id, 'lan@so.vn', T0);
    const moved = await store.assign(a.id, 'minh@so.vn', at(1000));
    expect(moved).toMatchObject({ ok: true, escalation: { status: 'claimed', assignee: 'minh@so.vn', claimedAt: at(1000).toISOString() } });

    await store.recordAnswer(a.id, { text: 'trả lời', citations: [], officer: 'minh@so.vn' }, at(2000));
    expect(await store.assign(a.id, 'lan@so.vn', at(3000))).toMatchObject({ ok: false, reason: 'claimed_by_other' });
    await store.markDelivered(a.id, at(4000));
    expect(await store.assign(a.id, 'lan@so.vn', at(5000))).toMatchObject({ ok: false, reason: 'finished' });
    expect(await store.assign('nope', 'lan@so.vn', at(5000))).toMatchObject({ ok: false, reason: 'not_found' });
  });
});

describe('InboxView', () => {
  it('adds the waiting time, frozen once answered or closed', async () => {
    const open = await create('q1');
    const closed = await create('q2');
    await store.close(closed.id, 'spam', at(60_000));
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
