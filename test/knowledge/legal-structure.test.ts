import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseLegalStructure, boundedChunks } from '../../knowledge/parse/legal-structure.ts';
import { detectMetadata, formatIssuer } from '../../knowledge/parse/detect-metadata.ts';
import { normalizeText } from '../../knowledge/parse/normalize.ts';

const law = normalizeText(readFileSync(new URL('./fixtures/luat-cu-tru-trich.txt', import.meta.url), 'utf8'));
const byId = <T extends { id: string }>(units: T[], id: string): T | undefined => units.find((u) => u.id === id);

describe('detectMetadata', () => {
  it('reads title, số hiệu, type, issuer and dates from a law header', () => {
    expect(detectMetadata(law)).toEqual({
      title: 'LUẬT CƯ TRÚ',
      meta: {
        number: '68/2020/QH14',
        docType: 'Luật',
        issuer: 'Quốc hội',
        issuedDate: '2020-11-13',
        effectiveDate: '2021-07-01',
      },
    });
  });

  it('reads a decree header flattened onto shared lines, with a sentence-case subject', () => {
    const text = [
      'CHÍNH PHỦ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      'Số: 62/2021/NĐ-CP Hà Nội, ngày 29 tháng 6 năm 2021',
      'NGHỊ ĐỊNH',
      'Quy định chi tiết một số điều của Luật Cư trú',
      'Căn cứ Luật Cư trú ngày 13 tháng 11 năm 2020;',
      'Điều 1. Phạm vi điều chỉnh',
      'Nghị định này quy định chi tiết một số điều của Luật Cư trú.',
      'Điều 2. Hiệu lực thi hành',
      'Nghị định này có hiệu lực thi hành kể từ ngày 01/7/2021.',
    ].join('\n');
    expect(detectMetadata(text)).toEqual({
      title: 'NGHỊ ĐỊNH Quy định chi tiết một số điều của Luật Cư trú',
      meta: { number: '62/2021/NĐ-CP', docType: 'Nghị định', issuer: 'Chính phủ', issuedDate: '2021-06-29', effectiveDate: '2021-07-01' },
    });
  });

  it('stops the title before the repeated signer line and takes "from the date of signing" as the issue date', () => {
    const text = [
      'THỦ TƯỚNG CHÍNH PHỦ',
      'Số: 1234/QĐ-TTg',
      'Hà Nội, ngày 05 tháng 9 năm 2022',
      'QUYẾT ĐỊNH',
      'Về việc ban hành Quy chế phát ngôn',
      'THỦ TƯỚNG CHÍNH PHỦ',
      'Căn cứ Luật Tổ chức Chính phủ;',
      'Điều 1. Ban hành kèm theo Quyết định này Quy chế phát ngôn.',
      'Điều 2. Quyết định này có hiệu lực kể từ ngày ký.',
    ].join('\n');
    const d = detectMetadata(text);
    expect(d.title).toBe('QUYẾT ĐỊNH Về việc ban hành Quy chế phát ngôn');
    expect(d.meta).toMatchObject({ number: '1234/QĐ-TTg', docType: 'Quyết định', issuer: 'Thủ tướng Chính phủ', issuedDate: '2022-09-05', effectiveDate: '2022-09-05' });
  });

  it('finds a number by its pattern when the header has no "Số:" label, and rejects impossible dates', () => {
    const d = detectMetadata('BỘ CÔNG AN\nThông tư 55/2021/TT-BCA\nHà Nội, ngày 31 tháng 2 năm 2021\nCăn cứ …');
    expect(d.meta.number).toBe('55/2021/TT-BCA');
    expect(d.meta.docType).toBe('Thông tư');
    expect(d.meta.issuer).toBe('Bộ Công an');
    expect(d.meta.issuedDate).toBeUndefined();
  });

  it('formats issuers written in capitals', () => {
    expect(formatIssuer('BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI')).toBe('Bộ Lao động - Thương binh và Xã hội');
    expect(formatIssuer('ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI')).toBe('Ủy ban nhân dân thành phố Hà Nội');
    expect(formatIssuer('SỞ TƯ PHÁP')).toBe('SỞ TƯ PHÁP');
  });

  it('finds nothing in a plain-language text', () => {
    expect(detectMetadata('Hướng dẫn đăng ký thường trú\nBạn cần chuẩn bị tờ khai và giấy tờ chứng minh chỗ ở.')).toEqual({ meta: {} });
    // Dates and numbers of other documents cited in running text are not this document's.
    const notice = 'Thông báo về việc áp dụng Luật Cư trú\nTheo Luật Cư trú số 68/2020/QH14, được áp dụng rộng rãi cho mọi công dân trên cả nước, có hiệu lực từ ngày 01 tháng 7 năm 2021, người dân không còn dùng sổ hộ khẩu.';
    expect(detectMetadata(notice)).toEqual({ meta: {} });
  });
});

describe('parseLegalStructure: articles', () => {
  const { units, articleCount } = parseLegalStructure(law, 'luat-cu-tru');

  it('makes one article unit per Điều and one clause unit per Khoản', () => {
    expect(articleCount).toBe(6);
    expect(units.filter((u) => u.kind === 'article').map((u) => u.id)).toEqual([
      'luat-cu-tru::1',
      'luat-cu-tru::2',
      'luat-cu-tru::8',
      'luat-cu-tru::20',
      'luat-cu-tru::22',
      'luat-cu-tru::38',
    ]);
    expect(units.filter((u) => u.parentId === 'luat-cu-tru::20').map((u) => u.id)).toEqual([
      'luat-cu-tru::20.1',
      'luat-cu-tru::20.2',
      'luat-cu-tru::20.3',
    ]);
  });

  it('locates units by Chương, Mục, Điều and Khoản', () => {
    const article = byId(units, 'luat-cu-tru::20');
    expect(article).toMatchObject({ kind: 'article', section: 'Chương III, Mục 1, Điều 20', articleNo: '20', heading: 'Điều kiện đăng ký thường trú' });
    expect(byId(units, 'luat-cu-tru::20.2')).toMatchObject({
      kind: 'clause',
      section: 'Chương III, Mục 1, Điều 20, Khoản 2',
      articleNo: '20',
      clauseNo: '2',
      heading: 'Điều kiện đăng ký thường trú',
    });
    expect(byId(units, 'luat-cu-tru::22')?.section).toBe('Chương III, Mục 2, Điều 22');
    expect(byId(units, 'luat-cu-tru::38')?.section).toBe('Chương VII, Điều 38');
  });

  it('keeps the full body in the article and the points in their clause', () => {
    const article = byId(units, 'luat-cu-tru::20')!;
    expect(article.text.startsWith('1. Công dân có chỗ ở hợp pháp')).toBe(true);
    expect(article.text).toContain('b) Bảo đảm điều kiện về diện tích nhà ở tối thiểu');
    const clause = byId(units, 'luat-cu-tru::20.2')!;
    expect(clause.text).toContain('a) Vợ về ở với chồng');
    expect(clause.text).toContain('c) Người chưa thành niên');
    expect(clause.text).not.toContain('thuê, mượn, ở nhờ khi đáp ứng');
    expect(byId(units, 'luat-cu-tru::2')!.text.split('\n')[0]).toBe('Trong Luật này, các từ ngữ dưới đây được hiểu như sau:');
  });

  it('leaves chapter titles, the adoption sentence and the signature out of article text', () => {
    const all = units.map((u) => u.text).join('\n');
    expect(all).not.toContain('ĐĂNG KÝ THƯỜNG TRÚ');
    expect(all).not.toContain('QUYỀN VÀ NGHĨA VỤ');
    expect(all).not.toContain('thông qua ngày');
    expect(all).not.toContain('CHỦ TỊCH QUỐC HỘI');
    expect(byId(units, 'luat-cu-tru::38')!.text.endsWith('hết hiệu lực kể từ ngày Luật này có hiệu lực thi hành.')).toBe(true);
  });

  it('handles Phần and Tiểu mục, inserted articles, and article references inside the text', () => {
    const text = [
      'PHẦN THỨ NHẤT',
      'QUY ĐỊNH CHUNG',
      'Chương I',
      'NHỮNG QUY ĐỊNH CHUNG',
      'Mục 1',
      'GIAO DỊCH',
      'Tiểu mục 2',
      'HÌNH THỨC',
      'Điều 4. Áp dụng',
      'Điều 5 của Luật này',
      'được áp dụng cho mọi giao dịch.',
      'Điều 4a. Điều khoản bổ sung',
      'Nội dung bổ sung.',
      'Điều 3. Không theo thứ tự',
      'Điều 6: Hình thức giao dịch',
      '1. Giao dịch được thể hiện bằng lời nói, bằng văn bản.',
    ].join('\n');
    const r = parseLegalStructure(text, 'blds');
    expect(r.units.filter((u) => u.kind === 'article').map((u) => [u.id, u.section])).toEqual([
      ['blds::4', 'Phần thứ nhất, Chương I, Mục 1, Tiểu mục 2, Điều 4'],
      ['blds::4a', 'Phần thứ nhất, Chương I, Mục 1, Tiểu mục 2, Điều 4a'],
      ['blds::6', 'Phần thứ nhất, Chương I, Mục 1, Tiểu mục 2, Điều 6'],
    ]);
    expect(byId(r.units, 'blds::4')!.text).toBe('Điều 5 của Luật này\nđược áp dụng cho mọi giao dịch.');
    // An article number going backwards is a reference inside the text, not a new article.
    expect(byId(r.units, 'blds::4a')!.text).toContain('Điều 3. Không theo thứ tự');
    expect(byId(r.units, 'blds::6.1')?.section).toBe('Phần thứ nhất, Chương I, Mục 1, Tiểu mục 2, Điều 6, Khoản 1');
  });

  it('gives the articles of an attached regulation their own ids after the signature', () => {
    const text = [
      'Điều 1. Ban hành kèm theo Quyết định này Quy chế phát ngôn.',
      'Điều 2. Quyết định này có hiệu lực kể từ ngày ký.',
      'Nơi nhận:',
      '- Như Điều 2;',
      'KT. THỦ TƯỚNG',
      'QUY CHẾ',
      'Phát ngôn và cung cấp thông tin cho báo chí',
      'Điều 1. Phạm vi điều chỉnh',
      'Quy chế này quy định việc phát ngôn.',
      'Điều 2. Người phát ngôn',
      '1. Người đứng đầu cơ quan là người phát ngôn.',
    ].join('\n');
    const r = parseLegalStructure(text, 'qd');
    expect(r.units.map((u) => [u.id, u.section])).toEqual([
      ['qd::1', 'Điều 1'],
      ['qd::2', 'Điều 2'],
      ['qd::pl1-1', 'Quy chế, Điều 1'],
      ['qd::pl1-2', 'Quy chế, Điều 2'],
      ['qd::pl1-2.1', 'Quy chế, Điều 2, Khoản 1'],
    ]);
    expect(byId(r.units, 'qd::2')!.text).toBe('Quyết định này có hiệu lực kể từ ngày ký.');
  });

  it('reads Markdown headings and bold article titles the same way', () => {
    const md = ['# Luật mẫu', '', '## Chương I', '', 'Điều 1. Phạm vi', '', '1. Khoản một.', '', '2. Khoản hai.'].join('\n');
    const r = parseLegalStructure(md, 'md', { headings: 'markdown' });
    expect(r.units.map((u) => u.section)).toEqual(['Chương I, Điều 1', 'Chương I, Điều 1, Khoản 1', 'Chương I, Điều 1, Khoản 2']);
  });
});

describe('parseLegalStructure: passages', () => {
  it('makes one passage per Markdown section, skipping the title heading', () => {
    const md = [
      '# Hướng dẫn đăng ký thường trú',
      'Tài liệu dành cho người dân.',
      '## Hồ sơ cần chuẩn bị',
      'Tờ khai thay đổi thông tin cư trú.',
      '### Giấy tờ chứng minh chỗ ở',
      'Giấy chứng nhận quyền sử dụng đất hoặc hợp đồng thuê nhà.',
      '## Thời hạn giải quyết',
      'Trong 07 ngày làm việc.',
    ].join('\n');
    const r = parseLegalStructure(md, 'hd', { headings: 'markdown' });
    expect(r.articleCount).toBe(0);
    expect(r.units.map((u) => [u.id, u.kind, u.section, u.text])).toEqual([
      ['hd::s1', 'passage', 'Đoạn 1', 'Tài liệu dành cho người dân.'],
      ['hd::s2', 'passage', 'Hồ sơ cần chuẩn bị', 'Tờ khai thay đổi thông tin cư trú.'],
      ['hd::s3', 'passage', 'Hồ sơ cần chuẩn bị, Giấy tờ chứng minh chỗ ở', 'Giấy chứng nhận quyền sử dụng đất hoặc hợp đồng thuê nhà.'],
      ['hd::s4', 'passage', 'Thời hạn giải quyết', 'Trong 07 ngày làm việc.'],
    ]);
    expect(r.units[2].heading).toBe('Giấy tờ chứng minh chỗ ở');
  });

  it('cuts long text into bounded paragraph groups', () => {
    const para = (i: number) => `Đoạn văn số ${i} nói về thủ tục hành chính và quyền lợi của người dân khi làm giấy tờ.`;
    const text = Array.from({ length: 40 }, (_, i) => para(i)).join('\n\n');
    const r = parseLegalStructure(text, 'tb', { maxPassageChars: 400 });
    expect(r.units.length).toBeGreaterThan(5);
    for (const u of r.units) expect(u.text.length).toBeLessThanOrEqual(400);
    expect(r.units.map((u) => u.text).join('\n')).toBe(Array.from({ length: 40 }, (_, i) => para(i)).join('\n'));
    expect(r.units.map((u) => u.section).slice(0, 2)).toEqual(['Đoạn 1', 'Đoạn 2']);
  });

  it('treats Roman-numbered lines in plain text as section headings', () => {
    const text = ['I. MỤC ĐÍCH, YÊU CẦU', 'Nâng cao hiệu quả truyền thông chính sách.', 'II. NHIỆM VỤ', 'Các bộ, ngành chủ động cung cấp thông tin.'].join('\n');
    const r = parseLegalStructure(text, 'kh');
    expect(r.units.map((u) => [u.section, u.text])).toEqual([
      ['I. MỤC ĐÍCH, YÊU CẦU', 'Nâng cao hiệu quả truyền thông chính sách.'],
      ['II. NHIỆM VỤ', 'Các bộ, ngành chủ động cung cấp thông tin.'],
    ]);
  });

  it('splits a single paragraph without breaks at sentence ends, then at spaces', () => {
    const sentence = 'Người dân được hướng dẫn tận tình. ';
    const chunks = boundedChunks(sentence.repeat(30).trim(), 100);
    expect(chunks.every((c) => c.length <= 100)).toBe(true);
    expect(chunks.join(' ')).toBe(sentence.repeat(30).trim());
    const word = boundedChunks('chữ '.repeat(100).trim(), 50);
    expect(word.every((c) => c.length <= 50)).toBe(true);
    expect(word.join(' ')).toBe('chữ '.repeat(100).trim());
  });
});

describe('normalizeText', () => {
  it('composes decomposed accents, strips control characters and tidies whitespace but keeps lines', () => {
    const decomposed = 'Đăng ky\u0301 thươ\u0300ng tru\u0301'.normalize('NFD');
    const out = normalizeText(`  ${decomposed}\u0007\u00a0 \u200b\r\n\r\n\r\n\tDòng  hai  \u000c\n`);
    expect(out).toBe('Đăng ký thường trú\n\nDòng hai');
    expect(out.normalize('NFC')).toBe(out);
  });
});
