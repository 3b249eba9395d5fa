import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../storage/audit-store.ts';
import type { AgencySynonym } from '../../storage/synonym-store.ts';
import { loginAdmin, loginAs, startTestLoa, type StaffClient, type TestLoa } from './harness.ts';
import { REVIEW_DOCUMENT, uploadDocument } from './review-support.ts';

/**
 * Agency synonyms through the console API on the whole server: validation, roles, audit, and
 * that an entry changes how the running bot reads questions at once (no restart).
 */


const QUESTION = 'gửi xe ở đâu';
const PARKING = /::1$/;

let t: TestLoa;
let admin: StaffClient;
let spokesperson: StaffClient;
let viewer: StaffClient;

beforeAll(async () => {
  t = await startTestLoa({ LOA_SAMPLE_KNOWLEDGE: 'false' });
  admin = await loginAdmin(t);
  spokesperson = await loginAs(t, 'spokesperson', admin);
  viewer = await loginAs(t, 'viewer', admin);
  await uploadDocument(admin, 'trat-tu-do-thi.md', REVIEW_DOCUMENT);
}, 60_000);
afterAll(async () => {
  await t?.stop();
});

const topHit = () => t.runtime.retriever().search(QUESTION, 1)[0]?.id ?? '';

async function auditActions(target: string): Promise<string[]> {
  const res = await admin.get<{ items: AuditEntry[] }>(`/audit?target=${encodeURIComponent(target)}`);
  return res.body.items.map((e) => e.action).reverse();
}

describe('agency synonyms', () => {
  it('"gửi xe" → "trông giữ xe" makes the question find the parking article at once; removing it undoes it; both audited', async () => {
    const retrieverBefore = t.runtime.retriever();
    expect(topHit()).not.toMatch(PARKING);

    const created = await spokesperson.post<{ synonym: AgencySynonym }>('/synonyms', { everyday: ['  Gửi   Xe '], legal: ['trông giữ xe'], note: 'Cách nói của người dân' });
    expect(created.status).toBe(201);
    expect(created.body.synonym).toMatchObject({ everyday: ['gửi xe'], legal: ['trông giữ xe'], note: 'Cách nói của người dân', createdBy: spokesperson.user.email });
    expect(topHit()).toMatch(PARKING);
    // The same index, read with the new vocabulary: nothing was rebuilt.
    expect(t.runtime.retriever().revision).toBe(retrieverBefore.revision);
    const answer = await fetch(`${t.url}/api/ask`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ question: `Cho hỏi ${QUESTION}?` }) });
    const body = (await answer.json()) as { citations: { id: string }[]; candidates?: { id: string }[] };
    expect([...body.citations, ...(body.candidates ?? [])][0]?.id).toMatch(PARKING);

    const list = await viewer.get<{ items: AgencySynonym[]; total: number; builtIn: number }>('/synonyms');
    expect(list.body.total).toBe(1);
    expect(list.body.builtIn).toBeGreaterThan(10);

    const id = created.body.synonym.id;
    expect((await admin.delete(`/synonyms/${id}`)).status).toBe(204);
    expect(topHit()).not.toMatch(PARKING);
    expect(await auditActions(`synonym:${id}`)).toEqual(['synonym.create', 'synonym.delete']);
    expect((await admin.delete(`/synonyms/${id}`)).status).toBe(404);
  });

  it('updates an entry live and records what it was before', async () => {
    const created = await admin.post<{ synonym: AgencySynonym }>('/synonyms', { everyday: ['để xe'], legal: ['trông giữ xe'] });
    expect(created.status).toBe(201);
    const id = created.body.synonym.id;
    const updated = await admin.patch<{ synonym: AgencySynonym }>(`/synonyms/${id}`, { everyday: ['để xe', 'gửi xe'], legal: ['trông giữ xe'] });
    expect(updated.status).toBe(200);
    expect(updated.body.synonym.everyday).toEqual(['để xe', 'gửi xe']);
    expect(topHit()).toMatch(PARKING);
    const entries = (await admin.get<{ items: AuditEntry[] }>(`/audit?target=${encodeURIComponent(`synonym:${id}`)}`)).body.items;
    expect(entries.find((e) => e.action === 'synonym.update')?.details).toMatchObject({ before: { everyday: ['để xe'] }, everyday: ['để xe', 'gửi xe'] });
    expect((await admin.delete(`/synonyms/${id}`)).status).toBe(204);
    expect(topHit()).not.toMatch(PARKING);
  });

  it('refuses bad entries with a clear error and keeps what was there', async () => {
    const kept = await admin.post<{ synonym: AgencySynonym }>('/synonyms', { everyday: ['làm sổ đỏ'], legal: ['giấy chứng nhận quyền sử dụng'] });
    expect(kept.status).toBe(201);
    const bad: [unknown, string][] = [
      [{ everyday: [], legal: ['trông giữ xe'] }, 'everyday'],
      [{ everyday: ['   '], legal: ['trông giữ xe'] }, 'everyday.0'],
      [{ everyday: ['một hai ba bốn năm sáu bảy'], legal: ['x'] }, 'everyday.0'],
      [{ everyday: ['gửi xe', 'Gửi Xe'], legal: ['trông giữ xe'] }, 'everyday.1'],
      [{ everyday: ['gửi xe', 'gui xe'], legal: ['trông giữ xe'] }, 'everyday.1'],
      [{ everyday: ['gửi xe'], legal: ['gui xe'] }, 'legal.0'],
      [{ everyday: ['gửi xe'], legal: ['gửi xe'] }, 'legal.0'],
      [{ everyday: ['<script>'], legal: ['x'] }, 'everyday.0'],
      [{ everyday: ['x'.repeat(61)], legal: ['y'] }, 'everyday.0'],
      [{ everyday: ['gửi xe'], legal: ['trông giữ xe'], note: 'n'.repeat(301) }, 'note'],
    ];
    for (const [body, path] of bad) {
      const res = await admin.post<{ error: { code: string; issues: { path: string }[] } }>('/synonyms', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.issues.map((i) => i.path)).toContain(path);
    }
    // Decomposed accents are the same phrase once composed (NFC): a duplicate of the kept entry.
    const dup = await spokesperson.post<{ error: { code: string; phrase: string; otherId: string } }>('/synonyms', { everyday: ['Làm Sổ Đỏ'.normalize('NFD')], legal: ['cấp sổ'] });
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({ error: { code: 'duplicate', phrase: 'làm sổ đỏ', otherId: kept.body.synonym.id } });
    expect((await admin.patch('/synonyms/no-such-id', { everyday: ['a'], legal: ['b'] })).status).toBe(404);
    const list = await admin.get<{ items: AgencySynonym[] }>('/synonyms');
    expect(list.body.items.map((s) => s.everyday)).toEqual([['làm sổ đỏ']]);
  });

  it('lets viewers read but not change synonyms', async () => {
    expect((await viewer.get('/synonyms')).status).toBe(200);
    expect((await viewer.post('/synonyms', { everyday: ['đỗ xe'], legal: ['dừng đỗ'] })).status).toBe(403);
    const id = (await admin.get<{ items: AgencySynonym[] }>('/synonyms')).body.items[0].id;
    expect((await viewer.patch(`/synonyms/${id}`, { everyday: ['đỗ xe'], legal: ['dừng đỗ'] })).status).toBe(403);
    expect((await viewer.delete(`/synonyms/${id}`)).status).toBe(403);
    const doc = (await admin.get<{ paths: Record<string, Record<string, unknown>> }>('/openapi.json')).body;
    expect(Object.keys(doc.paths['/synonyms/{id}']).sort()).toEqual(['delete', 'patch']);
  });
});
