import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqlite, type SqliteDatabase } from '../../storage/sqlite/database.ts';
import { SqliteKnowledgeStore } from '../../storage/sqlite/knowledge-store.ts';
import { ingestBuffer, ingestPaths, type IngestProgress } from '../../knowledge/ingest.ts';
import { makePdf } from './helpers/make-pdf.ts';
import { makeDocx } from './helpers/make-docx.ts';

const LAW = readFileSync(new URL('./fixtures/luat-cu-tru-trich.txt', import.meta.url), 'utf8');
const MB = 1024 * 1024;

let dir: string;
let docs: string;
let db: SqliteDatabase;
let store: SqliteKnowledgeStore;

function write(rel: string, content: string | Buffer): string {
  const full = join(docs, rel);
  mkdirSync(join(full, '..'), { recursive: true });
  writeFileSync(full, content);
  return full;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'loa-ingest-'));
  docs = join(dir, 'docs');
  mkdirSync(docs);
  db = openSqlite(join(dir, 'data', 'loa.sqlite'));
  store = new SqliteKnowledgeStore(db);
});

afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const SUMMARY_MD = `---
title: Hướng dẫn đăng ký thường trú
summary: true
legal_basis:
  - Điều 20 Luật Cư trú 68/2020/QH14
aliases: [hộ khẩu]
status: in_force
---
# Đăng ký thường trú: những điều cần biết

> Tóm tắt Luật Cư trú số 68/2020/QH14; Luật này có hiệu lực thi hành từ ngày 01 tháng 7 năm 2021.

## Ai được đăng ký thường trú?
Công dân có chỗ ở hợp pháp thuộc quyền sở hữu của mình.

## Hồ sơ gồm những gì?
Tờ khai thay đổi thông tin cư trú và giấy tờ chứng minh chỗ ở hợp pháp.
`;

const DECREE_LINES = [
  'CHÍNH PHỦ',
  'Số: 62/2021/NĐ-CP',
  'Hà Nội, ngày 29 tháng 6 năm 2021',
  'NGHỊ ĐỊNH',
  'Quy định chi tiết một số điều của Luật Cư trú',
  'Căn cứ Luật Cư trú;',
  'Điều 1. Phạm vi điều chỉnh',
  'Nghị định này quy định chi tiết một số điều của Luật Cư trú.',
  'Điều 2. Giấy tờ chứng minh chỗ ở hợp pháp',
  '1. Giấy chứng nhận quyền sử dụng đất.',
  '2. Hợp đồng thuê, mượn, ở nhờ.',
];

describe('ingestPaths over a folder of every format', () => {
  it('loads each format, applies metadata, reports what it skipped and why', async () => {
    write('luat/luat-cu-tru.txt', LAW);
    write('huong-dan/thuong-tru.md', SUMMARY_MD);
    write('nghi-dinh-62.pdf', makePdf({ pages: [DECREE_LINES.slice(0, 8), DECREE_LINES.slice(8)] }));
    write('nghi-dinh-62.pdf.meta.yaml', 'status: amended\nurl: https://vbpl.vn/62-2021\naliases: NĐ 62\n');
    write(
      'thong-tu.docx',
      await makeDocx([
        { table: [['BỘ CÔNG AN', 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM'], ['Số: 55/2021/TT-BCA', 'Hà Nội, ngày 15 tháng 5 năm 2021']] },
        'THÔNG TƯ',
        'Quy định chi tiết một số điều của Luật Cư trú',
        'Điều 1. Phạm vi điều chỉnh',
        '1. Thông tư này quy định chi tiết.',
        'Điều 2. Hiệu lực thi hành',
        'Thông tư này có hiệu lực thi hành từ ngày 01 tháng 7 năm 2021.',
      ]),
    );
    write('web/thong-bao.html', '<html><head><title>Thông báo lịch tiếp dân</title></head><body><h2>Thời gian</h2><p>Sáng thứ Năm hằng tuần.</p><h2>Địa điểm</h2><p>Trụ sở Công an phường.</p></body></html>');
    write(
      'corpus.jsonl',
      [
        JSON.stringify({ id: 'Luật A::1', law_id: 'Luật A', title: 'Điều 1. Phạm vi', text: '1. Một.\n2. Hai.' }),
        '{not json',
        JSON.stringify({ id: 'Luật A::2', law_id: 'Luật A', title: 'Điều 2. Đối tượng', text: 'Áp dụng với mọi người.' }),
        JSON.stringify({ id: 'x', text: 42 }),
      ].join('\n'),
    );
    write('empty.txt', '');
    write('blank.txt', ' \n\t\n');
    write('quet.pdf', makePdf({ pages: [[]] }));
    write('scan.pdf', 'not a pdf at all');
    write('bang.xlsx', 'PK');
    write('.DS_Store', 'junk');
    write('.git/config', 'junk');
    write('README.md', '# Văn bản của Sở\n\nThư mục này chứa các văn bản đã tải lên.');

    const progress: IngestProgress[] = [];
    const summary = await ingestPaths([docs, join(dir, 'missing')], store, { maxFileBytes: 5 * MB, onProgress: (p) => progress.push(p) });

    expect(summary.documents).toEqual({ added: 6, replaced: 0, unchanged: 0 });
    expect(summary.skipped).toEqual(
      expect.arrayContaining([
        { source: join(dir, 'missing'), reason: 'not found' },
        { source: 'empty.txt', reason: 'empty file' },
        { source: 'blank.txt', reason: 'no text in the file' },
        { source: 'quet.pdf', reason: 'no text layer (a scanned PDF needs OCR first)' },
        { source: 'scan.pdf', reason: 'not a PDF file' },
        { source: 'bang.xlsx', reason: 'unsupported file type (.xlsx)' },
        { source: 'corpus.jsonl:2', reason: expect.stringMatching(/^invalid JSON/) },
        { source: 'corpus.jsonl:4', reason: expect.stringMatching(/text/) },
      ]),
    );
    expect(summary.skipped).toHaveLength(8);
    // Sidecars, hidden files and the folder's README are not documents: no progress, no skip entry.
    expect(progress.map((p) => p.source).sort()).toEqual(
      ['bang.xlsx', 'blank.txt', 'corpus.jsonl', 'empty.txt', 'huong-dan/thuong-tru.md', 'quet.pdf', 'luat/luat-cu-tru.txt', 'nghi-dinh-62.pdf', 'scan.pdf', 'thong-tu.docx', 'web/thong-bao.html'].sort(),
    );
    expect(progress.at(-1)).toMatchObject({ done: 11, total: 11 });

    const law = await store.getDocument('luat/luat-cu-tru');
    expect(law).toMatchObject({
      title: 'LUẬT CƯ TRÚ',
      source: join(docs, 'luat/luat-cu-tru.txt'),
      meta: { number: '68/2020/QH14', docType: 'Luật', issuer: 'Quốc hội', issuedDate: '2020-11-13', effectiveDate: '2021-07-01', status: 'unknown' },
    });
    expect(law!.units.find((u) => u.id === 'luat/luat-cu-tru::20.2')?.section).toBe('Chương III, Mục 1, Điều 20, Khoản 2');

    const guide = await store.getDocument('huong-dan/thuong-tru');
    expect(guide).toMatchObject({
      title: 'Hướng dẫn đăng ký thường trú',
      meta: { isSummary: true, docType: 'Tóm tắt', status: 'in_force', legalBasis: ['Điều 20 Luật Cư trú 68/2020/QH14'], aliases: ['hộ khẩu'] },
    });
    // A summary's text cites the law's number and dates; they are not the summary's own.
    expect(guide!.meta.number).toBeUndefined();
    expect(guide!.meta.effectiveDate).toBeUndefined();
    expect(guide!.units.map((u) => [u.id, u.kind, u.section])).toEqual([
      ['huong-dan/thuong-tru::s1', 'passage', 'Đoạn 1'],
      ['huong-dan/thuong-tru::s2', 'passage', 'Ai được đăng ký thường trú?'],
      ['huong-dan/thuong-tru::s3', 'passage', 'Hồ sơ gồm những gì?'],
    ]);

    const decree = await store.getDocument('nghi-dinh-62');
    expect(decree).toMatchObject({
      title: 'NGHỊ ĐỊNH Quy định chi tiết một số điều của Luật Cư trú',
      meta: { number: '62/2021/NĐ-CP', docType: 'Nghị định', issuer: 'Chính phủ', status: 'amended', url: 'https://vbpl.vn/62-2021', aliases: ['NĐ 62'] },
    });
    expect(decree!.units.map((u) => u.id)).toEqual(['nghi-dinh-62::1', 'nghi-dinh-62::2', 'nghi-dinh-62::2.1', 'nghi-dinh-62::2.2']);

    expect(await store.getDocument('thong-tu')).toMatchObject({
      title: 'THÔNG TƯ Quy định chi tiết một số điều của Luật Cư trú',
      meta: { number: '55/2021/TT-BCA', issuer: 'Bộ Công an', issuedDate: '2021-05-15', effectiveDate: '2021-07-01' },
    });
    const notice = await store.getDocument('web/thong-bao');
    expect(notice?.title).toBe('Thông báo lịch tiếp dân');
    expect(notice?.units.map((u) => [u.section, u.text])).toEqual([
      ['Thời gian', 'Sáng thứ Năm hằng tuần.'],
      ['Địa điểm', 'Trụ sở Công an phường.'],
    ]);

    const corpus = await store.getDocument('Luật A');
    expect(corpus?.units.map((u) => u.id)).toEqual(['Luật A::1', 'Luật A::1.1', 'Luật A::1.2', 'Luật A::2']);
    expect(corpus?.meta.docType).toBe('Luật');

    expect(summary.articles).toBe(6 + 2 + 2 + 2);
    const all = await store.allDocuments();
    expect(summary.units).toBe(all.reduce((n, d) => n + d.units.length, 0));
  });
});

describe('re-ingesting', () => {
  it('is a no-op for unchanged files and replaces changed ones, bumping the revision only on change', async () => {
    const file = write('nghi-dinh.txt', DECREE_LINES.join('\n'));
    const first = await ingestPaths([docs], store, { maxFileBytes: MB });
    expect(first.documents).toEqual({ added: 1, replaced: 0, unchanged: 0 });
    const rev1 = await store.revision();
    const ingested1 = (await store.getDocument('nghi-dinh'))!.ingestedAt;

    const again = await ingestPaths([docs], store, { maxFileBytes: MB });
    expect(again).toEqual({ documents: { added: 0, replaced: 0, unchanged: 1 }, articles: 2, units: 4, skipped: [], warnings: [] });
    expect(await store.revision()).toBe(rev1);
    expect((await store.getDocument('nghi-dinh'))!.ingestedAt).toBe(ingested1);

    writeFileSync(file, [...DECREE_LINES, 'Điều 3. Hiệu lực thi hành', 'Nghị định này có hiệu lực thi hành từ ngày 01 tháng 7 năm 2021.'].join('\n'));
    const changed = await ingestPaths([docs], store, { maxFileBytes: MB });
    expect(changed.documents).toEqual({ added: 0, replaced: 1, unchanged: 0 });
    expect(await store.revision()).toBe(rev1 + 1);
    const doc = (await store.getDocument('nghi-dinh'))!;
    expect(doc.units.map((u) => u.id)).toContain('nghi-dinh::3');
    expect(doc.meta.effectiveDate).toBe('2021-07-01');
    expect((await store.listDocuments()).length).toBe(1);
  });

  it('keeps the old version when the new version of a file is broken', async () => {
    const file = write('nd.pdf', makePdf({ pages: [DECREE_LINES] }));
    await ingestPaths([docs], store, { maxFileBytes: MB });
    const before = await store.getDocument('nd');
    const rev = await store.revision();
    expect(before?.units.length).toBe(4);

    writeFileSync(file, makePdf({ pages: [['Bí mật']], encrypted: true }));
    const s = await ingestPaths([docs], store, { maxFileBytes: MB });
    expect(s.documents).toEqual({ added: 0, replaced: 0, unchanged: 0 });
    expect(s.skipped).toEqual([{ source: 'nd.pdf', reason: 'encrypted PDF (password protected)' }]);
    expect(await store.getDocument('nd')).toEqual(before);
    expect(await store.revision()).toBe(rev);

    writeFileSync(file, '');
    expect((await ingestPaths([docs], store, { maxFileBytes: MB })).skipped).toEqual([{ source: 'nd.pdf', reason: 'empty file' }]);
    expect(await store.getDocument('nd')).toEqual(before);
  });

  it('re-parses when only the sidecar changes, and a bad sidecar skips the document', async () => {
    write('luat.txt', LAW);
    const sidecar = write('luat.txt.meta.json', JSON.stringify({ status: 'in_force' }));
    await ingestPaths([docs], store, { maxFileBytes: MB });
    expect((await store.getDocument('luat'))?.meta.status).toBe('in_force');

    writeFileSync(sidecar, JSON.stringify({ status: 'superseded', superseded_by: 'Luật Cư trú 2025', title: 'Luật Cư trú 2020' }));
    const s = await ingestPaths([docs], store, { maxFileBytes: MB });
    expect(s.documents.replaced).toBe(1);
    // Explicit metadata wins over what the text says about itself.
    expect(await store.getDocument('luat')).toMatchObject({ title: 'Luật Cư trú 2020', meta: { status: 'superseded', supersededBy: 'Luật Cư trú 2025', number: '68/2020/QH14' } });

    writeFileSync(sidecar, JSON.stringify({ status: 'repealed' }));
    const bad = await ingestPaths([docs], store, { maxFileBytes: MB });
    expect(bad.skipped).toEqual([{ source: 'luat.txt', reason: expect.stringMatching(/^invalid metadata in .*luat\.txt\.meta\.json: status/) }]);
    expect((await store.getDocument('luat'))?.meta.status).toBe('superseded');
  });

  it('keeps a document id stable when the file is later ingested from a parent folder', async () => {
    const file = write('sub/quy-che.txt', 'QUY CHẾ\nĐiều 1. Phạm vi\nQuy chế này áp dụng cho cán bộ.');
    await ingestPaths([file], store, { maxFileBytes: MB });
    expect((await store.listDocuments()).map((d) => d.id)).toEqual(['quy-che']);
    writeFileSync(file, 'QUY CHẾ\nĐiều 1. Phạm vi\nQuy chế này áp dụng cho mọi cán bộ.');
    const s = await ingestPaths([docs], store, { maxFileBytes: MB });
    expect(s.documents.replaced).toBe(1);
    expect((await store.listDocuments()).map((d) => d.id)).toEqual(['quy-che']);
  });
});

describe('limits and normalisation', () => {
  it('skips files over the size limit without touching the store', async () => {
    write('big.txt', `Điều 1. To\n${'chữ '.repeat(1000)}`);
    write('small.txt', 'Điều 1. Nhỏ\nNội dung ngắn.');
    const s = await ingestPaths([docs], store, { maxFileBytes: 1000 });
    expect(s.documents.added).toBe(1);
    expect(s.skipped).toEqual([{ source: 'big.txt', reason: expect.stringMatching(/^file too large \(0\.0 MB; the limit LOA_MAX_FILE_MB is 0\.0 MB\)$/) }]);
    expect(await store.getDocument('big')).toBeUndefined();
  });

  it('stores decomposed Vietnamese as NFC', async () => {
    const nfd = ['Điều 1. Đăng ký thường trú', '1. Công dân được đăng ký thường trú tại chỗ ở hợp pháp.'].join('\n').normalize('NFD');
    write('nfd.md', `---\ntitle: ${'Hướng dẫn cư trú'.normalize('NFD')}\n---\n${nfd}`);
    await ingestPaths([docs], store, { maxFileBytes: MB });
    const doc = (await store.getDocument('nfd'))!;
    expect(doc.title).toBe('Hướng dẫn cư trú'.normalize('NFC'));
    expect(doc.units.map((u) => u.text)).toEqual([
      '1. Công dân được đăng ký thường trú tại chỗ ở hợp pháp.',
      'Công dân được đăng ký thường trú tại chỗ ở hợp pháp.',
    ]);
    for (const u of doc.units) expect(u.text).toBe(u.text.normalize('NFC'));
    expect(doc.units[0].heading).toBe('Đăng ký thường trú'.normalize('NFC'));
  });

  it('refuses two files that claim the same id in one run', async () => {
    write('a.md', '---\nid: chung\n---\nMột đoạn.');
    write('b.md', '---\nid: chung\n---\nĐoạn khác.');
    const s = await ingestPaths([docs], store, { maxFileBytes: MB });
    expect(s.documents.added).toBe(1);
    expect(s.skipped).toEqual([{ source: 'b.md', reason: expect.stringContaining('document id "chung" is already used by') }]);
    expect((await store.getDocument('chung'))?.units[0].text).toBe('Một đoạn.');

    // The same law id in two corpora: the first file wins, the other law is reported by name.
    const line = (id: string, law: string) => JSON.stringify({ id, law_id: law, title: 'Điều 1. A', text: 'Nội dung.' });
    write('c1.jsonl', line('Luật X::1', 'Luật X'));
    write('c2.jsonl', [line('Luật X::1', 'Luật X'), line('Luật Y::1', 'Luật Y')].join('\n'));
    const c = await ingestPaths([join(docs, 'c1.jsonl'), join(docs, 'c2.jsonl')], store, { maxFileBytes: MB });
    expect(c.documents.added).toBe(2);
    expect(c.skipped).toEqual([{ source: 'c2.jsonl#Luật X', reason: expect.stringContaining('document id "Luật X" is already used by') }]);
  });
});

describe('ingestBuffer', () => {
  it('ingests an upload with metadata and reports a bad one', async () => {
    const bytes = await makeDocx(['QUYẾT ĐỊNH', 'Điều 1. Ban hành quy chế.', 'Điều 2. Hiệu lực kể từ ngày ký.']);
    const s = await ingestBuffer('Quyết định 123.docx', bytes, store, { maxFileBytes: MB, metadata: { number: '123/QĐ-UBND', status: 'in_force' } });
    expect(s.documents.added).toBe(1);
    expect(await store.getDocument('quyet-dinh-123')).toMatchObject({
      source: 'upload:Quyết định 123.docx',
      meta: { number: '123/QĐ-UBND', docType: 'Quyết định', status: 'in_force' },
    });
    expect((await ingestBuffer('Quyết định 123.docx', bytes, store, { maxFileBytes: MB, metadata: { number: '123/QĐ-UBND', status: 'in_force' } })).documents.unchanged).toBe(1);

    const bad = await ingestBuffer('scan.pdf', Buffer.from('%PDF-1.4 broken'), store, { maxFileBytes: MB });
    expect(bad.skipped).toEqual([{ source: 'scan.pdf', reason: expect.stringMatching(/^broken PDF/) }]);
    const wrongMeta = await ingestBuffer('a.txt', Buffer.from('Nội dung'), store, { maxFileBytes: MB, metadata: { summary: 'yes' } });
    expect(wrongMeta.skipped[0].reason).toMatch(/^invalid metadata in the metadata sent with the upload: summary/);
  });
});
