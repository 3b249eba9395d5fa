import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../app/config.ts';
import { openRuntime, type Runtime } from '../../app/runtime.ts';
import { startServer, type LoaServer } from '../../app/server.ts';
import { postLogin, TEST_ADMIN } from '../admin/harness.ts';
import { captureLogger, type CapturedLogger } from '../support/capture-logger.ts';

interface Running {
  loa: LoaServer;
  runtime: Runtime;
  logs: CapturedLogger;
  stop(): Promise<void>;
}

let running: Running | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

/** The whole server with a logger the test reads. */
async function start(env: Record<string, string>): Promise<Running> {
  const dataDir = mkdtempSync(join(tmpdir(), 'loa-proxy-'));
  const logs = captureLogger();
  const config = loadConfig({ ...env, PORT: '0', HOST: '127.0.0.1', LOA_DATA_DIR: dataDir, LOA_SAMPLE_KNOWLEDGE: 'false', LOA_ADMIN_EMAIL: TEST_ADMIN.email, LOA_ADMIN_PASSWORD: TEST_ADMIN.password });
  const runtime = await openRuntime(config, { logger: logs.logger });
  const loa = await startServer(runtime);
  return {
    loa,
    runtime,
    logs,
    async stop() {
      await loa.close();
      await runtime.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

describe('LOA_TRUST_PROXY', () => {
  it('refuses "true" (any client could choose its address) and anything that is not a hop count or an address', () => {
    expect(() => loadConfig({ LOA_TRUST_PROXY: 'true' })).toThrow(/LOA_TRUST_PROXY: "true" trusts any X-Forwarded-For/);
    expect(() => loadConfig({ LOA_TRUST_PROXY: 'nginx' })).toThrow(/LOA_TRUST_PROXY: not a hop count.*"nginx"/);
    expect(() => loadConfig({ LOA_TRUST_PROXY: '10.0.0.0/33' })).toThrow(/"10.0.0.0\/33"/);
    expect(loadConfig({ LOA_TRUST_PROXY: '1' }).LOA_TRUST_PROXY).toBe(1);
    expect(loadConfig({ LOA_TRUST_PROXY: 'false' }).LOA_TRUST_PROXY).toBe(false);
    expect(loadConfig({ LOA_TRUST_PROXY: 'loopback, 10.0.0.0/8,fd00::1' }).LOA_TRUST_PROXY).toEqual(['loopback', '10.0.0.0/8', 'fd00::1']);
  });

  it('with one trusted hop, a client writing its own X-Forwarded-For entries cannot escape the per-IP login limit', async () => {
    running = await start({ LOA_TRUST_PROXY: '1', LOA_LOGIN_FAILURES_PER_IP: '3' });
    // What a proxy that appends ($proxy_add_x_forwarded_for) would forward: the client's lie, then its real address.
    const via = (i: number) => ({ 'X-Forwarded-For': `10.9.8.${i}, 198.51.100.1` });
    for (let i = 0; i < 3; i++) expect((await postLogin(running.loa.url, `u${i}@loa.test`, 'sai-mat-khau', via(i))).status).toBe(401);
    expect((await postLogin(running.loa.url, 'u9@loa.test', 'sai-mat-khau', via(9))).status).toBe(429);
    // Another real client is unaffected.
    expect((await postLogin(running.loa.url, TEST_ADMIN.email, TEST_ADMIN.password, { 'X-Forwarded-For': '198.51.100.2' })).status).toBe(200);
  });

  it('warns once when requests carry X-Forwarded-For while LOA_TRUST_PROXY is false', async () => {
    running = await start({});
    const warnings = () => running!.logs.records().filter((r) => String(r.msg).includes('X-Forwarded-For but LOA_TRUST_PROXY is false'));
    await fetch(`${running.loa.url}/healthz`).then((r) => r.text());
    expect(warnings()).toHaveLength(0);
    for (let i = 0; i < 3; i++) await fetch(`${running.loa.url}/healthz`, { headers: { 'X-Forwarded-For': '203.0.113.4' } }).then((r) => r.text());
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toMatchObject({ level: 40, peer: '127.0.0.1' });
  });
});
