import express from 'express';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { pino } from 'pino';
import { createAdminDeps, setupAdmin, type AdminHandle } from '../../admin/index.ts';
import { startTelegramNotifier } from '../../admin/escalations/notify-telegram.ts';
import { CoreEventEmitter } from '../../bots/core/events.ts';
import { FAILURES, startFakeTelegramApi, type FakeTelegramApi } from '../fakes/telegram-api.ts';
import { listenLocal } from '../support/listen.ts';
import { citizenAsks, loginAdmin, loginAs, openSse, startTestLoa, type TestLoa } from './harness.ts';

let t: TestLoa | undefined;
let fake: FakeTelegramApi | undefined;
afterEach(async () => {
  await t?.stop();
  await fake?.close();
  t = undefined;
  fake = undefined;
});

describe('live updates (SSE)', () => {
  it('streams escalation.created and escalation.updated; viewers get no citizen words', async () => {
    t = await startTestLoa({ LOA_SAMPLE_KNOWLEDGE: 'false' });
    const admin = await loginAdmin(t);
    const lan = await loginAs(t, 'spokesperson', admin);
    const viewer = await loginAs(t, 'viewer', admin);
    const officerStream = await openSse(lan.url('/events'), { cookie: lan.cookie });
    const viewerStream = await openSse(viewer.url('/events'), { cookie: viewer.cookie });
    expect(officerStream.status).toBe(200);
    expect(viewerStream.status).toBe(200);
    expect((await openSse(lan.url('/events'))).status).toBe(401);

    try {
      const { escalationId: id } = await citizenAsks(t, 'hỏi về trợ cấp thất nghiệp');
      const created = await officerStream.waitFor((e) => e.event === 'escalation.created' && e.data.id === id);
      expect(created.data).toMatchObject({ status: 'open', channel: 'webchat', question: expect.stringContaining('trợ cấp thất nghiệp') });
      expect(created.data.waitingSeconds).toBeGreaterThanOrEqual(0);

      await lan.post(`/escalations/${id}/claim`);
      const updated = await officerStream.waitFor((e) => e.event === 'escalation.updated' && e.data.id === id);
      expect(updated.data).toMatchObject({ status: 'claimed', assignee: lan.user.email });

      const seen = await viewerStream.waitFor((e) => e.event === 'escalation.updated' && e.data.id === id);
      expect(Object.keys(seen.data).sort()).toEqual(['channel', 'createdAt', 'id', 'reason', 'status', 'updatedAt']);
      expect(viewerStream.raw()).not.toContain('thất nghiệp');
      expect(officerStream.raw()).toMatch(/^retry: \d+/);
    } finally {
      officerStream.close();
      viewerStream.close();
    }
  });

  it('sends heartbeats and ends the stream at logout', async () => {
    t = await startTestLoa({ LOA_SAMPLE_KNOWLEDGE: 'false' });
    // A console of its own, with a short heartbeat (the default is 25 s).
    const handle: AdminHandle = await setupAdmin(createAdminDeps(t.runtime, t.loa.core), [], { heartbeatMs: 30 });
    const server = await listenLocal(express().use(handle.router));
    try {
      const base = server.url;
      const admin = await loginAdmin({ url: base });
      const stream = await openSse(`${base}/api/admin/events`, { cookie: admin.cookie });
      await vi.waitFor(() => expect(stream.raw()).toContain(': ping'), { timeout: 5000, interval: 20 });
      expect(handle.live.size).toBe(1);
      expect((await admin.post('/logout')).status).toBe(204);
      await stream.ended;
      expect(handle.live.size).toBe(0);
    } finally {
      await server.close();
      await handle.close();
    }
  });
});

describe('Telegram notification of new escalations', () => {
  it('sends the question and the console link to the spokespeople group', async () => {
    fake = await startFakeTelegramApi();
    t = await startTestLoa({
      LOA_SAMPLE_KNOWLEDGE: 'false',
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_WEBHOOK_SECRET: 'webhook-secret',
      TELEGRAM_API_ROOT: fake.apiRoot,
      LOA_NOTIFY_TELEGRAM_CHAT_ID: '-1001234567890',
      LOA_PUBLIC_URL: 'https://loa.example.gov.vn/',
    });
    const { escalationId: id } = await citizenAsks(t, 'hỏi về lương hưu <b>gấp</b> & nhanh');
    await vi.waitFor(() => expect(fake?.callsTo('sendMessage').length).toBe(1), { timeout: 5000, interval: 20 });
    const [call] = fake.callsTo('sendMessage');
    expect(call.chat_id).toBe('-1001234567890');
    expect(call.parse_mode).toBeUndefined();
    expect(call.link_preview_options).toEqual({ is_disabled: true });
    expect(call.text).toContain('hỏi về lương hưu <b>gấp</b> & nhanh');
    expect(call.text).toContain('(Web chat)');
    expect(call.text).toContain(`https://loa.example.gov.vn/admin/inbox/${id}`);
    expect(call.text).not.toContain('#/');
  });

  it('only logs a failure: the escalation is there all the same', async () => {
    fake = await startFakeTelegramApi();
    fake.failNext('sendMessage', FAILURES.chatNotFound());
    t = await startTestLoa({
      LOA_SAMPLE_KNOWLEDGE: 'false',
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_MODE: 'polling',
      TELEGRAM_API_ROOT: fake.apiRoot,
      LOA_NOTIFY_TELEGRAM_CHAT_ID: '-100999',
      LOA_NOTIFY_TELEGRAM_BATCH_S: '0',
    });
    const first = await citizenAsks(t, 'câu hỏi thứ nhất');
    await vi.waitFor(() => expect(fake?.callsTo('sendMessage').length).toBe(1), { timeout: 5000, interval: 20 });
    const second = await citizenAsks(t, 'câu hỏi thứ hai');
    await vi.waitFor(() => expect(fake?.callsTo('sendMessage').length).toBe(2), { timeout: 5000, interval: 20 });
    // Without LOA_PUBLIC_URL there is no link.
    expect(String(fake.callsTo('sendMessage')[1].text)).not.toContain('http');
    const lan = await loginAs(t, 'spokesperson');
    const ids = (await lan.get<{ items: { id: string }[] }>('/escalations')).body.items.map((e) => e.id);
    expect(ids).toEqual(expect.arrayContaining([first.escalationId, second.escalationId]));
  });

  it('sends at most one message per batch window, listing the escalations that arrived meanwhile', async () => {
    fake = await startFakeTelegramApi();
    t = await startTestLoa({
      LOA_SAMPLE_KNOWLEDGE: 'false',
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_MODE: 'polling',
      TELEGRAM_API_ROOT: fake.apiRoot,
      LOA_NOTIFY_TELEGRAM_CHAT_ID: '-100777',
      LOA_NOTIFY_TELEGRAM_BATCH_S: '6',
      LOA_PUBLIC_URL: 'https://loa.example.gov.vn',
    });
    await citizenAsks(t, 'câu hỏi đầu tiên');
    // The first after a quiet spell goes out at once.
    await vi.waitFor(() => expect(fake?.callsTo('sendMessage').length).toBe(1), { timeout: 3000, interval: 20 });
    for (let i = 1; i <= 12; i++) await citizenAsks(t, `câu hỏi dồn dập số ${i}`);
    expect(fake.callsTo('sendMessage')).toHaveLength(1);
    await vi.waitFor(() => expect(fake?.callsTo('sendMessage').length).toBe(2), { timeout: 10000, interval: 50 });
    const text = String(fake.callsTo('sendMessage')[1].text);
    expect(text).toMatch(/^12 câu hỏi mới cần cán bộ trả lời:/);
    expect(text).toContain('• (Web chat) “câu hỏi dồn dập số 1”');
    expect(text).toContain('… và 2 câu hỏi khác.');
    expect(text).toContain('Xem và trả lời: https://loa.example.gov.vn/admin/inbox');
    expect(text.length).toBeLessThan(4096);
  });

  it('is off unless both the chat id and the bot token are set', () => {
    const events = new CoreEventEmitter();
    const logger = pino({ level: 'silent' });
    const base = { TELEGRAM_API_ROOT: 'http://127.0.0.1:9', LOA_PUBLIC_URL: undefined };
    expect(startTelegramNotifier({ ...base, TELEGRAM_BOT_TOKEN: '1:x', LOA_NOTIFY_TELEGRAM_CHAT_ID: undefined }, events, logger)).toBeUndefined();
    expect(startTelegramNotifier({ ...base, TELEGRAM_BOT_TOKEN: undefined, LOA_NOTIFY_TELEGRAM_CHAT_ID: '-1' }, events, logger)).toBeUndefined();
    const on = startTelegramNotifier({ ...base, TELEGRAM_BOT_TOKEN: '1:x', LOA_NOTIFY_TELEGRAM_CHAT_ID: '-1' }, events, logger);
    expect(on).toBeDefined();
    on?.stop();
  });
});
