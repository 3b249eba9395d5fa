import { describe, expect, it } from 'vitest';
import { parseMarkdown } from '../../knowledge/parse/markdown.ts';
import { parseHtml } from '../../knowledge/parse/html.ts';
import { parseDocx } from '../../knowledge/parse/docx.ts';
import { parsePdf } from '../../knowledge/parse/pdf.ts';
import { parseText } from '../../knowledge/parse/text.ts';
import { decodeText } from '../../knowledge/parse/normalize.ts';
import { parseFileMeta, parseSidecar } from '../../knowledge/metadata.ts';
import { documentIdFromPath } from '../../knowledge/document-id.ts';
import { formatOf } from '../../knowledge/formats.ts';
import { UnreadableDocumentError } from '../../knowledge/parse/extracted.ts';
import { makePdf } from './helpers/make-pdf.ts';
import { makeDocx } from './helpers/make-docx.ts';

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('Markdown', () => {
  it('separates front matter and keeps headings as # lines without inline markup', () => {
    const r = parseMarkdown(
      utf8('---\ntitle: Hướng dẫn\nstatus: in_force\n---\n# Tiêu đề *chính*\n\nSetext\n------\n\n**Điều 1.** Xem [Luật Cư trú](https://example.org) và `mã`.\n\n| Cột | Giá |\n|---|---|\n| Lệ phí | 20.000 đồng |\n'),
    );
    expect(r.embeddedMeta).toEqual({ title: 'Hướng dẫn', status: 'in_force' });
    expect(r.title).toBe('Tiêu đề chính');
    expect(r.headings).toBe('markdown');
    expect(r.text).toBe('# Tiêu đề chính\n\n## Setext\n\nĐiều 1. Xem Luật Cư trú và mã.\n\nCột | Giá\nLệ phí | 20.000 đồng');
  });

  it('rejects front matter that is not YAML', () => {
    expect(() => parseMarkdown(utf8('---\ntitle: [unclosed\n---\nText'))).toThrow(/invalid front matter/);
  });
});

describe('HTML', () => {
  it('keeps headings, puts table cells on their own lines and drops scripts and navigation', () => {
    const r = parseHtml(
      utf8(`<html><head><title>Luật Cư trú &amp; hướng dẫn</title><style>p{}</style></head><body><nav>Trang chủ</nav>
      <table><tr><td>QUỐC HỘI</td><td>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</td></tr></table>
      <h2>Chương I</h2><p><b>Điều 1.</b> Phạm vi <a href="https://x.vn">điều chỉnh</a></p><script>alert(1)</script></body></html>`),
    );
    expect(r.title).toBe('Luật Cư trú & hướng dẫn');
    expect(r.text).toBe('QUỐC HỘI\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\n## Chương I\n\nĐiều 1. Phạm vi điều chỉnh');
  });
});

describe('DOCX', () => {
  it('reads paragraphs, header tables and Word headings', async () => {
    const bytes = await makeDocx([
      { table: [['BỘ CÔNG AN', 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc']] },
      'THÔNG TƯ',
      { heading: 1, text: 'Chương I' },
      'Điều 1. Phạm vi điều chỉnh',
      '1. Thông tư này quy định chi tiết.',
    ]);
    const r = await parseDocx(bytes);
    expect(r.headings).toBe('markdown');
    // "Chương I" is structure, not a title.
    expect(r.title).toBeUndefined();
    expect(r.text.split('\n').filter(Boolean)).toEqual([
      'BỘ CÔNG AN',
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      'THÔNG TƯ',
      '# Chương I',
      'Điều 1. Phạm vi điều chỉnh',
      '1. Thông tư này quy định chi tiết.',
    ]);
  });

  it('reports encrypted, legacy and broken Word files', async () => {
    const ole = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...Buffer.alloc(64)]);
    const encrypted = Buffer.concat([ole, Buffer.from('EncryptedPackage', 'utf16le')]);
    await expect(parseDocx(encrypted)).rejects.toThrow(/encrypted DOCX/);
    await expect(parseDocx(ole)).rejects.toThrow(/old Word \.doc/);
    await expect(parseDocx(Buffer.from('PK\u0003\u0004 not really a zip'))).rejects.toThrow(/not a valid DOCX/);
    await expect(parseDocx(Buffer.from('plain words'))).rejects.toBeInstanceOf(UnreadableDocumentError);
  });
});

describe('PDF', () => {
  it('extracts Vietnamese text line by line across pages, without page numbers', async () => {
    const pdf = makePdf({
      title: 'Nghi dinh 62',
      pages: [
        ['CHÍNH PHỦ', 'NGHỊ ĐỊNH', 'Điều 1. Phạm vi điều chỉnh', '1. Khoản một (thử).', '1'],
        ['2', '2. Khoản hai.'],
      ],
    });
    const r = await parsePdf(pdf);
    expect(r.title).toBe('Nghi dinh 62');
    expect(r.headings).toBe('none');
    expect(r.text.split('\n').filter(Boolean)).toEqual(['CHÍNH PHỦ', 'NGHỊ ĐỊNH', 'Điều 1. Phạm vi điều chỉnh', '1. Khoản một (thử).', '2. Khoản hai.']);
  });

  it('reports password-protected, corrupted and non-PDF files', async () => {
    await expect(parsePdf(makePdf({ pages: [['Bí mật']], encrypted: true }))).rejects.toThrow('encrypted PDF (password protected)');
    const good = makePdf({ pages: [['Nội dung']] });
    await expect(parsePdf(Buffer.concat([good.subarray(0, 200), Buffer.from('\u0000garbage')]))).rejects.toThrow(/broken PDF/);
    await expect(parsePdf(utf8('hello'))).rejects.toThrow('not a PDF file');
  });
});

describe('plain text', () => {
  it('decodes UTF-16 and legacy Windows-1258 and refuses binary data', () => {
    expect(decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Điều 1', 'utf16le')]))).toBe('Điều 1');
    // "Vi" + ệ written the Windows-1258 way: ê (0xEA) + combining dot below (0xF2).
    expect(parseText(Buffer.from([0x56, 0x69, 0xea, 0xf2, 0x74])).text).toBe('Việt');
    expect(() => parseText(Buffer.from([0x41, 0x00, 0x42]))).toThrow(/binary/);
  });
});

describe('metadata files', () => {
  it('validates snake_case keys and maps them to DocumentMeta', () => {
    const r = parseSidecar(
      'luat.pdf.meta.yaml',
      utf8('id: luat-cu-tru\ntitle: Luật Cư trú\nnumber: 68/2020/QH14\ndoc_type: Luật\nissued_date: 2020-11-13\neffective_date: 01/07/2021\nstatus: in_force\nurl: https://vbpl.vn/x\nsummary: false\nlegal_basis: Hiến pháp 2013\naliases: [luật cư trú, LCT]\n'),
    );
    expect(r).toEqual({
      id: 'luat-cu-tru',
      title: 'Luật Cư trú',
      meta: {
        number: '68/2020/QH14',
        docType: 'Luật',
        issuedDate: '2020-11-13',
        effectiveDate: '2021-07-01',
        status: 'in_force',
        url: 'https://vbpl.vn/x',
        isSummary: false,
        legalBasis: ['Hiến pháp 2013'],
        aliases: ['luật cư trú', 'LCT'],
      },
    });
    expect(parseSidecar('x.meta.json', utf8('{"status":"superseded","superseded_by":"68/2020/QH14"}')).meta).toEqual({
      status: 'superseded',
      supersededBy: '68/2020/QH14',
    });
  });

  it('names every bad key', () => {
    expect(() => parseFileMeta({ status: 'valid', isssuer: 'x', issued_date: '2020-13-45', id: 'a::b' }, 'f.meta.yaml')).toThrow(
      /invalid metadata in f\.meta\.yaml: .*status.*isssuer|invalid metadata in f\.meta\.yaml: .*isssuer.*status/,
    );
    expect(() => parseFileMeta({ issued_date: '2020-13-45' }, 'f')).toThrow(/issued_date: not a date/);
    expect(() => parseFileMeta({ id: 'a::b' }, 'f')).toThrow(/id: must not contain/);
    expect(() => parseSidecar('f.meta.json', utf8('{bad'))).toThrow(/invalid metadata in f\.meta\.json/);
  });
});

describe('ids and formats', () => {
  it('derives ASCII ids from relative paths', () => {
    expect(documentIdFromPath('Luật/Luật Cư Trú (2020).pdf')).toBe('luat/luat-cu-tru-2020');
    expect(documentIdFromPath('đề án.md')).toBe('de-an');
    expect(documentIdFromPath('--- .md')).toBe('document');
  });

  it('maps extensions to formats and explains the unsupported ones', () => {
    expect(formatOf('a/B.PDF')).toEqual({ format: 'pdf' });
    expect(formatOf('x.htm')).toEqual({ format: 'html' });
    expect(formatOf('x.doc')).toEqual({ unsupported: 'old Word .doc format: save it as .docx' });
    expect(formatOf('x.xlsx')).toEqual({ unsupported: 'unsupported file type (.xlsx)' });
  });
});
