/**
 * A small retrieval quality gate: each question below depends on one part of the pipeline,
 * and switching that part off must cost the right answer. The corpus is made so that the part
 * decides (the competing article is otherwise the better lexical match). Quality on real data
 * is measured by `npm run bench`; this keeps a part from being switched off unnoticed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseJsonlCorpus } from '../../knowledge/parse/jsonl.ts';
import type { KnowledgeDocument } from '../../knowledge/types.ts';
import { buildRetriever, type Retriever, type RetrieverOptions } from '../../retrieval/index.ts';

const article = (law: string, no: string, heading: string, text: string) => ({ id: `${law}::${no}`, law_id: law, article_id: no, title: `Điều ${no}. ${heading}`, text });
const LABOUR_2012 = 'Bộ luật Lao động 2012 (10/2012/QH13)';
const LABOUR_2019 = 'Bộ luật Lao động 2019 (45/2019/QH14)';
const LINES = [
  article('Luật Cư trú', '30', 'Khai báo tạm trú', 'Khai báo tạm trú tại cơ quan đăng ký cư trú. Khai báo tạm trú qua ứng dụng.'),
  article(
    'Luật Cư trú',
    '31',
    'Khai báo tạm vắng',
    'Công dân đi khỏi phạm vi đơn vị hành chính cấp xã nơi đang cư trú từ 12 tháng liên tục trở lên, trừ trường hợp đã đăng ký tạm trú tại nơi ở mới hoặc đã xuất cảnh ra nước ngoài, có trách nhiệm khai báo tạm vắng với cơ quan đăng ký cư trú trước khi đi; người khai báo nêu rõ lý do, thời gian và địa chỉ nơi đến.',
  ),
  // Two versions of one article; the corpus states no status (as real agency corpora often do).
  article(LABOUR_2012, '104', 'Thời giờ làm việc bình thường', 'Thời giờ làm việc bình thường không quá 08 giờ trong 01 ngày và 48 giờ trong 01 tuần. Người sử dụng lao động có quyền quy định làm việc theo giờ hoặc ngày hoặc tuần.'),
  article(LABOUR_2019, '105', 'Thời giờ làm việc bình thường', 'Thời giờ làm việc bình thường không quá 08 giờ trong 01 ngày và không quá 48 giờ trong 01 tuần. Người sử dụng lao động có quyền quy định thời giờ làm việc theo ngày hoặc tuần.'),
  article('Bộ luật Dân sự', '3', 'Giải thích từ ngữ', 'Trong Bộ luật này, các từ ngữ dưới đây được hiểu như sau:\n1. Người thành niên là người từ đủ mười tám tuổi trở lên.\n2. Tài sản là vật, tiền, giấy tờ có giá và quyền tài sản.\n3. Giao dịch dân sự là hợp đồng hoặc hành vi pháp lý đơn phương.'),
  article('Bộ luật Dân sự', '21', 'Quyền của người thành niên', 'Người thành niên có quyền tự mình xác lập giao dịch. Người thành niên chịu trách nhiệm về giao dịch của mình. Người thành niên có thể ủy quyền cho người thành niên khác.'),
  article('Luật Căn cước', '25', 'Lệ phí cấp thẻ căn cước', 'Công dân nộp lệ phí khi cấp đổi, cấp lại thẻ căn cước theo quy định của pháp luật về phí và lệ phí. Mức lệ phí cấp thẻ căn cước do Bộ Tài chính quy định.'),
];

function documents(): KnowledgeDocument[] {
  const docs = parseJsonlCorpus(LINES.map((l) => JSON.stringify(l)).join('\n'), 'gate.jsonl').documents;
  docs.push({
    id: 'faq',
    title: 'Câu trả lời đã phê duyệt',
    source: 'faq',
    contentHash: 'faq',
    meta: { status: 'in_force', docType: 'FAQ' },
    ingestedAt: new Date(0).toISOString(),
    units: [
      {
        id: 'faq:1',
        docId: 'faq',
        kind: 'faq',
        section: 'Hỏi đáp',
        heading: 'Làm căn cước lần đầu có mất tiền không?',
        text: ['Làm căn cước lần đầu có mất tiền không?', '', 'Không. Lần đầu được miễn.', '', 'Căn cứ: Luật Căn cước, Điều 25.'].join('\n'),
      },
    ],
  });
  return docs;
}

/** Each question, the unit that answers it, and the part it depends on (switched off by `off`). */
const GATE: { part: string; question: string; gold: string; off: NonNullable<RetrieverOptions['tuning']> }[] = [
  { part: 'typo repair (no diacritics)', question: 'khai bao tam vawng', gold: 'Luật Cư trú::31', off: { query: { typoRepair: false } } },
  { part: 'typo repair (accented)', question: 'khai báo tạm vắnh', gold: 'Luật Cư trú::31', off: { query: { typoRepair: false } } },
  { part: 'the FAQ weight', question: 'lệ phí cấp thẻ căn cước lần đầu có mất tiền không', gold: 'faq:1', off: { rank: { faqWeight: 0 } } },
  {
    part: 'the in-force preference',
    question: 'người sử dụng lao động quy định làm việc theo giờ hoặc ngày được không',
    gold: `${LABOUR_2019}::105`,
    off: { rank: { inactivePenalty: 1 } },
  },
  { part: 'definition questions', question: 'người thành niên là gì', gold: 'Bộ luật Dân sự::3', off: { rank: { definitionWeight: 0 } } },
];

const build = (tuning?: RetrieverOptions['tuning']) => buildRetriever(documents(), { abstainThreshold: 0.5, embeddings: { kind: 'none' }, tuning });

describe('retrieval quality gate', () => {
  let defaults: Retriever;
  beforeAll(async () => {
    defaults = await build();
  });

  for (const g of GATE) {
    it(`finds the answer that depends on ${g.part}, and loses it without`, async () => {
      expect(defaults.search(g.question, 5)[0]?.id).toBe(g.gold);
      const without = await build(g.off);
      expect(without.search(g.question, 5)[0]?.id).not.toBe(g.gold);
    });
  }

  it('answers from the current version and never quotes the superseded one next to it', async () => {
    const r = await defaults.ask('thời giờ làm việc bình thường một ngày là bao nhiêu giờ');
    expect(r.outcome).toBe('answer');
    expect(r.citations.map((c) => c.id)).toEqual([`${LABOUR_2019}::105`]);
    expect(`${r.answer}${r.more ?? ''}`).not.toContain('2012');
  });
});
