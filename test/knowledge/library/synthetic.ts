import { createHash } from 'node:crypto';
import type { KnowledgeDocument } from '../../../knowledge/types.ts';
import { rng } from '../../../retrieval/lsa.ts';

/** Vietnamese administrative vocabulary the synthetic articles are drawn from. */
const WORDS = (
  'cơ quan nhà nước công dân hồ sơ thủ tục đăng ký thường trú tạm trú giấy tờ chứng thực bản sao hộ tịch khai sinh kết hôn ' +
  'ly hôn lệ phí thời hạn giải quyết ủy ban nhân dân cấp xã huyện tỉnh quy định điều kiện trách nhiệm quyền lợi nghĩa vụ ' +
  'người lao động doanh nghiệp hợp đồng bảo hiểm xã hội y tế thuế thu nhập đất đai nhà ở xây dựng giấy phép môi trường ' +
  'giao thông phương tiện xử phạt vi phạm hành chính khiếu nại tố cáo kiến nghị phản ánh tiếp nhận trả kết quả trực tuyến'
).split(' ');

/**
 * `count` synthetic documents of `articles` articles each (words drawn deterministically from
 * WORDS): a corpus large enough that building its index takes a while.
 */
export function syntheticDocuments(count: number, articles = 10, seed = 1): KnowledgeDocument[] {
  const rand = rng(seed);
  const sentence = (n: number) => Array.from({ length: n }, () => WORDS[Math.floor(rand() * WORDS.length)]).join(' ');
  const docs: KnowledgeDocument[] = [];
  for (let d = 0; d < count; d++) {
    const id = `tong-hop-${seed}-${d}`;
    const units = Array.from({ length: articles }, (_, a) => ({
      id: `${id}::${a + 1}`,
      docId: id,
      kind: 'article' as const,
      section: `Điều ${a + 1}`,
      articleNo: String(a + 1),
      heading: sentence(5),
      text: `${sentence(40)}. ${sentence(40)}.`,
    }));
    docs.push({
      id,
      title: `Quyết định tổng hợp số ${d} về ${sentence(3)}`,
      source: `test:${id}`,
      contentHash: createHash('sha256').update(JSON.stringify(units)).digest('hex'),
      meta: { status: 'in_force', docType: 'Quyết định' },
      units,
      ingestedAt: new Date().toISOString(),
    });
  }
  return docs;
}

/** A small regulation whose one question no sample document answers. */
export const REGULATION_FILE = 'quy-che-nuoi-ong.md';
export const REGULATION = `---
title: Quy định về nuôi ong mật trong khu dân cư
number: 7/2026/QĐ-UBND
doc_type: Quyết định
status: in_force
---

Điều 1. Khoảng cách đặt thùng ong
Thùng ong mật phải đặt cách nhà ở của hộ liền kề ít nhất 10 mét và cách trường học ít nhất 100 mét.

Điều 2. Số thùng ong tối đa
Mỗi hộ gia đình trong khu dân cư được nuôi tối đa 20 thùng ong mật.
`;
export const REGULATION_QUESTION = 'thùng ong mật phải đặt cách nhà hàng xóm bao nhiêu mét';
