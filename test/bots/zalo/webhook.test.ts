import express from 'express';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { setupZalo } from '../../../bots/zalo/index.ts';
import { signZaloEvent, zaloFollowEvent, zaloMessageEvent } from '../../fakes/zalo-api.ts';
import { captureLogger } from '../../support/capture-logger.ts';
import { RecordingReceiver } from '../../support/recording-receiver.ts';
import { APP_ID, OA_SECRET_KEY, sqliteSecrets, startZaloApp, zaloConfig, type RunningApp } from './harness.ts';

let app: RunningApp;
beforeAll(async () => {
  app = await startZaloApp();
});
afterAll(async () => {
  await app.close();
});
beforeEach(() => {
  app.receiver.failWith = undefined;
});

let seq = 0;
const nextMsgId = () => `msg-${Date.now()}-${++seq}`;

async function post(body: string, headers: Record<string, string>): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${app.url}/webhooks/zalo`, { method: 'POST', headers, body });
  return { status: res.status, json: await res.json() };
}

async function postSigned(event: Record<string, unknown>, options: { withPrefix?: boolean } = {}) {
  const signed = signZaloEvent(event, APP_ID, OA_SECRET_KEY, options);
  return post(signed.body, signed.headers);
}

function received(msgId: string) {
  return app.receiver.messages.find((m) => m.channelMessageId === msgId);
}

describe('POST /webhooks/zalo: signed events', () => {
  it('turns a signed user_send_text into a text IncomingMessage and acknowledges', async () => {
    const msgId = nextMsgId();
    const timestamp = Date.now();
    const res = await postSigned(zaloMessageEvent('user_send_text', { appId: APP_ID, userId: 'u-1', msgId, text: 'Thủ tục làm CCCD thế nào?', timestamp }));
    expect(res).toEqual({ status: 200, json: { ok: true } });
    expect(received(msgId)).toEqual({
      channel: 'zalo',
      channelMessageId: msgId,
      from: { channel: 'zalo', userId: 'u-1', address: { userId: 'u-1', userIdByApp: 'byapp-u-1' } },
      kind: 'text',
      text: 'Thủ tục làm CCCD thế nào?',
      sentAt: new Date(timestamp).toISOString(),
    });
  });

  it('accepts the signature without the mac= prefix', async () => {
    const msgId = nextMsgId();
    const res = await postSigned(zaloMessageEvent('user_send_text', { appId: APP_ID, userId: 'u-2', msgId, text: 'xin chao' }), { withPrefix: false });
    expect(res.status).toBe(200);
    expect(received(msgId)?.text).toBe('xin chao');
  });

  it('verifies the exact bytes received (pretty-printed JSON, Vietnamese text)', async () => {
    const msgId = nextMsgId();
    const event = zaloMessageEvent('user_send_text', { appId: APP_ID, userId: 'u-3', msgId, text: 'Đăng ký tạm trú   ở đâu?' });
    const signed = signZaloEvent(JSON.stringify(event, null, 2), APP_ID, OA_SECRET_KEY);
    const res = await post(signed.body, signed.headers);
    expect(res.status).toBe(200);
    expect(received(msgId)?.text).toBe('Đăng ký tạm trú   ở đâu?');
  });

  it('acknowledges a redelivery and lets the receiver flag it as a duplicate', async () => {
    const msgId = nextMsgId();
    const event = zaloMessageEvent('user_send_text', { appId: APP_ID, userId: 'u-4', msgId, text: 'hỏi lại' });
    expect((await postSigned(event)).status).toBe(200);
    expect((await postSigned(event)).status).toBe(200);
    expect(app.receiver.messages.filter((m) => m.channelMessageId === msgId)).toHaveLength(1);
    expect(app.receiver.duplicates.filter((m) => m.channelMessageId === msgId)).toHaveLength(1);
  });

  it('maps anonymous_send_text to text and marks the address anonymous', async () => {
    const msgId = nextMsgId();
    const event = zaloMessageEvent('anonymous_send_text', { appId: APP_ID, userId: 'anon-1', msgId, text: 'hello' });
    (event.message as Record<string, unknown>).conversation_id = 'conv-9';
    expect((await postSigned(event)).status).toBe(200);
    expect(received(msgId)).toMatchObject({ kind: 'text', from: { userId: 'anon-1', address: { anonymous: true, conversationId: 'conv-9' } } });
  });
});

describe('POST /webhooks/zalo: event kinds', () => {
  const attachmentCases: Array<[string, string, unknown[], string | undefined]> = [
    ['user_send_image', 'image', [{ type: 'image', payload: { url: 'https://zalo.example/i.jpg', thumbnail: 'https://zalo.example/t.jpg' } }], undefined],
    ['user_send_gif', 'image', [{ type: 'gif', payload: { url: 'https://zalo.example/g.gif' } }], undefined],
    ['user_send_sticker', 'sticker', [{ type: 'sticker', payload: { id: 'st-1', url: 'https://zalo.example/s.png' } }], undefined],
    ['user_send_file', 'file', [{ type: 'file', payload: { url: 'https://zalo.example/f.pdf', name: 'don.pdf', size: '1024' } }], undefined],
    ['user_send_audio', 'audio', [{ type: 'audio', payload: { url: 'https://zalo.example/a.aac' } }], undefined],
    ['user_send_video', 'video', [{ type: 'video', payload: { url: 'https://zalo.example/v.mp4' } }], undefined],
    ['user_send_location', 'location', [{ type: 'location', payload: { coordinates: { latitude: '21.0285', longitude: '105.8542' } } }], undefined],
    ['user_send_location', 'location', [], undefined], // some sources put coordinates in message.location
    ['user_send_link', 'other', [{ type: 'link', payload: { url: 'https://chinhphu.vn/tin', description: 'Tin' } }], 'https://chinhphu.vn/tin'],
    ['user_send_business_card', 'other', [{ type: 'business_card', payload: { description: 'card' } }], undefined],
  ];

  it.each(attachmentCases)('%s → kind %s', async (eventName, kind, attachments, text) => {
    const msgId = nextMsgId();
    const res = await postSigned(zaloMessageEvent(eventName, { appId: APP_ID, userId: 'u-att', msgId, attachments }));
    expect(res.status).toBe(200);
    const msg = received(msgId);
    expect(msg).toMatchObject({ kind, channelMessageId: msgId, from: { channel: 'zalo', userId: 'u-att' } });
    expect(msg?.text).toBe(text);
  });

  it('keeps a caption typed with an image', async () => {
    const msgId = nextMsgId();
    const attachments = [{ type: 'image', payload: { url: 'https://zalo.example/x.jpg' } }];
    await postSigned(zaloMessageEvent('user_send_image', { appId: APP_ID, userId: 'u-cap', msgId, text: 'giấy này hợp lệ không?', attachments }));
    expect(received(msgId)).toMatchObject({ kind: 'image', text: 'giấy này hợp lệ không?' });
  });

  it('ignores follow by default (a greeting would be a proactive message) but records unfollow', async () => {
    const timestamp = Date.now();
    const res = await postSigned(zaloFollowEvent('follow', { appId: APP_ID, userId: 'f-0', timestamp }));
    expect(res).toEqual({ status: 200, json: { ok: true } });
    expect(app.receiver.messages.some((m) => m.from.userId === 'f-0')).toBe(false);
    expect(app.logs.records().some((l) => l.eventName === 'follow' && l.reason === 'follow_no_greeting')).toBe(true);
    await postSigned(zaloFollowEvent('unfollow', { appId: APP_ID, userId: 'f-0', timestamp: timestamp + 1 }));
    expect(app.receiver.messages.find((m) => m.from.userId === 'f-0')?.kind).toBe('unfollow');
  });

  it('with ZALO_GREET_FOLLOWERS, follow and unfollow use the follower id and a deterministic id', async () => {
    const greeting = await startZaloApp(zaloConfig({ ZALO_GREET_FOLLOWERS: 'true' }));
    const postTo = async (event: Record<string, unknown>) => {
      const signed = signZaloEvent(event, APP_ID, OA_SECRET_KEY);
      return (await fetch(`${greeting.url}/webhooks/zalo`, { method: 'POST', headers: signed.headers, body: signed.body })).status;
    };
    try {
      const timestamp = Date.now();
      const follow = zaloFollowEvent('follow', { appId: APP_ID, userId: 'f-1', timestamp });
      expect(await postTo(follow)).toBe(200);
      expect(await postTo(follow)).toBe(200); // Zalo retry of the same event
      const follows = greeting.receiver.messages.filter((m) => m.kind === 'follow' && m.from.userId === 'f-1');
      expect(follows).toHaveLength(1);
      expect(follows[0]).toMatchObject({ channel: 'zalo', from: { userId: 'f-1', address: { userId: 'f-1' } }, sentAt: new Date(timestamp).toISOString() });
      expect(greeting.receiver.duplicates.some((m) => m.channelMessageId === follows[0].channelMessageId)).toBe(true);

      await postTo(zaloFollowEvent('unfollow', { appId: APP_ID, userId: 'f-1', timestamp: timestamp + 1 }));
      const unfollow = greeting.receiver.messages.find((m) => m.kind === 'unfollow' && m.from.userId === 'f-1');
      expect(unfollow).toBeDefined();
      expect(unfollow?.channelMessageId).not.toBe(follows[0].channelMessageId);
    } finally {
      await greeting.close();
    }
  });

  it.each(['oa_send_text', 'oa_send_image', 'user_received_message', 'user_seen_message', 'user_submit_info'])(
    'acknowledges and ignores %s',
    async (eventName) => {
      const before = app.receiver.messages.length;
      const msgId = nextMsgId();
      const res = await postSigned(zaloMessageEvent(eventName, { appId: APP_ID, userId: 'oa-1', msgId, text: 'echo' }));
      expect(res).toEqual({ status: 200, json: { ok: true } });
      expect(app.receiver.messages.length).toBe(before);
      expect(app.logs.records().some((l) => l.eventName === eventName && l.msg === 'zalo webhook: event ignored')).toBe(true);
    },
  );

  it('acknowledges a known event with an unexpected shape without passing it on, and warns', async () => {
    const before = app.receiver.messages.length;
    const event = { app_id: APP_ID, event_name: 'user_send_text', timestamp: String(Date.now()), sender: { id: 'u' } };
    const res = await postSigned(event);
    expect(res.status).toBe(200);
    expect(app.receiver.messages.length).toBe(before);
    expect(app.logs.records().some((l) => l.level === 40 && String(l.msg).includes('unexpected shape'))).toBe(true);
  });
});

describe('POST /webhooks/zalo: rejections', () => {
  function textEvent(overrides: { timestamp?: number; appId?: string } = {}) {
    return zaloMessageEvent('user_send_text', { appId: overrides.appId ?? APP_ID, userId: 'attacker', msgId: nextMsgId(), text: 'x', timestamp: overrides.timestamp });
  }

  function lastRejection() {
    return app.logs.records().filter((l) => l.msg === 'zalo webhook: rejected').at(-1);
  }

  it('rejects a wrong signature with 401 and logs it without the secret', async () => {
    const before = app.receiver.messages.length;
    const signed = signZaloEvent(textEvent(), APP_ID, 'not-the-key');
    const res = await post(signed.body, signed.headers);
    expect(res.status).toBe(401);
    expect(app.receiver.messages.length).toBe(before);
    expect(lastRejection()).toMatchObject({ level: 40, reason: 'bad_signature' });
    expect(app.logs.raw()).not.toContain(OA_SECRET_KEY);
  });

  it('rejects a body altered after signing', async () => {
    const signed = signZaloEvent(textEvent(), APP_ID, OA_SECRET_KEY);
    const res = await post(signed.body.replace('"x"', '"y"'), signed.headers);
    expect(res.status).toBe(401);
  });

  it('rejects an event without a signature header', async () => {
    const res = await post(JSON.stringify(textEvent()), { 'content-type': 'application/json' });
    expect(res.status).toBe(401);
    expect(lastRejection()).toMatchObject({ reason: 'missing_signature' });
  });

  it('accepts a signed event Zalo redelivers hours later (after an outage) and deduplicates it on msg_id', async () => {
    const event = textEvent({ timestamp: Date.now() - 11 * 3600 * 1000 });
    expect((await postSigned(event)).status).toBe(200);
    expect((await postSigned(event)).status).toBe(200);
    const msgId = String((event.message as Record<string, unknown>).msg_id);
    expect(app.receiver.messages.filter((m) => m.channelMessageId === msgId)).toHaveLength(1);
    expect(app.receiver.duplicates.filter((m) => m.channelMessageId === msgId)).toHaveLength(1);
  });

  it('rejects a correctly signed event older than ZALO_MAX_EVENT_AGE_S (a day by default)', async () => {
    const res = await postSigned(textEvent({ timestamp: Date.now() - 25 * 3600 * 1000 }));
    expect(res.status).toBe(401);
    expect(lastRejection()).toMatchObject({ reason: 'stale_timestamp' });
  });

  it('rejects a correctly signed event from the future beyond the clock skew, accepts one within it', async () => {
    const res = await postSigned(textEvent({ timestamp: Date.now() + 10 * 60 * 1000 }));
    expect(res.status).toBe(401);
    expect(lastRejection()).toMatchObject({ reason: 'future_timestamp' });
    expect((await postSigned(textEvent({ timestamp: Date.now() + 60 * 1000 }))).status).toBe(200);
  });

  it('rejects an event for another app, even when signed consistently', async () => {
    const signed = signZaloEvent(textEvent({ appId: 'other-app' }), 'other-app', OA_SECRET_KEY);
    const res = await post(signed.body, signed.headers);
    expect(res.status).toBe(401);
    expect(lastRejection()).toMatchObject({ reason: 'wrong_app_id' });
  });

  it('answers malformed JSON with a 400 JSON error', async () => {
    const res = await post('{"app_id": "app-123", "event_name": ', { 'content-type': 'application/json', 'x-zevent-signature': 'mac=00' });
    expect(res).toEqual({ status: 400, json: { error: { code: 'malformed_json', message: expect.any(String) } } });
  });

  it('answers a 1 MB body with 413', async () => {
    const event = textEvent();
    (event.message as Record<string, unknown>).text = 'a'.repeat(1024 * 1024);
    const signed = signZaloEvent(event, APP_ID, OA_SECRET_KEY);
    const res = await post(signed.body, signed.headers);
    expect(res).toEqual({ status: 413, json: { error: { code: 'payload_too_large', message: expect.any(String) } } });
  });

  it('answers 500 when the receiver cannot persist, so that Zalo retries, and accepts the retry', async () => {
    const event = textEvent();
    app.receiver.failWith = new Error('database is locked');
    expect((await postSigned(event)).status).toBe(500);
    const msgId = String((event.message as Record<string, unknown>).msg_id);
    expect(received(msgId)).toBeUndefined();

    app.receiver.failWith = undefined;
    expect((await postSigned(event)).status).toBe(200);
    expect(received(msgId)).toBeDefined();
  });
});

describe('webhook registration and domain verification', () => {
  it('answers GET /webhooks/zalo with 200', async () => {
    const res = await fetch(`${app.url}/webhooks/zalo`);
    expect(res.status).toBe(200);
  });

  it.each([
    ['an unsigned test event', { app_id: APP_ID, event_name: 'test', timestamp: String(Date.now()) }],
    ['an unsigned body that is not an event', { hello: 'zalo' }],
  ])('answers %s with 200 and passes nothing on', async (_label, body) => {
    const before = app.receiver.received.length;
    const res = await post(JSON.stringify(body), { 'content-type': 'application/json' });
    expect(res).toEqual({ status: 200, json: { ok: true } });
    expect(app.receiver.received.length).toBe(before);
  });

  it('serves zalo_verifier<code>.html with the meta tag when ZALO_SITE_VERIFICATION is set, even before tokens are configured', async () => {
    const code = 'UERWBlpADnKQr-8ntgHQC2EaYHVFqbvBDp4q';
    const verifying = await startZaloApp(zaloConfig({ ZALO_SITE_VERIFICATION: code, ZALO_ACCESS_TOKEN: '', ZALO_REFRESH_TOKEN: '' }));
    try {
      expect(verifying.handle).toBeUndefined();
      const res = await fetch(`${verifying.url}/zalo_verifier${code}.html`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await res.text()).toContain(`<meta name="zalo-platform-site-verification" content="${code}" />`);
      expect((await fetch(`${verifying.url}/zalo_verifierOTHER.html`)).status).toBe(404);
    } finally {
      await verifying.close();
    }
  });

  it('refuses a verification code that could inject markup', () => {
    expect(() => zaloConfig({ ZALO_SITE_VERIFICATION: '"><script>' })).toThrow(/ZALO_SITE_VERIFICATION/);
  });
});

describe('setupZalo', () => {
  it.each([
    ['ZALO_APP_ID', { ZALO_APP_ID: '' }],
    ['ZALO_OA_SECRET_KEY', { ZALO_OA_SECRET_KEY: '' }],
    ['ZALO_ACCESS_TOKEN or ZALO_REFRESH_TOKEN', { ZALO_ACCESS_TOKEN: '', ZALO_REFRESH_TOKEN: '' }],
  ])('returns undefined and mounts nothing without %s', async (missing, env) => {
    const logs = captureLogger();
    const expressApp = express();
    const handle = setupZalo({ app: expressApp, config: zaloConfig(env), logger: logs.logger, receiver: new RecordingReceiver(), secrets: sqliteSecrets(), loopbackOnly: true });
    expect(handle).toBeUndefined();
    const line = logs.records().find((l) => l.msg === 'zalo: not configured, channel disabled');
    expect(line).toMatchObject({ level: 30, missing: [missing] });
    expect(expressApp.router.stack.some((layer) => layer.route?.path === '/webhooks/zalo')).toBe(false);
  });

  it('returns a zalo sender when configured', () => {
    const handle = setupZalo({ app: express(), config: zaloConfig(), logger: pino({ level: 'silent' }), receiver: new RecordingReceiver(), secrets: sqliteSecrets(), loopbackOnly: true });
    expect(handle?.sender.channel).toBe('zalo');
  });
});
