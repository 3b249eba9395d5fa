import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startTestLoa } from '../admin/harness.ts';

/** One raw HTTP/1.1 request on `socket`, resolving with the status line. */
function request(socket: import('node:net').Socket, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const onData = (chunk: Buffer) => {
      buf += chunk.toString('latin1');
      const end = buf.indexOf('\r\n\r\n');
      const length = /content-length: (\d+)/i.exec(buf);
      if (end >= 0 && length && buf.length >= end + 4 + Number(length[1])) {
        socket.off('data', onData);
        resolve(buf.split('\r\n')[0]);
      }
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.write(`GET ${path} HTTP/1.1\r\nHost: loa\r\nConnection: keep-alive\r\n\r\n`);
  });
}

describe('HTTP keep-alive behind a proxy', () => {
  it('keeps an idle keep-alive connection open longer than Node’s 5 s default, so a proxy can reuse it', async () => {
    const t = await startTestLoa({ LOA_SAMPLE_KNOWLEDGE: 'false' });
    try {
      expect(t.loa.server.keepAliveTimeout).toBe(75_000);
      expect(t.loa.server.headersTimeout).toBeGreaterThan(t.loa.server.keepAliveTimeout);
      const { port } = new URL(t.url);
      const socket = connect(Number(port), '127.0.0.1');
      await new Promise((r) => socket.once('connect', r));
      let closed = false;
      socket.once('close', () => (closed = true));
      expect(await request(socket, '/livez')).toMatch(/^HTTP\/1\.1 200/);
      // Idle past Node's default (5 s): the connection must still be usable.
      await new Promise((r) => setTimeout(r, 5_600));
      expect(closed).toBe(false);
      expect(await request(socket, '/livez')).toMatch(/^HTTP\/1\.1 200/);
      socket.destroy();
    } finally {
      await t.stop();
    }
  }, 20_000);
});
