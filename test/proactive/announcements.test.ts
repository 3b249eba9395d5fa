import { Telegram } from 'telegraf';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConversationCore } from '../../bots/core/conversation-core.ts';
import type { IncomingMessage } from '../../bots/core/types.ts';
import { createTelegramSender } from '../../bots/telegram/send-message.ts';
import { createMemoryHub } from '../../storage/memory-webchat-hub.ts';
import { createWebchatSender } from '../../bots/webchat/send-message.ts';
import { ZaloOaClient } from '../../bots/zalo/oa-client.ts';
import { ZaloSender } from '../../bots/zalo/send-message.ts';
import { AnnouncementService, trackDeliveries } from '../../proactive/announcements.ts';
import { claimWords } from '../../proactive/claims.ts';
import { sqliteProactiveStore, type KyselyProactiveStore } from '../../storage/proactive-store-kysely.ts';
import { sqlStores } from '../../storage/sql/index.ts';
import type { WebchatStore } from '../../storage/webchat-store.ts';
import { startFakeTelegramApi, type FakeTelegramApi } from '../fakes/telegram-api.ts';
import { FakeZaloApi } from '../fakes/zalo-api.ts';
import { TestAnswerer, TestDatabase, silentLogger } from '../bots/core/support.ts';
import { sqliteSecrets } from '../bots/zalo/harness.ts';

const DAY = 24 * 3_600_000;

let zalo: FakeZaloApi;
let telegram: FakeTelegramApi;
let database: TestDatabase;
let core: ConversationCore;
let proactive: KyselyProactiveStore;
let webchat: WebchatStore;
let service: AnnouncementService;
let seq = 0;

function msg(channel: IncomingMessage['channel'], userId: string, text: string, address: Record<string, unknown>, sentAt = new Date()): IncomingMessage {
  const channelMessageId = `${channel}-in-${++seq}`;
  if (channel === 'zalo') zalo.addUserMessage(channelMessageId, userId);
  return { channel, channelMessageId, from: { channel, userId, address }, kind: 'text', text, sentAt: sentAt.toISOString() };
}

beforeEach(async () => {
  zalo = await FakeZaloApi.start({ accessToken: 'access-0', refreshToken: 'refresh-0' });
  telegram = await startFakeTelegramApi();
  database = new TestDatabase();
  const { db, stores } = await database.open();
  proactive = sqliteProactiveStore(db.sqlite!);
  await proactive.migrate();
  const { webchat: webchatStore, audit } = sqlStores(db);
  webchat = webchatStore;
  core = new ConversationCore({
    answerer: new TestAnswerer(),
    storage: stores,
    logger: silentLogger,
    config: { rateLimitPerMinute: 100, agencyName: 'Sở Tư pháp tỉnh Thử nghiệm', retry: { baseMs: 5, maxMs: 50, maxAttempts: 3 } },
    proactive,
  });
  const client = new ZaloOaClient({ apiBase: zalo.url, oauthBase: zalo.url, appId: zalo.appId, appSecret: zalo.appSecret, secrets: sqliteSecrets(), seed: { accessToken: 'access-0', refreshToken: 'refresh-0' }, logger: silentLogger });
  core.registerSender(new ZaloSender(client, silentLogger));
  core.registerSender(createTelegramSender(new Telegram(telegram.token, { apiRoot: telegram.apiRoot })));
  core.registerSender(createWebchatSender(webchat, createMemoryHub()));
  trackDeliveries(core.events, proactive);
  await core.start();
  await proactive.upsertTopic({ id: 'bhxh', label: 'bảo hiểm xã hội', keywords: ['bhxh'], source: 'officer' }, new Date());
  service = new AnnouncementService({ store: proactive, outbox: stores.outbox, audit, clock: () => new Date(), agencyName: 'Sở Tư pháp tỉnh Thử nghiệm', allowPaidZalo: true });
});

afterEach(async () => {
  await core.stop();
  await zalo.close();
  await telegram.close();
  await database.cleanup();
});

async function announce(text: string): Promise<string> {
  const a = await service.compose({ topicId: 'bhxh', text, link: 'https://vbpl.vn/tw/Pages/vbpq-toanvan.aspx?ItemID=1' }, 'soan@so.gov.vn');
  expect(await service.approve(a.id, 'duyet@so.gov.vn')).toEqual({ ok: true });
  return a.id;
}

/** Queues due announcements and sends everything due (the sweeper's job, run now). */
async function send(): Promise<void> {
  await service.queueDue();
  await core.sweepNow();
  await core.drain();
}

describe('announcements through the outbox, on the fakes', () => {
  it('reaches a Zalo follower inside 48 h as a free reply; skips and counts one silent for over 7 days', async () => {
    await core.receive(msg('zalo', 'u-recent', 'đăng ký nhận tin bảo hiểm xã hội', { userId: 'u-recent' }));
    await core.drain();
    expect(zalo.sent.at(-1)?.text).toContain('Đã đăng ký nhận tin về "bảo hiểm xã hội"');
    // Subscribed long ago and silent since.
    const old = new Date(Date.now() - 8 * DAY);
    await proactive.subscribe({ channel: 'zalo', userId: 'u-old', address: { userId: 'u-old' } }, 'bhxh', old);
    await proactive.touch('zalo', 'u-old', 'zalo-old-msg', old);
    zalo.setLastInteraction('u-old', old.getTime());

    const id = await announce('Từ 1/7/2025 mức lương cơ sở tăng lên 2.340.000 đồng.');
    const plan = await service.plan(id);
    expect(plan?.channels.zalo).toMatchObject({ send: 1, routes: { zalo_free_reply: 1 }, notSent: { zalo_no_interaction_7d: 1 } });
    expect(plan?.explanations.zalo_no_interaction_7d).toContain('-230');

    const before = zalo.sent.length;
    await send();
    const sent = zalo.sent.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.text).toContain('mức lương cơ sở');
    // A consultation message replying to the citizen's own message (inside the free window), not by user id.
    expect(sent[0]?.recipient.message_id).toMatch(/^zalo-in-/);
    const stats = await proactive.stats(id);
    expect(stats).toMatchObject({ targeted: 2, sent: 1, notSentByReason: { zalo_no_interaction_7d: 1 } });
  });

  it('counts a refusal (-230) from Zalo as failed with its reason when the window closed meanwhile', async () => {
    const threeDays = new Date(Date.now() - 3 * DAY);
    await proactive.subscribe({ channel: 'zalo', userId: 'u-mid', address: { userId: 'u-mid' } }, 'bhxh', threeDays);
    await proactive.touch('zalo', 'u-mid', 'zalo-mid-msg', threeDays);
    // Zalo's own record says longer ago than ours (e.g. our record came from a message Zalo did not count).
    zalo.setLastInteraction('u-mid', Date.now() - 9 * DAY);
    const id = await announce('Thông báo thử.');
    expect((await service.plan(id))?.channels.zalo?.routes).toEqual({ zalo_paid_consultation: 1 });
    await send();
    const stats = await proactive.stats(id);
    expect(stats.sent).toBe(0);
    expect(Object.keys(stats.failedByReason).join()).toContain('-230');
  });

  it('reaches a Telegram subscriber, who can then unsubscribe and gets no more', async () => {
    await core.receive(msg('telegram', '555', '/subscribe bhxh', { chatId: 555 }));
    await core.drain();
    expect(String(telegram.callsTo('sendMessage').at(-1)?.text)).toContain('Đã đăng ký nhận tin');
    const first = await announce('Hạn nộp hồ sơ là 30/6.');
    await send();
    const texts = () => telegram.callsTo('sendMessage').map((c) => String(c.text));
    expect(texts().filter((t) => t.includes('Hạn nộp hồ sơ'))).toHaveLength(1);
    expect((await proactive.stats(first)).sent).toBe(1);

    await core.receive(msg('telegram', '555', 'hủy đăng ký', { chatId: 555 }));
    await core.drain();
    expect(texts().at(-1)).toContain('Đã hủy tất cả');
    const second = await announce('Thông báo thứ hai.');
    await send();
    expect(texts().some((t) => t.includes('Thông báo thứ hai'))).toBe(false);
    expect((await proactive.stats(second)).targeted).toBe(0);
    expect(await proactive.unsubscribesSince('bhxh', new Date(Date.now() - DAY))).toBe(1);
  });

  it('shows a web chat visitor the announcement at the next visit', async () => {
    await webchat.createSession({ id: 'ws_visitor', tokenHash: 'ab'.repeat(32), createdAt: new Date().toISOString() });
    await core.receive(msg('webchat', 'ws_visitor', 'đăng ký nhận tin bhxh', { sessionId: 'ws_visitor' }));
    await core.drain();
    const id = await announce('Lịch tiếp công dân tháng 7.');
    await send();
    // The visitor is away: the next visit reads the transcript.
    const transcript = await webchat.listMessages('ws_visitor', 0, 50);
    expect(transcript.map((m) => m.text).some((t) => t.includes('Lịch tiếp công dân tháng 7'))).toBe(true);
    expect((await proactive.stats(id)).byChannel.webchat).toMatchObject({ sent: 1 });
  });

  it('two approvers at once: approved once, queued once, sent once', async () => {
    await core.receive(msg('telegram', '777', 'đăng ký nhận tin bảo hiểm xã hội', { chatId: 777 }));
    await core.drain();
    const a = await service.compose({ topicId: 'bhxh', text: 'Một lần thôi.' }, 'soan@so.gov.vn');
    expect(await service.approve(a.id, 'soan@so.gov.vn')).toEqual({ ok: false, reason: 'own_announcement' });
    const results = await Promise.all([service.approve(a.id, 'b@so.gov.vn'), service.approve(a.id, 'c@so.gov.vn')]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    await Promise.all([service.queueDue(), service.queueDue()]);
    await core.sweepNow();
    await core.drain();
    expect(telegram.callsTo('sendMessage').filter((c) => String(c.text).includes('Một lần thôi'))).toHaveLength(1);
  });

  it('a claim forwarded on Zalo gets the verdict with its citation; an unknown rumour is grouped and passed on; an ordinary question is not a claim', async () => {
    const claim = await proactive.createClaim('Có phải từ 1/1/2026 bỏ sổ hộ khẩu không?', claimWords('Có phải từ 1/1/2026 bỏ sổ hộ khẩu không?'), new Date());
    const verdict = { verdict: 'gay_hieu_lam' as const, sourceTitle: 'Luật Cư trú 2020, Điều 38 khoản 3', sourceUrl: 'https://vbpl.vn/luat-cu-tru-2020', note: 'Sổ hộ khẩu giấy đã hết giá trị từ 1/1/2023, không phải từ 2026.' };
    expect(await proactive.proposeVerdict(claim.id, verdict, 'a@so.gov.vn', new Date())).toBe(true);
    expect(await proactive.approveVerdict(claim.id, 'a@so.gov.vn', new Date())).toBe(false);
    expect(await proactive.approveVerdict(claim.id, 'b@so.gov.vn', new Date())).toBe(true);

    await core.receive(msg('zalo', 'u-fwd', '[Chuyển tiếp] Nghe nói từ 1/1/2026 bỏ sổ hộ khẩu giấy, mọi người chú ý!!!', { userId: 'u-fwd' }));
    await core.drain();
    const reply = zalo.sent.at(-1);
    expect(reply?.text).toContain('Kết luận: Gây hiểu lầm');
    expect(reply?.text).toContain('Luật Cư trú 2020, Điều 38 khoản 3');
    expect(reply?.recipient.message_id).toMatch(/^zalo-in-/);
    expect((await proactive.getClaim(claim.id))?.reports).toBe(1);

    await core.receive(msg('zalo', 'u-r1', 'Nghe nói tháng sau tăng phí gửi xe máy lên 50 nghìn đồng', { userId: 'u-r1' }));
    await core.receive(msg('telegram', '901', 'tin đồn tăng phí gửi xe máy lên 50 nghìn đồng có thật không', { chatId: 901 }));
    await core.drain();
    expect(zalo.sent.at(-1)?.text).toContain('đã chuyển tới cơ quan');
    const open = (await proactive.claims()).filter((c) => c.status === 'open');
    expect(open.map((c) => c.reports)).toEqual([2]);

    await core.receive(msg('zalo', 'u-q', 'Có phải nộp hồ sơ đăng ký thường trú ở xã không?', { userId: 'u-q' }));
    await core.drain();
    expect(zalo.sent.at(-1)?.text).not.toContain('Kết luận');
    expect(zalo.sent.at(-1)?.text).not.toContain('đã chuyển tới cơ quan');
    expect((await proactive.claims()).length).toBe(2);
  });
});
