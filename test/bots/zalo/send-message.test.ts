import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { ChannelSendError, type OutgoingMessage, type Recipient, type SecretStore } from '../../../bots/core/types.ts';
import { ZaloOaClient } from '../../../bots/zalo/oa-client.ts';
import { ZaloSender } from '../../../bots/zalo/send-message.ts';
import { ZALO_TOKEN_KEYS } from '../../../bots/zalo/tokens.ts';
import type { Citation } from '../../../retrieval/types.ts';
import { FakeZaloApi, MESSAGE_PATH, TOKEN_PATH } from '../../fakes/zalo-api.ts';
import { APP_ID, APP_SECRET, sqliteSecrets, startZaloApp, zaloConfig } from './harness.ts';

const silent = pino({ level: 'silent' });
const citizen: Recipient = { channel: 'zalo', userId: 'u-1', address: { userId: 'u-1' } };

let fake: FakeZaloApi;
beforeEach(async () => {
  fake = await FakeZaloApi.start({ appId: APP_ID, appSecret: APP_SECRET, accessToken: 'access-0', refreshToken: 'refresh-0' });
  // The citizen's messages the tests reply to: Zalo refuses a reply to any other message id.
  for (const id of ['in-1', 'in-2', 'in-3']) fake.addUserMessage(id, 'u-1');
});
afterEach(async () => {
  await fake.close();
});

function makeSender(options: { secrets?: SecretStore; seed?: { accessToken?: string; refreshToken?: string }; timeoutMs?: number; appsecretProof?: boolean } = {}) {
  const secrets = options.secrets ?? sqliteSecrets();
  const client = new ZaloOaClient({
    apiBase: fake.url,
    oauthBase: fake.url,
    appId: APP_ID,
    appSecret: APP_SECRET,
    secrets,
    seed: options.seed ?? { accessToken: 'access-0', refreshToken: 'refresh-0' },
    logger: silent,
    timeoutMs: options.timeoutMs,
    appsecretProof: options.appsecretProof,
  });
  return { sender: new ZaloSender(client, silent), secrets, client };
}

async function sendError(promise: Promise<unknown>): Promise<ChannelSendError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ChannelSendError);
  return err as ChannelSendError;
}

const short: OutgoingMessage = { kind: 'notice', text: 'Cảm ơn bạn đã nhắn tin.', replyToChannelMessageId: 'in-1' };

/** ~40 numbered sentences of about 110 characters: more than two Zalo messages. */
function longText(): string {
  return Array.from({ length: 40 }, (_, i) => `Câu số ${i + 1}: công dân nộp hồ sơ đăng ký thường trú tại cơ quan đăng ký cư trú nơi mình dự kiến sinh sống.`).join(' ');
}

const citation: Citation = {
  id: 'luat-cu-tru/d20/k2',
  title: 'Luật Cư trú',
  section: 'Điều 20, Khoản 2',
  number: '68/2020/QH14',
  url: 'https://vanban.chinhphu.vn/luat-cu-tru',
  status: 'in_force',
  quote: 'Công dân được đăng ký thường trú tại chỗ ở hợp pháp…',
  score: 0.9,
};

describe('ZaloSender through setupZalo', () => {
  it('replies by message_id with the stored token and returns the Zalo message id', async () => {
    const running = await startZaloApp(zaloConfig({ ZALO_API_BASE: fake.url, ZALO_OAUTH_BASE: fake.url }));
    try {
      fake.addUserMessage('in-1', 'u-1');
      const result = await running.handle!.sender.send(citizen, short);
      expect(fake.sent).toEqual([{ recipient: { message_id: 'in-1' }, text: 'Cảm ơn bạn đã nhắn tin.', messageId: 'zmsg-1', accessToken: 'access-0' }]);
      expect(result).toEqual({ channelMessageIds: ['zmsg-1'] });
      const req = fake.requestsTo(MESSAGE_PATH)[0];
      expect(req.headers['content-type']).toBe('application/json');
      expect(JSON.parse(req.body)).toEqual({ recipient: { message_id: 'in-1' }, message: { text: 'Cảm ơn bạn đã nhắn tin.' } });
    } finally {
      await running.close();
    }
  });
});

describe('ZaloSender rendering', () => {
  it('writes to user_id when there is no message to reply to', async () => {
    const { sender } = makeSender();
    await sender.send(citizen, { kind: 'spokesperson_reply', text: 'Trả lời của người phát ngôn.' });
    expect(fake.sent.map((s) => s.recipient)).toEqual([{ user_id: 'u-1' }]);
  });

  it('splits a long answer into ≤ 2000-character parts on sentence boundaries, in order, all replying to the message', async () => {
    const { sender } = makeSender();
    const text = longText();
    const result = await sender.send(citizen, { kind: 'answer', text, answerId: 'a-1', citations: [citation], replyToChannelMessageId: 'in-2' });

    expect(fake.sent.length).toBeGreaterThanOrEqual(3);
    expect(result.channelMessageIds).toEqual(fake.sent.map((s) => s.messageId));
    for (const part of fake.sent) {
      expect(part.text.length).toBeLessThanOrEqual(2000);
      expect(part.recipient).toEqual({ message_id: 'in-2' });
    }
    // Every part but the last ends a sentence; the numbered sentences arrive once each, in order.
    for (const part of fake.sent.slice(0, -1)) expect(part.text).toMatch(/[.?!]$/);
    const numbers = [...fake.sent.map((s) => s.text).join(' ').matchAll(/Câu số (\d+):/g)].map((m) => Number(m[1]));
    expect(numbers).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));

    const last = fake.sent.at(-1)!.text;
    expect(last).toContain('Nguồn:');
    expect(last).toContain('[1] Luật Cư trú (68/2020/QH14), Điều 20, Khoản 2 – https://vanban.chinhphu.vn/luat-cu-tru');
    expect(last).toContain('👍');
  });

  it('marks a superseded source as such', async () => {
    const { sender } = makeSender();
    await sender.send(citizen, { kind: 'answer', text: 'Theo quy định cũ.', citations: [{ ...citation, status: 'superseded' }] });
    expect(fake.sent[0].text).toContain('đã được thay thế');
  });

  it('sends only the parts still missing when the outbox retries a partly delivered message', async () => {
    const { sender } = makeSender();
    const message: OutgoingMessage = { kind: 'answer', text: longText(), answerId: 'a-2', replyToChannelMessageId: 'in-3' };
    fake.failNext('ok', { status: 503 }); // part 1 delivered, part 2 fails
    const err = await sendError(sender.send(citizen, message));
    expect(err.retryable).toBe(true);
    expect(fake.sent).toHaveLength(1);

    const retry = await sender.send(citizen, message);
    const texts = fake.sent.map((s) => s.text);
    expect(new Set(texts).size).toBe(texts.length); // no part delivered twice
    expect(retry.channelMessageIds).toEqual(fake.sent.map((s) => s.messageId));
    expect(texts.join(' ')).toMatch(/Câu số 1:[\s\S]*Câu số 40:/);
  });
});

describe('ZaloOaClient tokens', () => {
  it('refreshes an expired token once, stores the new pair, retries and delivers', async () => {
    const { sender, secrets } = makeSender();
    fake.expireToken();
    const result = await sender.send(citizen, short);

    expect(fake.refreshCount).toBe(1);
    expect(result.channelMessageIds).toEqual(['zmsg-1']);
    expect(fake.sent[0].accessToken).toBe('access-1');
    expect(await secrets.get(ZALO_TOKEN_KEYS.accessToken)).toBe('access-1');
    expect(await secrets.get(ZALO_TOKEN_KEYS.refreshToken)).toBe('refresh-1');
    expect(Number(await secrets.get(ZALO_TOKEN_KEYS.expiresAt))).toBeGreaterThan(Date.now() + 80_000 * 1000);

    const refresh = fake.requestsTo(TOKEN_PATH)[0];
    expect(refresh.headers.secret_key).toBe(APP_SECRET);
    expect(refresh.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(refresh.body))).toEqual({ refresh_token: 'refresh-0', app_id: APP_ID, grant_type: 'refresh_token' });
    expect(fake.requests.map((r) => r.path)).toEqual([MESSAGE_PATH, TOKEN_PATH, MESSAGE_PATH]);
  });

  it('uses the rotated refresh token for the next refresh (single-use)', async () => {
    const { sender } = makeSender();
    fake.expireToken();
    await sender.send(citizen, short);
    fake.expireToken();
    await sender.send(citizen, short);
    expect(fake.refreshCount).toBe(2);
    expect(fake.requestsTo(TOKEN_PATH).map((r) => new URLSearchParams(r.body).get('refresh_token'))).toEqual(['refresh-0', 'refresh-1']);
  });

  it('shares one refresh among concurrent sends during expiry', async () => {
    const { sender } = makeSender();
    fake.expireToken();
    const release = fake.holdRefreshes();
    const sends = ['a', 'b', 'c'].map((n) => sender.send({ ...citizen, userId: n, address: { userId: n } }, { kind: 'notice', text: `Tin ${n}.` }));
    await fake.waitForRequests(MESSAGE_PATH, 3);
    await fake.waitForRequests(TOKEN_PATH, 1);
    release();
    const results = await Promise.all(sends);

    expect(fake.refreshCount).toBe(1);
    expect(fake.requestsTo(TOKEN_PATH)).toHaveLength(1);
    expect(results.every((r) => r.channelMessageIds.length === 1)).toBe(true);
    expect(fake.sent.map((s) => s.accessToken)).toEqual(['access-1', 'access-1', 'access-1']);
    expect(fake.sent.map((s) => s.recipient.user_id).sort()).toEqual(['a', 'b', 'c']);
  });

  it('keeps stored tokens over the environment across restarts', async () => {
    const secrets = sqliteSecrets();
    fake.expireToken();
    await makeSender({ secrets }).sender.send(citizen, short); // rotates to access-1 / refresh-1
    // A restart with the same env: the stored (rotated) pair must be used, not access-0.
    await makeSender({ secrets }).sender.send(citizen, short);
    expect(fake.refreshCount).toBe(1);
    expect(fake.sent.map((s) => s.accessToken)).toEqual(['access-1', 'access-1']);
  });

  it('does not overwrite tokens stored by other means with the environment', async () => {
    const secrets = sqliteSecrets();
    await secrets.setMany({ [ZALO_TOKEN_KEYS.accessToken]: 'access-0', [ZALO_TOKEN_KEYS.refreshToken]: 'refresh-0' });
    await makeSender({ secrets, seed: { accessToken: 'stale-env', refreshToken: 'stale-env-refresh' } }).sender.send(citizen, short);
    expect(fake.sent[0].accessToken).toBe('access-0');
  });

  it('re-seeds from the environment when the operator puts new tokens there', async () => {
    const secrets = sqliteSecrets();
    await makeSender({ secrets, seed: { accessToken: 'old', refreshToken: 'old-refresh' } }).client.tokens.current();
    expect(await secrets.get(ZALO_TOKEN_KEYS.accessToken)).toBe('old');
    await makeSender({ secrets }).sender.send(citizen, short);
    expect(fake.sent[0].accessToken).toBe('access-0');
  });

  it('refreshes first when there is only a refresh token', async () => {
    const { sender } = makeSender({ seed: { refreshToken: 'refresh-0' } });
    await sender.send(citizen, short);
    expect(fake.requests.map((r) => r.path)).toEqual([TOKEN_PATH, MESSAGE_PATH]);
    expect(fake.sent[0].accessToken).toBe('access-1');
  });

  it('fails without retry when the refresh token is refused, leaving the store as it was', async () => {
    const { sender, secrets } = makeSender({ seed: { accessToken: 'access-0', refreshToken: 'spent-refresh' } });
    fake.expireToken();
    const err = await sendError(sender.send(citizen, short));
    expect(err.retryable).toBe(false);
    expect(err.code).toBe(-14014);
    expect(await secrets.get(ZALO_TOKEN_KEYS.refreshToken)).toBe('spent-refresh');
    expect(fake.sent).toHaveLength(0);
  });

  it('reports degraded health while no usable token can be had, ok again after a delivery', async () => {
    const { sender, client, secrets } = makeSender({ seed: { accessToken: 'access-0', refreshToken: 'spent-refresh' } });
    expect(client.health()).toEqual({ status: 'ok' });
    fake.expireToken();
    await sendError(sender.send(citizen, short));
    expect(client.health()).toEqual({ status: 'degraded', detail: 'token: -14014' });
    // The operator authorises the app again: a working pair is stored.
    await secrets.setMany({ [ZALO_TOKEN_KEYS.refreshToken]: fake.refreshToken });
    await sender.send(citizen, short);
    expect(client.health()).toEqual({ status: 'ok' });
  });

  it('keeps a refreshed pair it could not store and stores it on the next send, without refreshing again', async () => {
    const inner = sqliteSecrets();
    let failWrites = false;
    const flaky: SecretStore = {
      get: (key) => inner.get(key),
      setMany: async (values) => {
        if (failWrites) throw new Error('disk full');
        await inner.setMany(values);
      },
    };
    const { sender, client } = makeSender({ secrets: flaky });
    await client.tokens.current(); // seed while writes work
    fake.expireToken();
    failWrites = true;
    const err = await sendError(sender.send(citizen, short));
    expect(err).toMatchObject({ retryable: true, code: 'token_store_failed' });
    expect(fake.sent).toHaveLength(0);

    failWrites = false;
    await sender.send(citizen, short);
    expect(fake.refreshCount).toBe(1);
    expect(fake.sent[0].accessToken).toBe('access-1');
    expect(await inner.get(ZALO_TOKEN_KEYS.refreshToken)).toBe('refresh-1');
  });
});

describe('ZaloOaClient errors', () => {
  it('-32 (rate limit) is retryable with a back-off', async () => {
    const { sender } = makeSender();
    fake.failNext({ error: -32 });
    const err = await sendError(sender.send(citizen, short));
    expect(err).toMatchObject({ retryable: true, code: -32 });
    expect(err.retryAfterMs).toBeGreaterThan(0);
  });

  it.each([-213, -230, -232, -211, -224])('%i is not retryable and keeps its code', async (code) => {
    const { sender } = makeSender();
    fake.failNext({ error: code });
    const err = await sendError(sender.send(citizen, short));
    expect(err).toMatchObject({ retryable: false, code });
    expect(err.message).toMatch(/\/ /); // Vietnamese / English
    expect(fake.refreshCount).toBe(0);
  });

  it('HTTP 5xx is retryable', async () => {
    const { sender } = makeSender();
    fake.failNext({ status: 502 });
    const err = await sendError(sender.send(citizen, short));
    expect(err).toMatchObject({ retryable: true, code: 'http_502' });
  });

  it('HTTP 429 is retryable and honours Retry-After', async () => {
    const { sender } = makeSender();
    fake.failNext({ status: 429, headers: { 'retry-after': '7' } });
    const err = await sendError(sender.send(citizen, short));
    expect(err).toMatchObject({ retryable: true, retryAfterMs: 7000 });
  });

  it('a request that hangs times out as retryable', async () => {
    const { sender } = makeSender({ timeoutMs: 300 });
    fake.failNext('hang');
    const err = await sendError(sender.send(citizen, short));
    expect(err).toMatchObject({ retryable: true, code: 'timeout' });
  });

  it('a closed port is a retryable network error', async () => {
    const { sender } = makeSender();
    await fake.close();
    const err = await sendError(sender.send(citizen, short));
    expect(err).toMatchObject({ retryable: true, code: 'network' });
    fake = await FakeZaloApi.start({ appId: APP_ID, appSecret: APP_SECRET });
  });

  it('a token still refused after a refresh is not retried again', async () => {
    const { sender } = makeSender();
    fake.failNext({ error: -216 }, { error: -216 });
    const err = await sendError(sender.send(citizen, short));
    expect(err).toMatchObject({ retryable: false, code: -216 });
    expect(fake.refreshCount).toBe(1);
    expect(fake.requests.map((r) => r.path)).toEqual([MESSAGE_PATH, TOKEN_PATH, MESSAGE_PATH]);
  });

  it('-201 is a bad request: no refresh (the refresh token is single-use), not retryable', async () => {
    const { sender, secrets } = makeSender();
    const err = await sendError(sender.send(citizen, { ...short, replyToChannelMessageId: 'never-sent-by-the-user' }));
    expect(err).toMatchObject({ retryable: false, code: -201 });
    expect(err.message).toMatch(/không hợp lệ \/ /);
    expect(fake.refreshCount).toBe(0);
    expect(fake.requests.map((r) => r.path)).toEqual([MESSAGE_PATH]);
    expect(await secrets.get(ZALO_TOKEN_KEYS.refreshToken)).toBe('refresh-0');
  });
});

describe('ZaloSender recipients', () => {
  it('sends a greeting after follow to user_id, never as a reply to the follow event (Zalo would refuse it)', async () => {
    const { sender } = makeSender();
    await sender.send(citizen, { kind: 'notice', text: 'Xin chào', replyToChannelMessageId: 'follow:u-1:1764800000000' });
    expect(fake.sent.map((m) => m.recipient)).toEqual([{ user_id: 'u-1' }]);
    expect(fake.refreshCount).toBe(0);
  });

  it('answers a non-follower in the OA chat widget by anonymous_id and conversation_id', async () => {
    const { sender } = makeSender();
    fake.addAnonymousConversation('anon-7', 'conv-9');
    const anonymous: Recipient = { channel: 'zalo', userId: 'anon-7', address: { userId: 'anon-7', anonymous: true, conversationId: 'conv-9' } };
    await sender.send(anonymous, { kind: 'answer', text: 'Trả lời.', replyToChannelMessageId: 'anon-msg-1' });
    expect(fake.sent.map((m) => m.recipient)).toEqual([{ anonymous_id: 'anon-7', conversation_id: 'conv-9' }]);
  });

  it('refuses, without calling Zalo, an anonymous conversation that has no conversation_id', async () => {
    const { sender } = makeSender();
    const err = await sendError(sender.send({ channel: 'zalo', userId: 'anon-8', address: { userId: 'anon-8', anonymous: true } }, short));
    expect(err).toMatchObject({ retryable: false, code: 'no_conversation_id' });
    expect(fake.requests).toHaveLength(0);
  });

  it('sends appsecret_proof when the app requires it, and the fake refuses calls without it', async () => {
    await fake.close();
    fake = await FakeZaloApi.start({ appId: APP_ID, appSecret: APP_SECRET, requireAppsecretProof: true });
    fake.addUserMessage('in-1', 'u-1');
    const without = makeSender();
    expect((await sendError(without.sender.send(citizen, short))).retryable).toBe(false);
    const withProof = makeSender({ appsecretProof: true });
    await withProof.sender.send(citizen, short);
    expect(fake.sent).toHaveLength(1);
    // hex(HMAC-SHA256(access_token)) keyed with the App Secret, computed independently here.
    const expected = createHmac('sha256', APP_SECRET).update('access-0').digest('hex');
    expect(fake.requestsTo(MESSAGE_PATH).at(-1)?.headers.appsecret_proof).toBe(expected);
  });
});
