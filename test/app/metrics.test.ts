import { afterEach, describe, expect, it } from 'vitest';
import { startTestLoa, type TestLoa } from '../admin/harness.ts';
import { FakeZaloApi, signZaloEvent, zaloMessageEvent } from '../fakes/zalo-api.ts';

const TOKEN = 'metrics-token-for-tests-0123456789';
const OA_SECRET_KEY = 'metrics-oa-secret';

/** One sample's value from the Prometheus text format, e.g. value(text, 'loa_inbox_items{status="pending"}'). */
function value(text: string, sample: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${sample} `));
  return line === undefined ? undefined : Number(line.slice(sample.length + 1));
}

describe('/metrics', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });
  async function start(env: Record<string, string>): Promise<TestLoa> {
    const t = await startTestLoa({ LOA_SAMPLE_KNOWLEDGE: 'false', ...env });
    cleanup.push(() => t.stop());
    return t;
  }

  it('is off without LOA_METRICS_TOKEN or LOA_METRICS_PORT', async () => {
    const t = await start({});
    expect((await fetch(`${t.url}/metrics`)).status).toBe(404);
  });

  it('refuses a missing or wrong bearer token', async () => {
    const t = await start({ LOA_METRICS_TOKEN: TOKEN });
    expect((await fetch(`${t.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}x` } })).status).toBe(401);
    expect((await fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
  });

  it('serves on a separate port without a token, and not on the public one', async () => {
    const t = await start({ LOA_METRICS_PORT: '0', LOA_METRICS_TOKEN: TOKEN });
    expect(t.loa.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
    const res = await fetch(`${t.loa.metricsUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toContain('loa_process_nodejs_eventloop_lag_seconds');
  });

  it('counts queues, sends and failures by code, token refreshes, acknowledgements and answer outcomes', async () => {
    const fake = await FakeZaloApi.start({ appId: 'm-app', appSecret: 'm-secret', accessToken: 'access-0', refreshToken: 'refresh-0' });
    cleanup.push(() => fake.close());
    const t = await start({
      LOA_METRICS_TOKEN: TOKEN,
      ZALO_API_BASE: fake.url,
      ZALO_OAUTH_BASE: fake.url,
      ZALO_APP_ID: fake.appId,
      ZALO_APP_SECRET: fake.appSecret,
      ZALO_OA_SECRET_KEY: OA_SECRET_KEY,
      ZALO_ACCESS_TOKEN: 'access-0',
      ZALO_REFRESH_TOKEN: 'refresh-0',
    });
    const scrape = async () => (await fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
    const deliver = async (msgId: string, known: boolean) => {
      if (known) fake.addUserMessage(msgId, 'mu-1');
      const signed = signZaloEvent(zaloMessageEvent('user_send_text', { appId: fake.appId, userId: 'mu-1', msgId, text: 'xin chào' }), fake.appId, OA_SECRET_KEY);
      expect((await fetch(`${t.url}/webhooks/zalo`, { method: 'POST', headers: signed.headers, body: signed.body })).status).toBe(200);
    };

    fake.expireToken(); // the first send refreshes the token
    await deliver('m-1', true);
    await t.loa.core.drain();
    await deliver('m-2', false); // Zalo refuses a reply to a message it does not know: -201
    await t.loa.core.drain();

    const text = await scrape();
    expect(value(text, 'loa_channel_sends_total{channel="zalo",result="sent",code=""}')).toBe(1);
    expect(value(text, 'loa_channel_sends_total{channel="zalo",result="failed",code="-201"}')).toBe(1);
    expect(value(text, 'loa_token_refreshes_total{channel="zalo",outcome="ok"}')).toBe(1);
    expect(value(text, 'loa_webhook_ack_seconds_count{channel="zalo",status="200"}')).toBe(2);
    expect(value(text, 'loa_answers_total{outcome="welcome"}')).toBe(2);
    expect(value(text, 'loa_inbox_items{status="pending"}')).toBe(0);
    expect(value(text, 'loa_outbox_items{status="failed"}')).toBe(1);
    expect(value(text, 'loa_inbox_oldest_pending_age_seconds')).toBe(0);
    expect(text).toContain('loa_postgres_errors_total 0');
    expect(text).toContain('loa_redis_errors_total 0');
  });

  it('counts sends whose outcome is unknown, by channel and cause', async () => {
    const fake = await FakeZaloApi.start({ appId: 'u-app', appSecret: 'u-secret', accessToken: 'access-u', refreshToken: 'refresh-u' });
    cleanup.push(() => fake.close());
    const t = await start({
      LOA_METRICS_TOKEN: TOKEN,
      LOA_SEND_TIMEOUT_MS: '300',
      // Held rather than resent, so the count is exactly the one timeout.
      LOA_UNKNOWN_OUTCOME: 'hold',
      ZALO_API_BASE: fake.url,
      ZALO_OAUTH_BASE: fake.url,
      ZALO_APP_ID: fake.appId,
      ZALO_APP_SECRET: fake.appSecret,
      ZALO_OA_SECRET_KEY: OA_SECRET_KEY,
      ZALO_ACCESS_TOKEN: 'access-u',
      ZALO_REFRESH_TOKEN: 'refresh-u',
    });
    const scrape = async () => (await fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
    const deliver = async (msgId: string) => {
      fake.addUserMessage(msgId, 'uu-1');
      const signed = signZaloEvent(zaloMessageEvent('user_send_text', { appId: fake.appId, userId: 'uu-1', msgId, text: 'xin chào' }), fake.appId, OA_SECRET_KEY);
      expect((await fetch(`${t.url}/webhooks/zalo`, { method: 'POST', headers: signed.headers, body: signed.body })).status).toBe(200);
      await t.loa.core.drain();
    };

    await deliver('u-1');
    expect(value(await scrape(), 'loa_send_unknown_outcomes_total{channel="zalo",cause="timeout"}')).toBeUndefined();
    fake.failNext('hang'); // the request goes out and no answer comes
    await deliver('u-2');
    const text = await scrape();
    expect(value(text, 'loa_send_unknown_outcomes_total{channel="zalo",cause="timeout"}')).toBe(1);
    expect(value(text, 'loa_outbox_items{status="unknown"}')).toBe(1);
  });
});
