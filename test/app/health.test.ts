import { afterEach, describe, expect, it } from 'vitest';
import type { IncomingMessage } from '../../bots/core/types.ts';
import { startTestLoa, type TestLoa } from '../admin/harness.ts';
import { startFakeTelegramApi, type FakeTelegramApi } from '../fakes/telegram-api.ts';
import { TEST_DATABASE_URL, TEST_REDIS_URL, createTempSchema, usePostgres, useRedis, type TempSchema } from '../support/services.ts';
import { startSwitchableProxy, type SwitchableProxy } from '../support/tcp-faults.ts';

const pgUp = await usePostgres();
const redisUp = await useRedis();

interface Readiness {
  status: string;
  failed?: string[];
  degraded?: string[];
  checks: Record<string, { ok: boolean; ms: number; error?: string }>;
  channels: Record<string, { status: string; detail?: string }>;
}

async function get(url: string): Promise<{ status: number; body: Readiness; ms: number }> {
  const started = performance.now();
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as Readiness, ms: performance.now() - started };
}

const FAST = { LOA_SAMPLE_KNOWLEDGE: 'false', LOA_READY_CHECK_TIMEOUT_MS: '500' };

describe('/livez, /readyz and /healthz', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });
  async function start(env: Record<string, string>): Promise<TestLoa> {
    const t = await startTestLoa({ ...FAST, ...env });
    cleanup.push(() => t.stop());
    return t;
  }

  it('is ready with SQLite and memory coordination; /healthz is the same as /readyz; /livez asks nothing', async () => {
    const t = await start({});
    const ready = await get(`${t.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ok', checks: { database: { ok: true }, redis: { ok: true }, backlog: { ok: true }, disk: { ok: true } } });
    expect(ready.body.failed).toBeUndefined();
    const health = await get(`${t.url}/healthz`);
    expect(health.status).toBe(200);
    expect(Object.keys(health.body.checks)).toEqual(Object.keys(ready.body.checks));
    const live = await fetch(`${t.url}/livez`);
    expect(live.status).toBe(200);
    expect(await live.json()).toMatchObject({ status: 'alive' });
  });

  it('is not ready when the data directory lacks free space, and says so', async () => {
    const t = await start({ LOA_READY_MIN_FREE_MB: String(1e12) });
    const ready = await get(`${t.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(ready.body.failed).toEqual(['disk']);
    expect(ready.body.checks.disk.error).toContain(t.dataDir);
    expect((await fetch(`${t.url}/livez`)).status).toBe(200);
  });

  it('is not ready when a citizen message has waited in the inbox longer than LOA_READY_MAX_BACKLOG_S', async () => {
    const t = await start({ LOA_READY_MAX_BACKLOG_S: '60' });
    // Stored behind the running core's back, so it stays pending (as when the pipeline is stuck).
    const message: IncomingMessage = { channel: 'webchat', channelMessageId: 'old-1', from: { channel: 'webchat', userId: 'w-1', address: { sessionId: 'w-1' } }, kind: 'text', text: 'còn ai không?', sentAt: new Date().toISOString() };
    await t.runtime.storage.inbox.add(message, new Date(Date.now() - 5 * 60_000));
    const ready = await get(`${t.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(ready.body.failed).toEqual(['backlog']);
    expect(ready.body.checks.backlog.error).toMatch(/oldest pending inbox event is 3\d\d s old \(limit 60 s\)/);
  });

  describe('a channel in trouble', () => {
    let api: FakeTelegramApi | undefined;
    afterEach(async () => {
      await api?.close();
      api = undefined;
    });

    it('reports Telegram polling that keeps failing as degraded, and stays ready', async () => {
      api = await startFakeTelegramApi();
      api.failNext('getUpdates', { code: 409, description: 'Conflict: terminated by other getUpdates request' }, 1000);
      const t = await start({ TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_MODE: 'polling', TELEGRAM_API_ROOT: api.apiRoot });
      await api.waitForGetUpdates(1);
      await expect
        .poll(async () => (await get(`${t.url}/readyz`)).body.channels.telegram, { timeout: 3_000 })
        .toEqual({ status: 'degraded', detail: 'getUpdates: 409' });
      const ready = await get(`${t.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(ready.body).toMatchObject({ status: 'degraded', degraded: ['telegram'] });
    });
  });

  describe.runIf(pgUp)('PostgreSQL unreachable', () => {
    let temp: TempSchema | undefined;
    let proxy: SwitchableProxy | undefined;
    afterEach(async () => {
      await proxy?.close();
      await temp?.drop();
      proxy = undefined;
      temp = undefined;
    });

    async function startThroughProxy(): Promise<TestLoa> {
      temp = await createTempSchema();
      const target = new URL(TEST_DATABASE_URL);
      proxy = await startSwitchableProxy(target.hostname, Number(target.port || 5432));
      const url = new URL(temp.url);
      url.host = `127.0.0.1:${proxy.port}`;
      const t = await startTestLoa({ ...FAST, DATABASE_URL: url.toString(), LOA_DB_STATEMENT_TIMEOUT_MS: '400' });
      // Stopping needs the database; give it back before the harness closes the pool.
      cleanup.push(async () => {
        proxy?.restore();
        await Promise.race([t.stop(), new Promise((r) => setTimeout(r, 3_000))]);
      });
      return t;
    }

    it('answers 503 naming the database within the check timeout when PostgreSQL stops answering (partition)', async () => {
      const t = await startThroughProxy();
      expect((await get(`${t.url}/readyz`)).status).toBe(200);
      proxy!.blackhole();
      const ready = await get(`${t.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(ready.body.failed).toContain('database');
      expect(ready.body.checks.database.error).toMatch(/no answer within 500 ms|timeout/i);
      expect(ready.ms).toBeLessThan(2_000);
      expect((await fetch(`${t.url}/livez`)).status).toBe(200);
    });

    it('answers 503 naming the database when its port is closed', async () => {
      const t = await startThroughProxy();
      await proxy!.close();
      const ready = await get(`${t.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(ready.body.failed).toContain('database');
    });
  });

  describe.runIf(redisUp)('Redis that stops answering', () => {
    it('answers 503 naming Redis, while the ask API still answers (limits fall back to memory)', async () => {
      const target = new URL(TEST_REDIS_URL);
      const proxy = await startSwitchableProxy(target.hostname, Number(target.port || 6379));
      cleanup.push(() => proxy.close());
      const t = await start({ REDIS_URL: `redis://127.0.0.1:${proxy.port}`, LOA_REDIS_COMMAND_TIMEOUT_MS: '200' });
      expect((await get(`${t.url}/readyz`)).status).toBe(200);
      proxy.blackhole();
      const ready = await get(`${t.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(ready.body.failed).toEqual(['redis']);
      const started = performance.now();
      const ask = await fetch(`${t.url}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question: 'thủ tục đăng ký thường trú' }) });
      expect(ask.status).toBe(200);
      expect(performance.now() - started).toBeLessThan(3_000);
    });
  });
});
