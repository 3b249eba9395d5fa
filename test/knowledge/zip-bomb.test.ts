import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkZipLimits } from '../../knowledge/parse/zip-limits.ts';
import { loginAdmin, startTestLoa, type StaffClient, type TestLoa } from '../admin/harness.ts';
import { makeDocx } from './helpers/make-docx.ts';
import { makeDocxZipBomb } from './helpers/make-zip-bomb.ts';

describe('DOCX zip limits (central directory, before anything is inflated)', () => {
  it('refuses a part that inflates hundreds of times its size, and passes a real document', async () => {
    const bomb = makeDocxZipBomb({ inflatedMb: 300 });
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    expect(() => checkZipLimits(bomb)).toThrow(/word\/document\.xml.*refused as a zip bomb|unpacks to more than/);
    const real = await makeDocx(['Điều 1. Phạm vi điều chỉnh', 'Nội dung.']);
    expect(checkZipLimits(real).entries).toBeGreaterThanOrEqual(4);
  });

  it('refuses too many parts and a truncated directory', () => {
    const bomb = makeDocxZipBomb({ inflatedMb: 1 });
    expect(() => checkZipLimits(bomb, { maxEntries: 2, maxUncompressedBytes: 1e9, maxRatio: 1e6 })).toThrow(/too many parts \(3; the limit is 2\)/);
    expect(() => checkZipLimits(bomb.subarray(0, bomb.length - 30))).toThrow(/not a valid DOCX file/);
  });
});

describe('uploading a zip bomb to a running server', () => {
  let t: TestLoa;
  let admin: StaffClient;
  beforeAll(async () => {
    // A small parse heap so the lying bomb is stopped quickly.
    t = await startTestLoa({ LOA_SAMPLE_KNOWLEDGE: 'false', LOA_PARSE_MEMORY_MB: '96', LOA_PARSE_TIMEOUT_S: '60' });
    admin = await loginAdmin(t);
  });
  afterAll(async () => {
    await t?.stop();
  });

  const upload = (name: string, bytes: Buffer) =>
    fetch(admin.url('/documents'), {
      method: 'POST',
      headers: { cookie: admin.cookie, 'X-CSRF-Token': admin.csrfToken, 'Content-Type': 'application/octet-stream', 'X-Filename': encodeURIComponent(name) },
      body: new Uint8Array(bytes),
    });

  /** Polls /healthz until `until` settles; resolves with how many answers arrived before it did. */
  async function healthDuring(until: Promise<unknown>): Promise<number> {
    let done = false;
    void until.finally(() => (done = true));
    let answered = 0;
    while (!done) {
      const res = await fetch(`${t.url}/healthz`);
      await res.text();
      if (!done && res.status === 200) answered++;
    }
    return answered;
  }

  it('refuses a bomb whose headers tell the truth, at once, with a clear reason', async () => {
    const res = await upload('Quyết định bom.docx', makeDocxZipBomb({ inflatedMb: 300 }));
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.message).toMatch(/Không đọc được tệp "Quyết định bom\.docx": DOCX (part "word\/document\.xml" inflates|unpacks to more than)/);
  });

  it('stops a document that passes the directory check but needs too much memory at the worker limit, while the server keeps answering', async () => {
    const bomb = makeDocxZipBomb({ inflatedMb: 40, distinct: true });
    // Compressed like a real document: the directory check lets it through to the worker.
    expect(checkZipLimits(bomb).uncompressedBytes).toBeGreaterThan(39 * 1024 * 1024);
    const pending = upload('Công văn bom.docx', bomb);
    const answeredMeanwhile = await healthDuring(pending);
    const res = await pending;
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/needs more than 96 MB of memory to read: refused/);
    // The event loop was free while the worker parsed.
    expect(answeredMeanwhile).toBeGreaterThan(0);
    // Nothing was stored, and the server still works.
    expect((await admin.get<{ items: unknown[] }>('/documents')).body.items).toHaveLength(0);
    const ok = await upload('Quy định.docx', await makeDocx(['Điều 1. Phạm vi điều chỉnh', 'Quy định này áp dụng cho mọi cơ quan.']));
    expect(ok.status).toBe(201);
  });
});
