import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboxItem } from '../../admin/escalations/view.ts';
import { startFakeTelegramApi, type FakeTelegramApi } from '../fakes/telegram-api.ts';
import { createTempSchema, usePostgres, type TempSchema } from '../support/services.ts';
import { loginAdmin, loginAs, StaffClient, startTestLoa, type TestLoa } from './harness.ts';

/**
 * Concurrent replies to one escalation, as parallel HTTP requests against real servers (on
 * SQLite, and on PostgreSQL with two instances sharing the database): exactly one is stored
 * and reaches the citizen through the (fake) Telegram Bot API; the others get 409 with a code.
 */

const SECRET = 'concurrent-replies-secret';
const pgUp = await usePostgres();

interface Setup {
  fake: FakeTelegramApi;
  /** One or two instances on the same database. */
  servers: TestLoa[];
  lan: StaffClient[];
  minh: StaffClient[];
  schema?: TempSchema;
}

async function setUp(databaseUrl?: string, instances = 1): Promise<Setup> {
  const fake = await startFakeTelegramApi();
  const env = {
    LOA_SAMPLE_KNOWLEDGE: 'false',
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    TELEGRAM_API_ROOT: fake.apiRoot,
    TELEGRAM_MODE: 'webhook',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  };
  const servers: TestLoa[] = [];
  for (let i = 0; i < instances; i++) servers.push(await startTestLoa(env));
  const admin = await loginAdmin(servers[0]);
  const lan = await loginAs(servers[0], 'spokesperson', admin);
  const minh = await loginAs(servers[0], 'spokesperson', admin);
  // The same sessions on every instance (they are in the shared database).
  const on = (c: StaffClient) => servers.map((s) => new StaffClient(s.url, c.cookie, c.csrfToken, c.user));
  return { fake, servers, lan: on(lan), minh: on(minh) };
}

async function tearDown(s: Setup | undefined): Promise<void> {
  for (const server of s?.servers ?? []) await server.stop();
  await s?.fake.close();
  await s?.schema?.drop();
}

let nextChat = 91_000;
let nextUpdate = 5_000;

/** A Telegram citizen asks for an officer; resolves with the escalation id and the chat. */
async function citizenAsks(s: Setup): Promise<{ id: string; chatId: number }> {
  const chatId = ++nextChat;
  const updateId = ++nextUpdate;
  const res = await fetch(`${s.servers[0].url}/webhooks/telegram`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
    body: JSON.stringify({
      update_id: updateId,
      message: {
        message_id: updateId,
        date: Math.floor(Date.now() / 1000),
        chat: { id: chatId, type: 'private', first_name: 'Hoa' },
        from: { id: chatId, is_bot: false, first_name: 'Hoa', language_code: 'vi' },
        text: 'Cho tôi gặp cán bộ: hồ sơ cấp đổi sổ đỏ của tôi nộp hai tháng chưa có kết quả',
      },
    }),
  });
  expect(res.status).toBe(200);
  await s.servers[0].loa.core.drain();
  const mine = (await s.servers[0].runtime.storage.escalations.list({ channel: 'telegram' })).filter((e) => e.recipient.userId === String(chatId));
  expect(mine).toHaveLength(1);
  return { id: mine[0].id, chatId };
}

/** The spokesperson replies the fake Bot API received for a chat (the escalation notice excluded). */
const repliesTo = (s: Setup, chatId: number, texts: string[]) =>
  s.fake.callsTo('sendMessage').filter((b) => Number(b.chat_id) === chatId && texts.some((t) => String(b.text).includes(t)));

async function waitUntil(done: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > end) throw new Error('timed out waiting for the refused replies');
    await new Promise((r) => setTimeout(r, 10));
  }
}

type ReplyBody = { delivered: boolean; escalation: InboxItem } & { error?: { code: string; message: string } };

function suite(name: string, start: () => Promise<Setup>) {
  describe(name, () => {
    let s: Setup;
    beforeAll(async () => {
      s = await start();
    }, 60_000);
    afterAll(() => tearDown(s));

    const client = (clients: StaffClient[], i: number) => clients[i % clients.length];

    it('of concurrent replies by the same officer, exactly one is stored and sent; the others get 409 answer_in_progress', async () => {
      const { id, chatId } = await citizenAsks(s);
      expect((await s.lan[0].post(`/escalations/${id}/claim`)).status).toBe(200);
      const texts = ['Trả lời A', 'Trả lời B', 'Trả lời C', 'Trả lời D'].map((t) => `${t}: hồ sơ của bạn đang ở bước thẩm định.`);
      // The winner's send is held in flight, so every other reply arrives while it is being answered.
      const release = s.fake.hold('sendMessage');
      let answered = 0;
      const pending = texts.map((text, i) =>
        client(s.lan, i)
          .post<ReplyBody>(`/escalations/${id}/reply`, { text })
          .finally(() => answered++),
      );
      await waitUntil(() => answered === texts.length - 1);
      release();
      const results = await Promise.all(pending);

      const ok = results.filter((r) => r.status === 200);
      expect(ok).toHaveLength(1);
      expect(ok[0].body).toMatchObject({ delivered: true, escalation: { status: 'answered' } });
      const refused = results.filter((r) => r.status !== 200);
      expect(refused.map((r) => [r.status, r.body.error?.code])).toEqual(texts.slice(1).map(() => [409, 'answer_in_progress']));
      expect(refused.every((r) => typeof r.body.error?.message === 'string' && r.body.error.message.length > 0)).toBe(true);

      const winner = ok[0].body.escalation.answerText;
      expect(texts).toContain(winner);
      const sent = repliesTo(s, chatId, texts);
      expect(sent).toHaveLength(1);
      expect(String(sent[0].text)).toContain(winner);
      expect(await s.servers[0].runtime.storage.escalations.get(id)).toMatchObject({ status: 'answered', answerText: winner, deliveryStatus: 'sent' });
    });

    it('of concurrent replies by two officers to an open question, exactly one is stored and sent; the other gets 409 claimed_by_other', async () => {
      const { id, chatId } = await citizenAsks(s);
      const texts = ['Cán bộ Lan trả lời: hồ sơ đã chuyển Văn phòng đăng ký đất đai.', 'Cán bộ Minh trả lời: vui lòng bổ sung bản sao CCCD.'];
      const [fromLan, fromMinh] = await Promise.all([
        client(s.lan, 0).post<ReplyBody>(`/escalations/${id}/reply`, { text: texts[0] }),
        client(s.minh, 1).post<ReplyBody>(`/escalations/${id}/reply`, { text: texts[1] }),
      ]);
      const statuses = [fromLan.status, fromMinh.status].sort();
      expect(statuses).toEqual([200, 409]);
      const [winner, loser] = fromLan.status === 200 ? [fromLan, fromMinh] : [fromMinh, fromLan];
      expect(loser.body.error?.code).toBe('claimed_by_other');
      const sent = repliesTo(s, chatId, texts);
      expect(sent).toHaveLength(1);
      expect(String(sent[0].text)).toContain(winner.body.escalation.answerText);
      const stored = await s.servers[0].runtime.storage.escalations.get(id);
      expect(stored).toMatchObject({ status: 'answered', answerText: winner.body.escalation.answerText, answeredBy: winner.body.escalation.assignee });
    });

    it('a closed question refuses a reply with 409 already_closed and sends nothing', async () => {
      const { id, chatId } = await citizenAsks(s);
      expect((await s.lan[0].post(`/escalations/${id}/close`, { reason: 'duplicate' })).status).toBe(200);
      const late = await s.lan[0].post<ReplyBody>(`/escalations/${id}/reply`, { text: 'Trả lời muộn' });
      expect([late.status, late.body.error?.code]).toEqual([409, 'already_closed']);
      expect(repliesTo(s, chatId, ['Trả lời muộn'])).toHaveLength(0);
    });
  });
}

suite('concurrent replies over HTTP (SQLite)', () => setUp());

describe.runIf(pgUp)('on PostgreSQL', () => {
  suite('concurrent replies over HTTP (PostgreSQL, two instances)', async () => {
    const schema = await createTempSchema();
    const s = await setUp(schema.url, 2);
    return { ...s, schema };
  });
});
