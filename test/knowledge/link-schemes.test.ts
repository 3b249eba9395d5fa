import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDocument } from '../../knowledge/build-document.ts';
import { parseMarkdown } from '../../knowledge/parse/markdown.ts';
import { loginAdmin, startTestLoa, type StaffClient, type TestLoa } from '../admin/harness.ts';

let t: TestLoa;
let admin: StaffClient;
beforeAll(async () => {
  t = await startTestLoa({ LOA_SAMPLE_KNOWLEDGE: 'false' });
  admin = await loginAdmin(t);
});
afterAll(async () => {
  await t?.stop();
});

const LAW = (url: string) => `---
title: Quy định lệ phí cấp giấy phép xây dựng
number: 9/2025/QĐ-UBND
status: in_force
url: "${url}"
---

Điều 1. Mức lệ phí
Lệ phí cấp giấy phép xây dựng nhà ở riêng lẻ là 75.000 đồng một giấy phép.
`;

const upload = (name: string, text: string) =>
  fetch(admin.url('/documents'), {
    method: 'POST',
    headers: { cookie: admin.cookie, 'X-CSRF-Token': admin.csrfToken, 'Content-Type': 'application/octet-stream', 'X-Filename': encodeURIComponent(name) },
    body: Buffer.from(text, 'utf8'),
  });

describe('document links are http(s) only', () => {
  it('refuses a javascript: or data: link in front matter with a clear reason, storing nothing', async () => {
    for (const url of ['javascript:alert(document.cookie)', 'data:text/html,<script>alert(1)</script>', 'file:///etc/passwd']) {
      const res = await upload('le-phi.md', LAW(url));
      expect(res.status).toBe(422);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/url.*must be an http:\/\/ or https:\/\/ link/);
    }
    expect((await admin.get<{ items: unknown[] }>('/documents')).body.items).toHaveLength(0);
    expect((await upload('le-phi.md', LAW('https://vbpl.vn/qd-9-2025'))).status).toBe(201);
  });

  it('never returns a non-http link from /api/ask, even one stored by an older version', async () => {
    const doc = buildDocument({ extracted: parseMarkdown(Buffer.from(LAW('https://x.invalid'))), name: 'cu.md', source: 'old:cu.md', contentHash: 'h', defaultId: 'le-phi-cu' });
    // Only this document can answer.
    for (const d of await t.runtime.storage.knowledge.listDocuments()) await t.runtime.storage.knowledge.removeDocument(d.id);
    await t.runtime.storage.knowledge.putDocument({ ...doc, id: 'le-phi-cu', meta: { ...doc.meta, url: 'javascript:alert(1)' } });
    await t.runtime.refreshKnowledge();
    const res = await fetch(`${t.url}/api/ask`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ question: 'Lệ phí cấp giấy phép xây dựng nhà ở riêng lẻ là bao nhiêu?' }) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { citations: { id: string; url?: string }[] };
    expect(body.citations.some((c) => c.id.startsWith('le-phi-cu'))).toBe(true);
    expect(JSON.stringify(body)).not.toContain('javascript:');
    for (const c of body.citations) if (c.url !== undefined) expect(c.url).toMatch(/^https?:\/\//);
  });
});
