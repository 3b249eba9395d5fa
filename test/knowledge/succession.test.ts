import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestBuffer } from '../../knowledge/ingest.ts';
import { openSqlite } from '../../storage/sqlite/database.ts';
import { SqliteKnowledgeStore } from '../../storage/sqlite/knowledge-store.ts';
import { parseJsonlCorpus } from '../../knowledge/parse/jsonl.ts';
import { baseTitle, versionGroups } from '../../knowledge/succession.ts';

const line = (law: string, article: string, extra: Record<string, string> = {}) =>
  JSON.stringify({ id: `${law}::${article}`, law_id: law, article_id: article, title: `Điều ${article}. Thời giờ làm việc`, text: 'Thời giờ làm việc bình thường không quá 08 giờ trong 01 ngày.', ...extra });

describe('versions of one document', () => {
  it('treats the older code as superseded by the newer one when the corpus states no status', () => {
    const text = [line('Bộ luật Lao động 2012 (10/2012/QH13)', '104'), line('Bộ luật Lao động 2019 (45/2019/QH14)', '105')].join('\n');
    const { documents } = parseJsonlCorpus(text, 'c.jsonl');
    const old = documents.find((d) => d.title.includes('2012'))!;
    const current = documents.find((d) => d.title.includes('2019'))!;
    expect(old.meta).toMatchObject({ status: 'superseded', supersededBy: 'Bộ luật Lao động 2019 (45/2019/QH14)' });
    expect(current.meta.status).toBe('in_force');
  });

  it('keeps a status the corpus states, and never groups texts known only by type and number', () => {
    const text = [
      line('Bộ luật Lao động 2012 (10/2012/QH13)', '104', { status: 'in_force' }),
      line('Bộ luật Lao động 2019 (45/2019/QH14)', '105'),
      line('Nghị định 146/2018/NĐ-CP', '3'),
      line('Nghị định 61/2020/NĐ-CP', '3'),
    ].join('\n');
    const { documents } = parseJsonlCorpus(text, 'c.jsonl');
    expect(documents.map((d) => d.meta.status)).toEqual(['in_force', 'in_force', 'in_force', 'in_force']);
  });

  it('does not take an amending law for a new version of the law it amends', () => {
    const { documents } = parseJsonlCorpus(
      [line('Luật Bảo hiểm y tế 2008 (25/2008/QH12)', '12'), line('Luật sửa đổi, bổ sung Luật Bảo hiểm y tế 2014 (46/2014/QH13)', '1')].join('\n'),
      'c.jsonl',
    );
    expect(versionGroups(documents)).toEqual([]);
    expect(baseTitle('Bộ luật Lao động năm 2019 (45/2019/QH14)')).toBe('bo luat lao dong');
  });
});

describe('flagged to staff at ingest', () => {
  it('warns when two versions of one document are both stated to be in force, and not when the older is superseded', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loa-versions-'));
    const db = openSqlite(join(dir, 'loa.sqlite'));
    try {
      const store = new SqliteKnowledgeStore(db);
      const both = [line('Bộ luật Lao động 2012 (10/2012/QH13)', '104', { status: 'in_force' }), line('Bộ luật Lao động 2019 (45/2019/QH14)', '105', { status: 'in_force' })].join('\n');
      const flagged = await ingestBuffer('blld.jsonl', Buffer.from(both), store, { maxFileBytes: 1e6 });
      expect(flagged.warnings).toEqual([expect.stringMatching(/^Có 2 phiên bản cùng còn hiệu lực của một văn bản: “Bộ luật Lao động 2019 \(45\/2019\/QH14\)”, “Bộ luật Lao động 2012 \(10\/2012\/QH13\)”/)]);
      // Once an officer marks the old code superseded, the next ingest has nothing to flag.
      const old = (await store.listDocuments()).find((d) => d.title.includes('2012'))!;
      expect(await store.updateMeta(old.id, { ...old.meta, status: 'superseded' })).toBe(true);
      const clean = await ingestBuffer('other.jsonl', Buffer.from(line('Luật Cư trú (68/2020/QH14)', '20')), store, { maxFileBytes: 1e6 });
      expect(clean.warnings).toEqual([]);
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
