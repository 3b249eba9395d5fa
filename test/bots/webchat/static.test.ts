import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.ts';

const WIDGET = readFileSync(new URL('../../../bots/webchat/public/loa-widget.js', import.meta.url));

/** A raw GET (fetch would decompress and hide the encoding). */
function get(url: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    })
      .on('error', reject)
      .end();
  });
}

describe('web chat static files', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('serves the widget script Brotli-compressed when accepted, with the same caching headers', async () => {
    const res = await get(`${h.base}/webchat/loa-widget.js`, { 'accept-encoding': 'gzip, deflate, br' });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers.vary).toMatch(/Accept-Encoding/);
    expect(res.headers['cache-control']).toBe('public, max-age=3600');
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(res.body.length).toBeLessThan(WIDGET.length / 2);
    expect(brotliDecompressSync(res.body).equals(WIDGET)).toBe(true);
  });

  it('gzip for a client without Brotli; plain for one that accepts neither; 304 on a matching ETag', async () => {
    const gz = await get(`${h.base}/webchat/loa-widget.css`, { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString('utf8')).toContain('.bubble');
    const plain = await get(`${h.base}/webchat/loa-widget.js`, { 'accept-encoding': 'identity' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.equals(WIDGET)).toBe(true);
    const again = await get(`${h.base}/webchat/loa-widget.css`, { 'accept-encoding': 'gzip', 'if-none-match': String(gz.headers.etag) });
    expect(again.status).toBe(304);
  });

  it('does not serve files outside the public folder', async () => {
    const res = await get(`${h.base}/webchat/..%2f..%2fpackage.json`, { 'accept-encoding': 'br' });
    expect(res.status).not.toBe(200);
  });
});
