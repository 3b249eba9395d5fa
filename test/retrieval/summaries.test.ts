/**
 * Retrieval over plain-language summaries as `npm start` serves them: markdown files with
 * front matter, ingested through the real ingest path into SQLite, one passage per `##`
 * section ending in a `Căn cứ:` line.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestPaths } from '../../knowledge/ingest.ts';
import type { KnowledgeDocument } from '../../knowledge/types.ts';
import { buildRetriever, type Retriever } from '../../retrieval/index.ts';
import { openSqlite } from '../../storage/sqlite/database.ts';
import { SqliteKnowledgeStore } from '../../storage/sqlite/knowledge-store.ts';

const KET_HON = `---
id: tom-tat-ket-hon
title: "Tóm tắt: Điều kiện kết hôn và đăng ký kết hôn"
doc_type: Tóm tắt
summary: true
status: in_force
legal_basis:
  - "Luật Hôn nhân và gia đình số 52/2014/QH13, Điều 8"
aliases: [lấy vợ, lấy chồng, giấy hôn thú]
---

> Đây là bản tóm tắt để tham khảo. Căn cứ pháp lý: Luật Hôn nhân và gia đình, Luật Hộ tịch, Nghị định 123/2015/NĐ-CP.

## Điều kiện để được kết hôn

Nam từ đủ 20 tuổi trở lên, nữ từ đủ 18 tuổi trở lên; việc kết hôn do hai người tự nguyện quyết định; không bị mất năng lực hành vi dân sự.

Căn cứ: Điều 8 Luật Hôn nhân và gia đình 2014.

## Đăng ký kết hôn ở đâu

Hai người nộp hồ sơ tại Ủy ban nhân dân cấp xã nơi cư trú của một trong hai bên, trực tiếp hoặc trực tuyến.

Căn cứ: Điều 17 Luật Hộ tịch 2014.

## Lệ phí đăng ký kết hôn

Đăng ký kết hôn của công dân Việt Nam cư trú ở trong nước được miễn lệ phí.

Căn cứ: Điều 11 Luật Hộ tịch 2014.
`;

const TAM_TRU = `---
id: tom-tat-tam-tru
title: "Tóm tắt: Đăng ký tạm trú"
doc_type: Tóm tắt
summary: true
status: in_force
aliases: [KT3, thuê trọ]
---

## Hồ sơ cần chuẩn bị

Hồ sơ gồm tờ khai thay đổi thông tin cư trú và giấy tờ chứng minh chỗ ở hợp pháp, ví dụ hợp đồng cho thuê phòng.

Căn cứ: Điều 28 Luật Cư trú 2020.

## Không đăng ký tạm trú thì bị xử lý thế nào

Người không đăng ký tạm trú có thể bị phạt cảnh cáo hoặc phạt tiền từ 500.000 đến 1.000.000 đồng.

Căn cứ: Điều 9 Nghị định 144/2021/NĐ-CP.
`;

const motCua = (hours: boolean) => `---
id: tom-tat-mot-cua
title: "Tóm tắt: Bộ phận một cửa cấp xã"
doc_type: Tóm tắt
summary: true
status: in_force
---

## Bộ phận một cửa làm gì

Bộ phận một cửa của xã, phường tiếp nhận hồ sơ thủ tục hành chính và trả kết quả cho người dân.${hours ? ' Bộ phận làm việc từ 7 giờ 30 đến 17 giờ các ngày thứ hai đến thứ sáu.' : ''}

Căn cứ: Nghị định 118/2025/NĐ-CP.
`;

let dir: string;

/** Ingests markdown files through the real ingest path, as `npm start` seeds the sample base. */
async function ingested(files: Record<string, string>): Promise<KnowledgeDocument[]> {
  const folder = await mkdtemp(join(dir, 'kb-'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(folder, name), text);
  const db = openSqlite(join(`${folder}-db`, 'loa.db'));
  try {
    const store = new SqliteKnowledgeStore(db);
    const summary = await ingestPaths([folder], store, { maxFileBytes: 1024 * 1024 });
    expect(summary.skipped).toEqual([]);
    return await store.allDocuments();
  } finally {
    db.close();
  }
}

let retriever: Retriever;
let documents: KnowledgeDocument[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'loa-summaries-'));
  documents = await ingested({ 'tom-tat-ket-hon.md': KET_HON, 'tom-tat-tam-tru.md': TAM_TRU, 'tom-tat-mot-cua.md': motCua(false) });
  retriever = await buildRetriever(documents, { abstainThreshold: 0.5, agencyName: 'UBND xã Thử Nghiệm' });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sectionOf = (id: string) => documents.flatMap((d) => d.units).find((u) => u.id === id)?.heading;

describe('sections of plain-language summaries', () => {
  it('chooses the section whose heading asks the same kind of question, not one that repeats the topic', () => {
    expect(sectionOf(retriever.search('Đăng ký kết hôn ở đâu?', 1)[0].id)).toBe('Đăng ký kết hôn ở đâu');
    expect(sectionOf(retriever.search('dang ky ket hon o dau', 1)[0].id)).toBe('Đăng ký kết hôn ở đâu');
    expect(sectionOf(retriever.search('đăng ký kết hôn có mất lệ phí không', 1)[0].id)).toBe('Lệ phí đăng ký kết hôn');
    expect(sectionOf(retriever.search('nữ bao nhiêu tuổi thì được kết hôn', 1)[0].id)).toBe('Điều kiện để được kết hôn');
  });

  it('finds a summary by the names citizens use for its topic (aliases)', () => {
    const [top] = retriever.search('làm KT3 cần giấy tờ gì', 1);
    expect(top.id.startsWith('tom-tat-tam-tru::')).toBe(true);
    expect(sectionOf(top.id)).toBe('Hồ sơ cần chuẩn bị');
  });

  it('names the passage’s own legal basis in the answer but does not match questions on it', async () => {
    // "Nghị định 144/2021" is only in a basis line (and "118/2025" in another): nothing to find.
    expect(retriever.search('nghị định 144/2021', 5).filter((h) => h.id.startsWith('tom-tat-tam-tru::'))).toEqual([]);
    const r = await retriever.ask('Không đăng ký tạm trú thì bị phạt bao nhiêu tiền?');
    expect(r.abstained).toBe(false);
    expect(sectionOf(r.citations[0].id)).toBe('Không đăng ký tạm trú thì bị xử lý thế nào');
    // The passage's basis is the "Căn cứ" line, more precise than the summary's list, and not repeated inside the quote.
    expect(r.answer).toContain('bản tóm tắt “Đăng ký tạm trú” (tài liệu tóm tắt, không phải văn bản quy phạm chính thức; căn cứ: Điều 9 Nghị định 144/2021/NĐ-CP)');
    expect(r.citations[0].quote).not.toContain('Căn cứ:');
  });
});

describe('a passage without the kind of answer asked for', () => {
  it('lowers confidence when the question asks for hours and the passage has none', async () => {
    const withHours = await buildRetriever(
      await ingested({ 'tom-tat-ket-hon.md': KET_HON, 'tom-tat-tam-tru.md': TAM_TRU, 'tom-tat-mot-cua.md': motCua(true) }),
      { abstainThreshold: 0.5 },
    );
    const q = 'Bộ phận một cửa của phường làm việc mấy giờ?';
    const missing = await retriever.askDetailed(q);
    const present = await withHours.askDetailed(q);
    expect(missing.hits[0].id).toBe('tom-tat-mot-cua::s1');
    expect(present.hits[0].id).toBe('tom-tat-mot-cua::s1');
    expect(missing.features?.kindMissing).toBe(1);
    expect(present.features?.kindMissing).toBe(0);
    expect(missing.result.confidence).toBeLessThan(present.result.confidence);
    expect(missing.result).toMatchObject({ abstained: true, reason: 'low_confidence', citations: [] });
    expect(present.result.abstained).toBe(false);
    expect(present.result.citations[0].quote).toContain('7 giờ 30');
  });

  it('hands the nearest passages to the spokesperson when it abstains for weak evidence', async () => {
    const r = await retriever.ask('Bộ phận một cửa của phường làm việc mấy giờ?');
    expect(r.abstained).toBe(true);
    expect(r.citations).toEqual([]);
    expect(r.candidates?.[0]).toMatchObject({ id: 'tom-tat-mot-cua::s1', title: 'Tóm tắt: Bộ phận một cửa cấp xã', isSummary: true });
    expect(r.candidates?.[0].quote).toContain('tiếp nhận hồ sơ thủ tục hành chính');
    expect(r.candidates!.length).toBeLessThanOrEqual(5);
  });
});
