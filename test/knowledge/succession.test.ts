import { describe, expect, it } from 'vitest';
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
