import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ADMIN, login, startTestLoa, type TestLoa } from '../admin/harness.ts';
import { FakeZaloApi, signZaloEvent, zaloMessageEvent } from '../fakes/zalo-api.ts';
import { useNginx } from '../support/binaries.ts';
import { TEST_REDIS_URL, createTempSchema, usePostgres, useRedis, type TempSchema } from '../support/services.ts';

/**
 * The documented reverse-proxy configuration (deploy/nginx/loa-proxy.conf, included as is)
 * run by a real nginx in front of two Loa instances that share PostgreSQL and Redis, as in
 * docs/DEPLOYMENT.md. Only the upstream addresses and the listening port differ from
 * deploy/nginx/loa.conf (no TLS in a test).
 */
const nginxPath = useNginx();
const pgUp = await usePostgres();
const redisUp = await useRedis();

const PROXY_SNIPPET = fileURLToPath(new URL('../../deploy/nginx/loa-proxy.conf', import.meta.url));
const OA_SECRET_KEY = 'nginx-oa-secret';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as import('node:net').AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** An HTTP request from a chosen loopback address (a distinct "citizen"), through nginx. */
function from(localAddress: string, port: number, method: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, localAddress, headers, agent: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A random 127.x.y.z, so Redis-held per-IP counts from earlier runs never interfere. */
const citizenAddress = () => `127.${randomInt(1, 250)}.${randomInt(1, 250)}.${randomInt(2, 250)}`;

describe.runIf(nginxPath !== undefined && pgUp && redisUp)('nginx (deploy/nginx/loa-proxy.conf) in front of two Loa instances', () => {
  let temp: TempSchema;
  let fake: FakeZaloApi;
  const instances: TestLoa[] = [];
  let nginx: ChildProcess;
  let dir: string;
  let port: number;
  let base: string;
  let nginxLog = '';

  beforeAll(async () => {
    temp = await createTempSchema();
    fake = await FakeZaloApi.start({ appId: 'nginx-app', appSecret: 'nginx-secret' });
    const env = {
      DATABASE_URL: temp.url,
      REDIS_URL: TEST_REDIS_URL,
      LOA_TRUST_PROXY: '1',
      LOA_SAMPLE_KNOWLEDGE: 'false',
      LOA_WEBCHAT_SESSIONS_PER_HOUR: '2',
      ZALO_API_BASE: fake.url,
      ZALO_OAUTH_BASE: fake.url,
      ZALO_APP_ID: fake.appId,
      ZALO_APP_SECRET: fake.appSecret,
      ZALO_OA_SECRET_KEY: OA_SECRET_KEY,
      ZALO_ACCESS_TOKEN: fake.accessToken,
      ZALO_REFRESH_TOKEN: fake.refreshToken,
    };
    // One after the other: the first creates the schema and the administrator.
    instances.push(await startTestLoa(env));
    instances.push(await startTestLoa(env));

    dir = mkdtempSync(join(tmpdir(), 'loa-nginx-'));
    for (const d of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, d));
    port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const upstreams = instances.map((t) => `    server ${new URL(t.url).host};`).join('\n');
    writeFileSync(
      join(dir, 'nginx.conf'),
      `${process.getuid?.() === 0 ? 'user root root;\n' : ''}worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
  access_log ${dir}/access.log;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream loa {
${upstreams}
    keepalive 8;
  }
  server {
    listen 127.0.0.1:${port};
    server_name localhost;
    include ${PROXY_SNIPPET};
  }
}
`,
    );
    nginx = spawn(nginxPath!, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
    nginx.stderr?.on('data', (c: Buffer) => (nginxLog += c.toString('utf8')));
    const deadline = Date.now() + 10_000;
    while ((await fetch(`${base}/livez`).catch(() => undefined))?.status !== 200) {
      if (Date.now() > deadline || nginx.exitCode !== null) throw new Error(`nginx did not start: ${nginxLog}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }, 120_000);

  afterAll(async () => {
    if (nginx && nginx.exitCode === null) {
      const exited = new Promise((r) => nginx.once('exit', r));
      nginx.kill('SIGQUIT');
      await exited;
    }
    for (const t of instances) await t.stop();
    await fake?.close();
    await temp?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('passes Zalo webhooks to both instances, each answered exactly once', async () => {
    const msgIds = Array.from({ length: 8 }, (_, i) => `ngx-${Date.now()}-${i}`);
    for (const [i, msgId] of msgIds.entries()) {
      const userId = `ngx-user-${i}`;
      fake.addUserMessage(msgId, userId);
      const signed = signZaloEvent(zaloMessageEvent('user_send_text', { appId: fake.appId, userId, msgId, text: 'xin chào' }), fake.appId, OA_SECRET_KEY);
      // The same event twice (a Zalo redelivery), possibly reaching the two instances.
      for (let k = 0; k < 2; k++) {
        const res = await fetch(`${base}/webhooks/zalo`, { method: 'POST', headers: signed.headers, body: signed.body });
        expect(res.status).toBe(200);
      }
    }
    await expect.poll(() => msgIds.every((id) => fake.sent.some((m) => m.recipient.message_id === id)), { timeout: 15_000 }).toBe(true);
    for (const t of instances) await t.loa.core.drain();
    for (const id of msgIds) expect(fake.sent.filter((m) => m.recipient.message_id === id)).toHaveLength(1);
    // Round robin: both instances acknowledged webhooks.
    for (const t of instances) {
      const text = await t.loa.metrics.registry.metrics();
      const count = text.split('\n').filter((l) => l.startsWith('loa_webhook_ack_seconds_count{channel="zalo"')).reduce((n, l) => n + Number(l.split(' ').at(-1)), 0);
      expect(count).toBeGreaterThan(0);
    }
  });

  it('serves the console and lets staff sign in through the proxy', async () => {
    const page = await fetch(`${base}/admin/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const staff = await login(base, TEST_ADMIN.email, TEST_ADMIN.password);
    // Several requests, spread over both instances by nginx: the session is shared (PostgreSQL).
    for (let i = 0; i < 4; i++) expect((await staff.get('/escalations')).status).toBe(200);
  });

  it('per-IP limits see the client address nginx puts in X-Forwarded-For, not the proxy and not a spoofed header', async () => {
    const citizen = citizenAddress();
    const other = citizenAddress();
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      // A different forged address each time: nginx replaces it with the real one.
      statuses.push((await from(citizen, port, 'POST', '/webchat/api/sessions', { 'X-Forwarded-For': `203.0.113.${i + 1}` })).status);
    }
    // LOA_WEBCHAT_SESSIONS_PER_HOUR=2, counted in Redis across both instances.
    expect(statuses).toEqual([201, 201, 429]);
    // Another citizen behind the same proxy is not affected.
    expect((await from(other, port, 'POST', '/webchat/api/sessions')).status).toBe(201);
  });

  it('keeps /api/messages (Bot Framework) and /metrics closed', async () => {
    const bf = await fetch(`${base}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'message', text: 'hi', serviceUrl: 'http://127.0.0.1:1' }) });
    expect(bf.status).toBe(404);
    expect((await fetch(`${base}/metrics`)).status).toBe(404);
  });

  it('streams server-sent events unbuffered (web chat answers)', async () => {
    const created = await from(citizenAddress(), port, 'POST', '/webchat/api/sessions');
    expect(created.status).toBe(201);
    const session = JSON.parse(created.body) as { sessionId: string; token: string };
    const controller = new AbortController();
    const query = new URLSearchParams({ sessionId: session.sessionId, token: session.token });
    const res = await fetch(`${base}/webchat/api/events?${query}`, { headers: { accept: 'text/event-stream' }, signal: controller.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = res.body!.getReader();
    // The first bytes (retry/heartbeat) arrive at once, not when a buffer fills.
    const first = await Promise.race([reader.read(), new Promise<'late'>((r) => setTimeout(() => r('late'), 3_000))]);
    expect(first).not.toBe('late');
    controller.abort();
  });

  it('the documented TLS site (deploy/nginx/loa.conf) passes nginx -t', async () => {
    const site = readFileSync(fileURLToPath(new URL('../../deploy/nginx/loa.conf', import.meta.url)), 'utf8');
    const crt = join(dir, 'test.crt');
    const key = join(dir, 'test.key');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=hoidap.example.gov.vn', '-keyout', key, '-out', crt], { stdio: 'ignore' });
    // Only machine-specific paths change: certificates, logs, the snippet's location.
    const adapted = site
      .replace(/\/etc\/letsencrypt\/live\/[^;]+\/fullchain\.pem/, crt)
      .replace(/\/etc\/letsencrypt\/live\/[^;]+\/privkey\.pem/, key)
      .replace(/\/var\/log\/nginx\//g, `${dir}/`)
      .replaceAll('/etc/nginx/snippets/loa-proxy.conf', PROXY_SNIPPET);
    writeFileSync(
      join(dir, 'site-test.conf'),
      `pid ${dir}/site.pid;\nerror_log ${dir}/site-error.log;\nevents {}\nhttp {\n  client_body_temp_path ${dir}/body;\n  proxy_temp_path ${dir}/proxy;\n  fastcgi_temp_path ${dir}/fastcgi;\n  uwsgi_temp_path ${dir}/uwsgi;\n  scgi_temp_path ${dir}/scgi;\n  access_log off;\n${adapted}\n}\n`,
    );
    const out = spawnSync(nginxPath!, ['-t', '-p', dir, '-c', join(dir, 'site-test.conf')], { encoding: 'utf8' });
    expect(out.stderr).toContain('syntax is ok');
    expect(out.status, out.stderr).toBe(0);
  });
});
