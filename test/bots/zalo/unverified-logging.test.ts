import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signZaloEvent, zaloMessageEvent } from '../../fakes/zalo-api.ts';
import { startZaloApp, type RunningApp } from './harness.ts';

let app: RunningApp;
beforeAll(async () => {
  app = await startZaloApp();
});
afterAll(async () => {
  await app?.close();
});

describe('Zalo webhook: what an unverified request may put in the logs', () => {
  it('logs nothing of an unsigned body but its event name, cut to 64 characters', async () => {
    const huge = 'A'.repeat(100_000);
    const event = { ...zaloMessageEvent('user_send_text', { appId: huge, userId: 'u', msgId: 'm1', text: 'x' }), event_name: `user_send_text${'B'.repeat(50_000)}` };
    const signed = signZaloEvent(event, huge, 'whatever');
    const res = await fetch(`${app.url}/webhooks/zalo`, { method: 'POST', headers: signed.headers, body: signed.body });
    expect(res.status).toBe(401);
    const rejection = app.logs.records().filter((l) => l.msg === 'zalo webhook: rejected').at(-1);
    // The signature is checked first (the app id is part of what is signed), so the app id is never logged.
    expect(rejection).toMatchObject({ reason: 'bad_signature' });
    expect(rejection).not.toHaveProperty('eventAppId');
    expect(String(rejection?.eventName).length).toBe(65);
    expect(app.logs.raw().length).toBeLessThan(5_000);
  });
});
