import { describe, expect, it } from 'vitest';
import type { KnowledgeDocument, KnowledgeUnit } from '../../knowledge/types.ts';
import { buildRetriever } from '../../retrieval/index.ts';

/** Two procedure codes with the same article title, as in the real codes. */
function code(id: string, title: string, domain: string): KnowledgeDocument {
  const art = (no: string, heading: string, text: string): KnowledgeUnit => ({ id: `${id}::${no}`, docId: id, kind: 'article', section: `Điều ${no}`, articleNo: no, heading, text });
  return {
    id,
    title,
    source: `test:${id}`,
    contentHash: id,
    meta: { status: 'in_force' },
    units: [
      art('1', 'Phạm vi điều chỉnh', `Bộ luật này quy định trình tự, thủ tục giải quyết vụ án ${domain}; nhiệm vụ, quyền hạn của cơ quan tiến hành tố tụng ${domain}.`),
      art('2', 'Nhiệm vụ', `Bảo đảm giải quyết vụ án ${domain} kịp thời, đúng pháp luật; bảo vệ quyền con người trong tố tụng ${domain}.`),
      art('3', 'Người tham gia tố tụng', `Người tham gia tố tụng ${domain} gồm đương sự, người đại diện, người làm chứng trong vụ án ${domain}.`),
      art('4', 'Hoãn phiên tòa', 'Tòa án hoãn phiên tòa khi người có quyền lợi liên quan vắng mặt lần thứ nhất có lý do chính đáng. Thời hạn hoãn phiên tòa không quá 30 ngày.'),
    ],
    ingestedAt: new Date(0).toISOString(),
  };
}

describe('the code a question is about, from its words, without the law named', () => {
  it('choose between codes with the same article title', async () => {
    const r = await buildRetriever(
      [code('tths', 'Bộ luật Tố tụng hình sự', 'hình sự'), code('tthc', 'Luật Tố tụng hành chính', 'hành chính')],
      { abstainThreshold: 0.5 },
    );
    expect(r.search('vắng mặt thì có hoãn phiên tòa vụ án hành chính không', 2)[0]?.id).toBe('tthc::4');
    expect(r.search('vang mat thi co hoan phien toa hanh chinh khong', 2)[0]?.id).toBe('tthc::4');
    expect(r.search('hoãn phiên tòa tố tụng hình sự bao lâu', 2)[0]?.id).toBe('tths::4');
  });
});
