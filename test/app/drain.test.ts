import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestLoa } from '../admin/harness.ts';

const LOA_BIN = fileURLToPath(new URL('../../bin/loa.js', import.meta.url));

/** Starts `node bin/loa.js serve` on a free port; resolves with its URL once the banner is out. */
async function serve(env: Record<string, string>): Promise<{ child: ChildProcess; url: string; stderr: () => string; exited: Promise<number | string | null> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'loa-drain-'));
  const child = spawn(process.execPath, [LOA_BIN, 'serve'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOA_DATA_DIR: dataDir, LOA_SAMPLE_KNOWLEDGE: 'false', LOA_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const exited = new Promise<number | string | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  void exited.then(() => rmSync(dataDir, { recursive: true, force: true }));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`loa serve did not start:\n${err}`)), 30_000);
    const check = () => {
      // The whole banner line, so a port cut between two chunks is not taken for the address.
      const m = /Loa is running: (http:\/\/127\.0\.0\.1:\d+)\n/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stderr?.on('data', check);
    void exited.then(() => reject(new Error(`loa serve exited:\n${err}`)));
  });
  return { child, url, stderr: () => err, exited };
}

/** Sends the head of a POST and half its body now; `finish()` sends the rest and resolves with the status line. */
function slowPost(url: string, path: string, body: string): Promise<{ socket: Socket; finish: () => Promise<string> }> {
  const { port } = new URL(url);
  const socket = connect(Number(port), '127.0.0.1');
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.once('connect', () => {
      const bytes = Buffer.from(body, 'utf8');
      const half = Math.floor(bytes.length / 2);
      socket.write(`POST ${path} HTTP/1.1\r\nHost: loa\r\nContent-Type: application/json\r\nContent-Length: ${bytes.length}\r\n\r\n`);
      socket.write(bytes.subarray(0, half));
      let answer = '';
      socket.on('data', (c: Buffer) => (answer += c.toString('utf8')));
      const done = new Promise<string>((res) => socket.once('close', () => res(answer)));
      resolve({
        socket,
        finish: async () => {
          socket.write(bytes.subarray(half));
          return (await done).split('\r\n')[0];
        },
      });
    });
  });
}

describe('graceful drain on SIGTERM', () => {
  let running: ChildProcess | undefined;
  afterEach(() => {
    if (running && running.exitCode === null) running.kill('SIGKILL');
  });

  it('turns readiness to 503, lets the request in flight finish, then exits 0', async () => {
    const loa = await serve({ LOA_DRAIN_DELAY_MS: '700', LOA_DRAIN_TIMEOUT_S: '10' });
    running = loa.child;
    expect((await fetch(`${loa.url}/readyz`)).status).toBe(200);

    const slow = await slowPost(loa.url, '/api/ask', JSON.stringify({ question: 'thủ tục đăng ký thường trú như thế nào?' }));
    await new Promise((r) => setTimeout(r, 100)); // the request is being read
    loa.child.kill('SIGTERM');

    // During the drain delay the instance still listens but says it is going away.
    await expect.poll(async () => (await fetch(`${loa.url}/readyz`)).status, { timeout: 2_000, interval: 50 }).toBe(503);
    const draining = await fetch(`${loa.url}/readyz`);
    expect(await draining.json()).toEqual({ status: 'draining', failed: ['draining'] });
    expect((await fetch(`${loa.url}/livez`)).status).toBe(200);

    // The rest of the body arrives after the server stopped accepting connections: still answered.
    await new Promise((r) => setTimeout(r, 900));
    await expect(fetch(`${loa.url}/livez`)).rejects.toThrow();
    expect(await slow.finish()).toMatch(/^HTTP\/1\.1 200/);
    expect(await loa.exited).toBe(0);
    expect(loa.stderr()).toContain('draining: requests finished, stopping');
  }, 40_000);

  it('prints the console address in the start-up banner, and generates no administrator when nobody watches a terminal', async () => {
    const loa = await serve({});
    running = loa.child;
    expect(loa.stderr()).toContain(`${loa.url}/admin`);
    // Spawned with pipes (as under systemd): a generated password would land in shared logs.
    expect(loa.stderr()).not.toMatch(/password: \S/);
    loa.child.kill('SIGTERM');
    expect(await loa.exited, loa.stderr()).toBe(0);
  }, 40_000);

  it('runs drain hooks once readiness is 503 and before the server closes', async () => {
    const t = await startTestLoa({ LOA_SAMPLE_KNOWLEDGE: 'false' });
    const seen: string[] = [];
    try {
      t.loa.onDrain(async () => {
        const ready = await fetch(`${t.url}/readyz`);
        seen.push(`readyz ${ready.status}`);
      });
      t.loa.onDrain(() => {
        throw new Error('a broken hook');
      });
      t.loa.onDrain(() => void seen.push('second hook'));
      await t.loa.drain();
      seen.push('drained');
      await expect(fetch(`${t.url}/livez`)).rejects.toThrow();
      expect(seen).toEqual(['readyz 503', 'second hook', 'drained']);
    } finally {
      await t.stop();
    }
  });
});
