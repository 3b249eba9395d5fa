import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ESCALATED_TEXT } from '../../bots/core/messages.ts';
import { ZALO_TOKEN_KEYS } from '../../bots/zalo/tokens.ts';
import { loginAdmin, startTestLoa, type StaffClient, type TestLoa } from '../admin/harness.ts';
import { FakeZaloApi, MESSAGE_PATH, signZaloEvent, zaloFollowEvent, zaloMessageEvent, type SentMessage } from '../fakes/zalo-api.ts';
import { answeredQuestion, goldPriceQuestion, waitFor, type AnsweredQuestion } from './support.ts';

/**
 * Zalo through the whole product: the real server (sample knowledge base, real retrieval,
 * real SQLite), Zalo configured against a local fake of the OA Open API and OAuth server.
 */

const OA_SECRET_KEY = 'e2e-oa-secret-key';

let fake: FakeZaloApi;
let t: TestLoa;
let officer: StaffClient;
let answered: AnsweredQuestion;

beforeAll(async () => {
  fake = await FakeZaloApi.start({ appId: 'e2e-app', appSecret: 'e2e-app-secret', accessToken: 'access-0', refreshToken: 'refresh-0' });
  t = await startTestLoa({
    ZALO_API_BASE: fake.url,
    ZALO_OAUTH_BASE: fake.url,
    ZALO_APP_ID: fake.appId,
    ZALO_APP_SECRET: fake.appSecret,
    ZALO_OA_SECRET_KEY: OA_SECRET_KEY,
    ZALO_ACCESS_TOKEN: fake.accessToken,
    ZALO_REFRESH_TOKEN: fake.refreshToken,
  });
  officer = await loginAdmin(t);
  answered = await answeredQuestion(t.runtime);
});

afterAll(async () => {
  await t?.stop();
  await fake?.close();
});

let seq = 0;
const ids = (label: string) => ({ userId: `zu-${label}-${++seq}`, msgId: `zm-${label}-${seq}-${Date.now()}` });

/** A message the citizen sends: Zalo (the fake) knows it, so a reply to it is accepted. */
function event(userId: string, msgId: string, text: string): Record<string, unknown> {
  fake.addUserMessage(msgId, userId);
  return zaloMessageEvent('user_send_text', { appId: fake.appId, userId, msgId, text });
}

async function postWebhook(body: string, headers: Record<string, string>): Promise<number> {
  const res = await fetch(`${t.url}/webhooks/zalo`, { method: 'POST', headers, body });
  await res.body?.cancel();
  return res.status;
}

async function deliver(e: Record<string, unknown>): Promise<number> {
  const signed = signZaloEvent(e, fake.appId, OA_SECRET_KEY);
  return postWebhook(signed.body, signed.headers);
}

const repliesTo = (msgId: string): SentMessage[] => fake.sent.filter((m) => m.recipient.message_id === msgId);
const attemptsFor = (msgId: string) => fake.requestsTo(MESSAGE_PATH).filter((r) => r.body.includes(`"message_id":"${msgId}"`));

describe('Zalo end to end', () => {
  it('answers a signed question from the sample base, as a reply to the message, with a "Nguồn:" footnote', async () => {
    const { userId, msgId } = ids('answer');
    expect(await deliver(event(userId, msgId, answered.sample.question))).toBe(200);

    const [reply] = await waitFor(() => repliesTo(msgId).length > 0 && repliesTo(msgId), 'the answer on the fake Zalo API');
    expect(reply.recipient).toEqual({ message_id: msgId });
    // The answer text (a passage of the cited document) and its source footnote.
    expect(reply.text).toContain(answered.result.citations[0].quote.split('\n')[0]);
    expect(reply.text).toContain('Nguồn:');
    expect(reply.text).toMatch(new RegExp(`\\[1\\] ${answered.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));

    const turns = await t.runtime.storage.conversations.recentTurns('zalo', userId, 5);
    expect(turns.map((x) => x.replyKind)).toEqual(['answer']);
  });

  it('answers a redelivered event exactly once', async () => {
    const { userId, msgId } = ids('dup');
    const e = event(userId, msgId, answered.sample.question);
    expect(await deliver(e)).toBe(200);
    await waitFor(() => repliesTo(msgId).length > 0, 'the first answer');
    // Zalo delivers the same event again (it did not see our 200 in time, say).
    expect(await deliver(e)).toBe(200);
    expect(await deliver(e)).toBe(200);
    await t.loa.core.drain();
    expect(repliesTo(msgId)).toHaveLength(1);
    expect(await t.runtime.storage.conversations.recentTurns('zalo', userId, 5)).toHaveLength(1);
  });

  it('declines a question it must not answer without an escalation; "gặp cán bộ" then escalates it and the officer’s reply reaches the citizen', async () => {
    const { userId, msgId: goldMsgId } = ids('gold');
    expect(await deliver(event(userId, goldMsgId, goldPriceQuestion()))).toBe(200);

    const [decline] = await waitFor(() => repliesTo(goldMsgId).length > 0 && repliesTo(goldMsgId), 'the polite decline');
    expect(decline.text).toContain('Nhắn “gặp cán bộ”');
    expect(decline.text).not.toContain('Nguồn:');
    const before = await officer.get<{ items: { recipient: { userId: string } }[] }>('/escalations?channel=zalo');
    expect(before.body.items.filter((e) => e.recipient.userId === userId)).toEqual([]);

    // The citizen asks for a person: the declined question goes to the officer.
    const msgId = `${goldMsgId}-human`;
    expect(await deliver(event(userId, msgId, 'gặp cán bộ'))).toBe(200);
    const [notice] = await waitFor(() => repliesTo(msgId).length > 0 && repliesTo(msgId), 'the escalation notice');
    expect(notice.text).toContain(ESCALATED_TEXT);

    const list = await officer.get<{ items: { id: string; status: string; recipient: { userId: string }; question: string }[] }>(
      '/escalations?channel=zalo',
    );
    expect(list.status).toBe(200);
    const escalation = list.body.items.find((e) => e.recipient.userId === userId);
    expect(escalation).toMatchObject({ status: 'open', question: goldPriceQuestion() });

    const answer = 'Cơ quan không công bố giá vàng. Bạn vui lòng tham khảo thông tin của Ngân hàng Nhà nước.';
    const reply = await officer.post<{ delivered: boolean; escalation: { status: string } }>(`/escalations/${escalation?.id}/reply`, { text: answer });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ delivered: true, escalation: { status: 'answered' } });

    // The reply answers the citizen's own message, so it counts against the free reply quota.
    expect(fake.sent.filter((m) => m.recipient.user_id === userId)).toHaveLength(0);
    const replies = repliesTo(msgId);
    expect(replies).toHaveLength(2);
    expect(replies[1].text).toContain(answer);
    expect(replies[1].text).toContain('Cán bộ phát ngôn');
    expect(replies[1].text).toContain(goldPriceQuestion());
  });

  it('retries after the Zalo API answers 5xx and delivers the answer once', async () => {
    const { userId, msgId } = ids('5xx');
    fake.failNext({ status: 502 });
    expect(await deliver(event(userId, msgId, answered.sample.question))).toBe(200);

    await waitFor(() => repliesTo(msgId).length > 0, 'the answer after the retry');
    await t.loa.core.drain();
    expect(attemptsFor(msgId)).toHaveLength(2);
    expect(repliesTo(msgId)).toHaveLength(1);
    const [turn] = await t.runtime.storage.conversations.recentTurns('zalo', userId, 5);
    expect(turn.deliveryError).toBeUndefined();
  });

  it('refreshes an expired access token once, stores the new pair and delivers', async () => {
    const { userId, msgId } = ids('token');
    const refreshesBefore = fake.refreshCount;
    fake.expireToken();
    expect(await deliver(event(userId, msgId, answered.sample.question))).toBe(200);

    const [reply] = await waitFor(() => repliesTo(msgId).length > 0 && repliesTo(msgId), 'the answer after the refresh');
    await t.loa.core.drain();
    expect(fake.refreshCount).toBe(refreshesBefore + 1);
    expect(reply.accessToken).toBe(fake.accessToken);
    expect(repliesTo(msgId)).toHaveLength(1);
    // The single-use refresh token was replaced in the store, so the next refresh works too.
    expect(await t.runtime.storage.secrets.get(ZALO_TOKEN_KEYS.refreshToken)).toBe(fake.refreshToken);
  });

  it('rejects a bad signature with 401 and answers nothing', async () => {
    const { userId, msgId } = ids('badsig');
    const signed = signZaloEvent(event(userId, msgId, answered.sample.question), fake.appId, 'not-the-oa-secret');
    expect(await postWebhook(signed.body, signed.headers)).toBe(401);
    // Tampered body with the signature of the original.
    const good = signZaloEvent(event(userId, msgId, answered.sample.question), fake.appId, OA_SECRET_KEY);
    expect(await postWebhook(good.body.replace(answered.sample.question, 'giá vàng'), good.headers)).toBe(401);
    await t.loa.core.drain();
    expect(attemptsFor(msgId)).toHaveLength(0);
    expect(await t.runtime.storage.conversations.recentTurns('zalo', userId, 5)).toHaveLength(0);
  });

  it('does not greet a new follower by default: no call to Zalo, no token refresh', async () => {
    const { userId } = ids('follow');
    const before = fake.requests.length;
    const refreshes = fake.refreshCount;
    expect(await deliver(zaloFollowEvent('follow', { appId: fake.appId, userId }))).toBe(200);
    await t.loa.core.drain();
    expect(fake.requests.length).toBe(before);
    expect(fake.refreshCount).toBe(refreshes);
  });

  it('answers a non-follower in the OA chat widget through its anonymous conversation', async () => {
    const { userId, msgId } = ids('anon');
    fake.addAnonymousConversation(userId, `conv-${userId}`);
    const e = zaloMessageEvent('anonymous_send_text', { appId: fake.appId, userId, msgId, text: answered.sample.question });
    (e.message as Record<string, unknown>).conversation_id = `conv-${userId}`;
    expect(await deliver(e)).toBe(200);
    const [reply] = await waitFor(() => {
      const found = fake.sent.filter((m) => m.recipient.anonymous_id === userId);
      return found.length > 0 && found;
    }, 'the answer in the anonymous conversation');
    expect(reply.recipient).toEqual({ anonymous_id: userId, conversation_id: `conv-${userId}` });
    expect(reply.text).toContain('Nguồn:');
  });

  it('refuses a 1 MB body with 413', async () => {
    const { userId, msgId } = ids('big');
    const e = event(userId, msgId, 'a'.repeat(1024 * 1024));
    expect(await deliver(e)).toBe(413);
    await t.loa.core.drain();
    expect(attemptsFor(msgId)).toHaveLength(0);
  });
});
