import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAdmin, startTestLoa, type StaffClient, type TestLoa } from '../admin/harness.ts';
import { FakeZaloApi, signZaloEvent, zaloMessageEvent } from '../fakes/zalo-api.ts';
import { startFakeTelegramApi, type FakeTelegramApi } from '../fakes/telegram-api.ts';
import { waitFor } from '../e2e/support.ts';
import { DRAFT_V1 } from './support.ts';

/**
 * A consultation on Zalo and Telegram through the whole product (real server, SQLite, the
 * local channel fakes): both citizens comment on Điều 3, change their comment, and are told
 * on their channel when the synthesis is published.
 */

const OA_SECRET_KEY = 'consult-oa-secret';
const TG_SECRET = 'consult-tg-secret';
let zalo: FakeZaloApi;
let tg: FakeTelegramApi;
let t: TestLoa;
let admin: StaffClient;
let consultationId: string;

beforeAll(async () => {
  zalo = await FakeZaloApi.start({ appId: 'consult-app', appSecret: 'consult-secret', accessToken: 'access-0', refreshToken: 'refresh-0' });
  tg = await startFakeTelegramApi();
  t = await startTestLoa({
    ZALO_API_BASE: zalo.url,
    ZALO_OAUTH_BASE: zalo.url,
    ZALO_APP_ID: zalo.appId,
    ZALO_APP_SECRET: zalo.appSecret,
    ZALO_OA_SECRET_KEY: OA_SECRET_KEY,
    ZALO_ACCESS_TOKEN: zalo.accessToken,
    ZALO_REFRESH_TOKEN: zalo.refreshToken,
    TELEGRAM_BOT_TOKEN: tg.token,
    TELEGRAM_WEBHOOK_SECRET: TG_SECRET,
    TELEGRAM_API_ROOT: tg.apiRoot,
    TELEGRAM_MODE: 'webhook',
  });
  admin = await loginAdmin(t);
  const now = Date.now();
  const created = await admin.post<{ consultation: { id: string } }>('/consultations', {
    slug: 'xe-dap-dien-kenh',
    title: 'Dự thảo Nghị định về xe đạp điện dùng chung',
    scope: 'Người sử dụng xe đạp điện',
    opensAt: new Date(now - 3_600_000).toISOString(),
    closesAt: new Date(now + 86_400_000).toISOString(),
    consultedCount: 12,
    draft: { name: DRAFT_V1.name, contentBase64: DRAFT_V1.bytes.toString('base64') },
  });
  expect(created.status).toBe(201);
  consultationId = created.body.consultation.id;
});

afterAll(async () => {
  await t?.stop();
  await zalo?.close();
  await tg?.close();
});

let zaloSeq = 0;
async function zaloSays(userId: string, text: string): Promise<string> {
  const msgId = `zm-consult-${++zaloSeq}-${Date.now()}`;
  zalo.addUserMessage(msgId, userId);
  const signed = signZaloEvent(zaloMessageEvent('user_send_text', { appId: zalo.appId, userId, msgId, text }), zalo.appId, OA_SECRET_KEY);
  const res = await fetch(`${t.url}/webhooks/zalo`, { method: 'POST', headers: signed.headers, body: signed.body });
  await res.body?.cancel();
  expect(res.status).toBe(200);
  return msgId;
}
const zaloReplyTo = (msgId: string) => waitFor(() => zalo.sent.find((m) => m.recipient.message_id === msgId), `the Zalo reply to ${msgId}`);

let updateId = 50_000;
async function tgPost(update: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${t.url}/webhooks/telegram`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': TG_SECRET }, body: JSON.stringify(update) });
  await res.body?.cancel();
  expect(res.status).toBe(200);
}
const tgMessages = (chatId: number) => tg.callsTo('sendMessage').filter((b) => b.chat_id === chatId);
async function tgSays(chatId: number, text: string): Promise<Record<string, unknown>> {
  const before = tgMessages(chatId).length;
  const id = ++updateId;
  await tgPost({ update_id: id, message: { message_id: id, date: Math.floor(Date.now() / 1000), chat: { id: chatId, type: 'private', first_name: 'Lan' }, from: { id: chatId, is_bot: false, first_name: 'Lan' }, text } });
  return waitFor(() => tgMessages(chatId)[before], `the Telegram reply to “${text}”`);
}
function buttons(body: Record<string, unknown>): { text: string; callback_data: string }[] {
  return ((body.reply_markup as { inline_keyboard?: { text: string; callback_data: string }[][] } | undefined)?.inline_keyboard ?? []).flat();
}
async function tgPress(chatId: number, body: Record<string, unknown>, label: RegExp): Promise<Record<string, unknown>> {
  const button = buttons(body).find((b) => label.test(b.text));
  expect(button, `a button ${label} among ${buttons(body).map((b) => b.text).join(' | ')}`).toBeDefined();
  const before = tgMessages(chatId).length;
  const id = ++updateId;
  await tgPost({ update_id: id, callback_query: { id: `cq-${id}`, chat_instance: '1', from: { id: chatId, is_bot: false, first_name: 'Lan' }, message: { message_id: 1, date: Math.floor(Date.now() / 1000), chat: { id: chatId, type: 'private' } }, data: button!.callback_data } });
  return waitFor(() => tgMessages(chatId)[before], `the Telegram reply to the button ${label}`);
}

describe('a consultation on Zalo and Telegram', () => {
  const zaloUser = 'zu-consult-1';
  const chatId = 880_001;

  it('a Zalo citizen comments on Điều 3 by typing it, then changes the comment', async () => {
    const first = await zaloReplyTo(await zaloSays(zaloUser, 'góp ý Điều 3 không đồng ý: định nghĩa cần gồm cả xe máy điện'));
    expect(first.text).toContain('Đã ghi nhận góp ý của bạn về Điều 3 (Không đồng ý)');
    expect(first.text).toContain('định nghĩa cần gồm cả xe máy điện');
    // Zalo has no buttons: the next steps are numbered lines.
    expect(first.text).toMatch(/1\. Sửa góp ý/);

    const changed = await zaloReplyTo(await zaloSays(zaloUser, 'góp ý Điều 3 đồng ý, nhưng nên định nghĩa rõ điểm đỗ'));
    expect(changed.text).toContain('Đã cập nhật góp ý của bạn về Điều 3 (Đồng ý)');
    const mine = await t.runtime.storage.consultations.commentsOf(consultationId, { channel: 'zalo', citizenId: zaloUser });
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ unitKey: '3', stance: 'agree', text: 'nhưng nên định nghĩa rõ điểm đỗ', version: 1 });
  });

  it('a Telegram citizen browses to Điều 3 with buttons, comments, then changes it through "Sửa góp ý"', async () => {
    const outline = await tgSays(chatId, 'góp ý dự thảo');
    expect(String(outline.text)).toContain('Mục lục dự thảo');
    const article = await tgPress(chatId, outline, /^Điều 3\./);
    expect(String(article.text)).toContain('Xe đạp điện dùng chung là');
    const stance = await tgPress(chatId, article, /^Góp ý Điều 3$/);
    expect(String(stance.text)).toContain('Bạn có ý kiến thế nào về Điều 3');
    const ask = await tgPress(chatId, stance, /^Không đồng ý$/);
    expect(String(ask.text)).toContain('Mời bạn nhắn nội dung góp ý');
    const recorded = await tgSays(chatId, 'Cần cho thuê theo lượt, không chỉ theo giờ.');
    expect(String(recorded.text)).toContain('Đã ghi nhận góp ý của bạn về Điều 3 (Không đồng ý)');

    const edit = await tgPress(chatId, recorded, /^Sửa góp ý$/);
    const askAgain = await tgPress(chatId, edit, /^Ý kiến khác$/);
    expect(String(askAgain.text)).toContain('Ý kiến khác với Điều 3');
    const updated = await tgSays(chatId, 'Nên cho thuê cả theo lượt và theo giờ.');
    expect(String(updated.text)).toContain('Đã cập nhật góp ý của bạn về Điều 3 (Ý kiến khác)');
    const mine = await t.runtime.storage.consultations.commentsOf(consultationId, { channel: 'telegram', citizenId: String(chatId) });
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ unitKey: '3', stance: 'other', text: 'Nên cho thuê cả theo lượt và theo giờ.' });
  });

  it('answers a question about the draft from the draft, marked as a draft', async () => {
    const reply = await tgSays(chatId, 'Mức phạt người để xe ngoài điểm đỗ là bao nhiêu?');
    expect(String(reply.text)).toContain('Theo dự thảo (chưa có hiệu lực');
    expect(String(reply.text)).toContain('500.000 đồng');
    expect(String(reply.text)).toContain('(chưa có hiệu lực)');
  });

  it('after the close, the officer answers, publishes, and both citizens are told on their channel', async () => {
    const grouped = await admin.post<{ items: { id: string; unitKey: string; comments: number }[] }>(`/consultations/${consultationId}/themes/auto`);
    expect(grouped.status).toBe(200);
    const onArticle3 = grouped.body.items.filter((x) => x.unitKey === '3');
    expect(onArticle3.reduce((n, x) => n + x.comments, 0)).toBe(2);
    for (const theme of onArticle3) {
      const answered = await admin.patch(`/consultations/${consultationId}/themes/${theme.id}`, { responseKind: 'accept', responseText: 'Bổ sung thuê theo lượt và định nghĩa điểm đỗ.' });
      expect(answered.status).toBe(200);
    }
    // Publishing before the close is refused.
    expect((await admin.post(`/consultations/${consultationId}/publish`)).status).toBe(409);
    expect((await admin.patch(`/consultations/${consultationId}`, { closesAt: new Date(Date.now() - 1000).toISOString(), opensAt: new Date(Date.now() - 7_200_000).toISOString() })).status).toBe(200);
    const zaloBefore = zalo.sent.length;
    const published = await admin.post<{ notified: { sent: number; outsideWindow: number } }>(`/consultations/${consultationId}/publish`);
    expect(published.status).toBe(200);
    expect(published.body.notified).toMatchObject({ sent: 2, outsideWindow: 0 });

    const zaloNotice = await waitFor(() => zalo.sent.slice(zaloBefore).find((m) => m.text.includes('đã công bố bản tổng hợp')), 'the Zalo notice');
    // Within the free window: a reply to the citizen's own last message.
    expect(zaloNotice.recipient.message_id).toMatch(/^zm-consult-/);
    expect(zaloNotice.text).toContain('Tiếp thu — Bổ sung thuê theo lượt');
    const tgNotice = await waitFor(() => tgMessages(chatId).find((m) => String(m.text).includes('đã công bố bản tổng hợp')), 'the Telegram notice');
    expect(String(tgNotice.text)).toContain('Góp ý của bạn về Điều 3: Tiếp thu');

    // Commenting after the close is refused on the chat too.
    const late = await zaloReplyTo(await zaloSays(zaloUser, 'góp ý Điều 4 đồng ý'));
    expect(late.text).toContain('Hiện không có dự thảo nào đang lấy ý kiến');
  });
});
