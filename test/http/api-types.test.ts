import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiTypes } from '../../http/api-types.ts';
import { startTestLoa, type TestLoa } from '../admin/harness.ts';

/** `admin/public/api-types.d.ts` (the console's JSDoc types) is generated from the route declarations and must be current. */

const FILE = new URL('../../admin/public/api-types.d.ts', import.meta.url);
let t: TestLoa;

beforeAll(async () => {
  t = await startTestLoa({ LOA_SAMPLE_KNOWLEDGE: 'false' });
}, 60_000);
afterAll(async () => {
  await t?.stop();
});

describe('console API types', () => {
  it('admin/public/api-types.d.ts matches the OpenAPI documents', async () => {
    const docs = await Promise.all(['/api/admin/openapi.json', '/api/openapi.json'].map(async (p) => (await fetch(`${t.url}${p}`)).json()));
    const generated = apiTypes(docs);
    if (process.env.LOA_UPDATE_API_TYPES === '1') writeFileSync(FILE, generated);
    let current = '';
    try {
      current = readFileSync(FILE, 'utf8');
    } catch {
      // missing: the comparison below says so
    }
    expect(current, 'admin/public/api-types.d.ts is stale: run LOA_UPDATE_API_TYPES=1 npx vitest run test/http/api-types.test.ts').toBe(generated);
    expect(generated).toContain('"GET /faqs": {');
    expect(generated).toContain('"POST /api/ask": {');
  });
});
