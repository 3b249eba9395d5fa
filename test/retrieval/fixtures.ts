/**
 * A small hand-written Vietnamese corpus for retrieval tests: four laws (abridged wording in
 * the style of the real texts), one superseded decree and one plain-language summary.
 * Built through the real JSONL parser where possible, so units look like production ones.
 */
import { parseJsonlCorpus } from '../../knowledge/parse/jsonl.ts';
import type { KnowledgeDocument, KnowledgeUnit } from '../../knowledge/types.ts';

interface Line {
  law: string;
  no: string;
  heading: string;
  text: string;
}

const LINES: Line[] = [
  // Luật Cư trú
  { law: 'Luật Cư trú', no: '12', heading: 'Nơi cư trú của người chưa thành niên', text: '1. Nơi cư trú của người chưa thành niên là nơi cư trú của cha, mẹ; nếu cha, mẹ có nơi cư trú khác nhau thì nơi cư trú của người chưa thành niên là nơi cư trú của cha hoặc mẹ mà người chưa thành niên thường xuyên chung sống.\n2. Người chưa thành niên được cư trú tại nơi khác với nơi cư trú của cha, mẹ nếu được cha, mẹ đồng ý hoặc pháp luật có quy định.' },
  { law: 'Luật Cư trú', no: '20', heading: 'Điều kiện đăng ký thường trú', text: '1. Công dân có chỗ ở hợp pháp thuộc quyền sở hữu của mình thì được đăng ký thường trú tại chỗ ở hợp pháp đó.\n2. Công dân được đăng ký thường trú tại chỗ ở hợp pháp không thuộc quyền sở hữu của mình khi được chủ hộ và chủ sở hữu chỗ ở hợp pháp đó đồng ý trong các trường hợp sau đây:\na) Vợ về ở với chồng; chồng về ở với vợ; con về ở với cha, mẹ; cha, mẹ về ở với con;\nb) Người cao tuổi về ở với anh ruột, chị ruột, em ruột, cháu ruột.\n3. Công dân được đăng ký thường trú tại chỗ ở hợp pháp do thuê, mượn, ở nhờ khi bảo đảm điều kiện về diện tích nhà ở tối thiểu do Hội đồng nhân dân cấp tỉnh quy định nhưng không thấp hơn 08 m2 sàn/người.' },
  { law: 'Luật Cư trú', no: '21', heading: 'Hồ sơ đăng ký thường trú', text: '1. Hồ sơ đăng ký thường trú đối với người quy định tại khoản 1 Điều 20 của Luật này bao gồm:\na) Tờ khai thay đổi thông tin cư trú;\nb) Giấy tờ, tài liệu chứng minh việc sở hữu chỗ ở hợp pháp.\n2. Hồ sơ đăng ký thường trú đối với người quy định tại khoản 2 Điều 20 của Luật này bao gồm tờ khai thay đổi thông tin cư trú, trong đó ghi rõ ý kiến đồng ý cho đăng ký thường trú của chủ hộ và giấy tờ chứng minh quan hệ nhân thân với chủ hộ.' },
  { law: 'Luật Cư trú', no: '22', heading: 'Thủ tục đăng ký thường trú', text: '1. Người đăng ký thường trú nộp hồ sơ đăng ký thường trú đến cơ quan đăng ký cư trú nơi mình cư trú.\n2. Trong thời hạn 07 ngày làm việc kể từ ngày nhận được hồ sơ đầy đủ và hợp lệ, cơ quan đăng ký cư trú có trách nhiệm thẩm định, cập nhật thông tin về nơi thường trú mới của người đăng ký vào Cơ sở dữ liệu về cư trú và thông báo cho người đăng ký.' },
  { law: 'Luật Cư trú', no: '27', heading: 'Điều kiện đăng ký tạm trú', text: '1. Công dân đến sinh sống tại chỗ ở hợp pháp ngoài phạm vi đơn vị hành chính cấp xã nơi đã đăng ký thường trú để lao động, học tập hoặc vì mục đích khác từ 30 ngày trở lên thì phải thực hiện đăng ký tạm trú.\n2. Thời hạn tạm trú tối đa là 02 năm và có thể tiếp tục gia hạn nhiều lần.' },
  { law: 'Luật Cư trú', no: '31', heading: 'Khai báo tạm vắng', text: '1. Công dân có trách nhiệm khai báo tạm vắng khi đi khỏi phạm vi đơn vị hành chính cấp huyện nơi đang cư trú từ 12 tháng liên tục trở lên, trừ trường hợp đã đăng ký tạm trú tại nơi ở mới.\n2. Người khai báo tạm vắng đến cơ quan đăng ký cư trú nơi cư trú hoặc khai báo qua ứng dụng trên thiết bị điện tử.' },
  { law: 'Luật Cư trú', no: '38', heading: 'Điều khoản thi hành', text: 'Kể từ ngày Luật này có hiệu lực thi hành, Sổ hộ khẩu, Sổ tạm trú đã được cấp vẫn được sử dụng và có giá trị như giấy tờ, tài liệu xác nhận về cư trú theo quy định của Luật này cho đến hết ngày 31 tháng 12 năm 2022.' },
  // Luật Hôn nhân và gia đình
  { law: 'Luật Hôn nhân và gia đình', no: '8', heading: 'Điều kiện kết hôn', text: '1. Nam, nữ kết hôn với nhau phải tuân theo các điều kiện sau đây:\na) Nam từ đủ 20 tuổi trở lên, nữ từ đủ 18 tuổi trở lên;\nb) Việc kết hôn do nam và nữ tự nguyện quyết định;\nc) Không bị mất năng lực hành vi dân sự.\n2. Nhà nước không thừa nhận hôn nhân giữa những người cùng giới tính.' },
  { law: 'Luật Hôn nhân và gia đình', no: '51', heading: 'Quyền yêu cầu giải quyết ly hôn', text: '1. Vợ, chồng hoặc cả hai người có quyền yêu cầu Tòa án giải quyết ly hôn.\n2. Chồng không có quyền yêu cầu ly hôn trong trường hợp vợ đang có thai, sinh con hoặc đang nuôi con dưới 12 tháng tuổi.' },
  { law: 'Luật Hôn nhân và gia đình', no: '55', heading: 'Thuận tình ly hôn', text: 'Trong trường hợp vợ chồng cùng yêu cầu ly hôn, nếu xét thấy hai bên thật sự tự nguyện ly hôn và đã thỏa thuận về việc chia tài sản, việc trông nom, nuôi dưỡng, chăm sóc, giáo dục con thì Tòa án công nhận thuận tình ly hôn.' },
  { law: 'Luật Hôn nhân và gia đình', no: '81', heading: 'Việc trông nom, chăm sóc, nuôi dưỡng, giáo dục con sau khi ly hôn', text: '1. Sau khi ly hôn, cha mẹ vẫn có quyền, nghĩa vụ trông nom, chăm sóc, nuôi dưỡng, giáo dục con chưa thành niên.\n2. Vợ, chồng thỏa thuận về người trực tiếp nuôi con; trường hợp không thỏa thuận được thì Tòa án quyết định giao con cho một bên trực tiếp nuôi.\n3. Con dưới 36 tháng tuổi được giao cho mẹ trực tiếp nuôi, trừ trường hợp người mẹ không đủ điều kiện.' },
  { law: 'Luật Hôn nhân và gia đình', no: '110', heading: 'Nghĩa vụ cấp dưỡng của cha, mẹ đối với con', text: 'Cha, mẹ có nghĩa vụ cấp dưỡng cho con chưa thành niên, con đã thành niên không có khả năng lao động và không có tài sản để tự nuôi mình trong trường hợp không sống chung với con hoặc sống chung với con nhưng vi phạm nghĩa vụ nuôi dưỡng con.' },
  // Bộ luật dân sự
  { law: 'Bộ luật dân sự', no: '20', heading: 'Người thành niên', text: '1. Người thành niên là người từ đủ mười tám tuổi trở lên.\n2. Người thành niên có năng lực hành vi dân sự đầy đủ.' },
  { law: 'Bộ luật dân sự', no: '41', heading: 'Nơi cư trú của người chưa thành niên', text: '1. Nơi cư trú của người chưa thành niên là nơi cư trú của cha, mẹ; nếu cha, mẹ có nơi cư trú khác nhau thì nơi cư trú của người chưa thành niên là nơi cư trú của cha hoặc mẹ mà người chưa thành niên thường xuyên chung sống, trừ trường hợp cha, mẹ có thỏa thuận khác.\n2. Người chưa thành niên có thể có nơi cư trú khác với nơi cư trú của cha, mẹ nếu được cha, mẹ đồng ý.' },
  { law: 'Bộ luật dân sự', no: '463', heading: 'Hợp đồng vay tài sản', text: 'Hợp đồng vay tài sản là sự thỏa thuận giữa các bên, theo đó bên cho vay giao tài sản cho bên vay; khi đến hạn trả, bên vay phải hoàn trả cho bên cho vay tài sản cùng loại theo đúng số lượng, chất lượng và chỉ phải trả lãi nếu có thỏa thuận hoặc pháp luật có quy định.' },
  { law: 'Bộ luật dân sự', no: '468', heading: 'Lãi suất', text: '1. Lãi suất vay do các bên thỏa thuận. Trường hợp các bên có thỏa thuận về lãi suất thì lãi suất theo thỏa thuận không được vượt quá 20%/năm của khoản tiền vay.\n2. Trường hợp lãi suất theo thỏa thuận vượt quá lãi suất giới hạn thì mức lãi suất vượt quá không có hiệu lực.' },
  { law: 'Bộ luật dân sự', no: '650', heading: 'Những trường hợp thừa kế theo pháp luật', text: 'Thừa kế theo pháp luật được áp dụng trong trường hợp không có di chúc, di chúc không hợp pháp hoặc những người thừa kế theo di chúc chết trước hoặc chết cùng thời điểm với người lập di chúc.' },
  // Luật Căn cước
  { law: 'Luật Căn cước', no: '19', heading: 'Người được cấp thẻ căn cước', text: '1. Người được cấp thẻ căn cước là công dân Việt Nam.\n2. Công dân Việt Nam từ đủ 14 tuổi trở lên phải thực hiện thủ tục cấp thẻ căn cước.\n3. Công dân Việt Nam dưới 14 tuổi được cấp thẻ căn cước theo nhu cầu.' },
  { law: 'Luật Căn cước', no: '21', heading: 'Độ tuổi đổi thẻ căn cước', text: '1. Công dân Việt Nam đã được cấp thẻ căn cước phải thực hiện thủ tục cấp đổi thẻ căn cước khi đủ 14 tuổi, 25 tuổi, 40 tuổi và 60 tuổi.\n2. Thẻ căn cước đã được cấp, cấp đổi, cấp lại trong thời hạn 02 năm trước tuổi cấp đổi thẻ căn cước có giá trị sử dụng đến tuổi cấp đổi thẻ căn cước tiếp theo.' },
  { law: 'Luật Căn cước', no: '24', heading: 'Các trường hợp cấp đổi, cấp lại thẻ căn cước', text: '1. Các trường hợp cấp đổi thẻ căn cước bao gồm: thay đổi, cải chính thông tin về họ, chữ đệm, tên khai sinh; thẻ bị hư hỏng không sử dụng được.\n2. Các trường hợp cấp lại thẻ căn cước bao gồm: bị mất thẻ căn cước; được trở lại quốc tịch Việt Nam.' },
];

/** The laws as a JSONL corpus (the format of `loa eval --corpus`). */
export function testCorpusJsonl(): string {
  return LINES.map((l) => JSON.stringify({ id: `${l.law}::${l.no}`, law_id: l.law, article_id: l.no, title: `Điều ${l.no}. ${l.heading}`, text: l.text })).join('\n');
}

/** The documents: four laws in force, a superseded decree, a summary, an approved FAQ. */
export function testDocuments(): KnowledgeDocument[] {
  const docs = parseJsonlCorpus(testCorpusJsonl(), 'test-corpus.jsonl').documents;
  const numbers: Record<string, string> = {
    'Luật Cư trú': '68/2020/QH14',
    'Luật Hôn nhân và gia đình': '52/2014/QH13',
    'Bộ luật dân sự': '91/2015/QH13',
    'Luật Căn cước': '26/2023/QH15',
  };
  for (const d of docs) {
    d.meta.number = numbers[d.id];
    d.meta.url = `https://vbpl.vn/test/${encodeURIComponent(d.id)}`;
  }
  const cmnd: KnowledgeUnit = {
    id: 'nd-05-1999::5',
    docId: 'nd-05-1999',
    kind: 'article',
    section: 'Điều 5',
    articleNo: '5',
    heading: 'Thời hạn sử dụng chứng minh nhân dân',
    text: 'Chứng minh nhân dân có giá trị sử dụng 15 năm kể từ ngày cấp. Mỗi công dân chỉ được cấp một chứng minh nhân dân.',
  };
  docs.push({
    id: 'nd-05-1999',
    title: 'Nghị định về chứng minh nhân dân',
    source: 'test:nd-05-1999',
    contentHash: 'x',
    meta: { status: 'superseded', number: '05/1999/NĐ-CP', supersededBy: 'Luật Căn cước 26/2023/QH15' },
    units: [cmnd],
    ingestedAt: new Date(0).toISOString(),
  });
  docs.push({
    id: 'tom-tat-ly-hon',
    title: 'Tóm tắt: thủ tục ly hôn thuận tình',
    source: 'test:tom-tat-ly-hon',
    contentHash: 'y',
    meta: { status: 'in_force', isSummary: true, legalBasis: ['Điều 55 Luật Hôn nhân và gia đình 52/2014/QH13'] },
    units: [
      {
        id: 'tom-tat-ly-hon#ho-so',
        docId: 'tom-tat-ly-hon',
        kind: 'passage',
        section: 'Hồ sơ thuận tình ly hôn',
        heading: 'Hồ sơ thuận tình ly hôn',
        text: 'Hồ sơ thuận tình ly hôn gồm đơn yêu cầu công nhận thuận tình ly hôn có chữ ký của cả hai vợ chồng, bản chính giấy chứng nhận đăng ký kết hôn, bản sao giấy khai sinh của con. Hồ sơ nộp tại Tòa án nhân dân cấp huyện nơi một trong hai bên cư trú.',
      },
    ],
    ingestedAt: new Date(0).toISOString(),
  });
  docs.push({
    id: 'faq',
    title: 'Câu trả lời đã phê duyệt',
    source: 'faq',
    contentHash: 'z',
    meta: { status: 'in_force', docType: 'FAQ' },
    units: [
      {
        id: 'faq:1',
        docId: 'faq',
        kind: 'faq',
        section: 'Câu hỏi thường gặp',
        heading: 'Làm thẻ căn cước lần đầu có mất lệ phí không?',
        // The layout admin/faqs/faq-knowledge.ts writes: variants, blank line, answer, blank line, basis.
        text: [
          'Làm thẻ căn cước lần đầu có mất lệ phí không?',
          'Cấp căn cước lần đầu có phải nộp tiền không?',
          '',
          'Công dân làm thẻ căn cước lần đầu không phải nộp lệ phí. Lệ phí chỉ thu khi cấp đổi hoặc cấp lại thẻ căn cước.',
          '',
          'Căn cứ: Luật Căn cước (26/2023/QH15), Điều 24.',
        ].join('\n'),
      },
    ],
    ingestedAt: new Date(0).toISOString(),
  });
  return docs;
}
