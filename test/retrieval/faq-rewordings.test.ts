/**
 * An approved FAQ is the agency's own answer: citizens who ask it in other words, typed
 * without diacritics, with "online" for "trực tuyến" or as part of a story, should get it,
 * even on a knowledge base (the bundled sample) whose summaries discuss the same topics.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildFaqDocument } from '../../admin/faqs/faq-knowledge.ts';
import { loadSampleDocuments } from '../../bench/sample-kb.ts';
import { buildRetriever, type Retriever } from '../../retrieval/index.ts';
import type { Faq } from '../../storage/faq-store.ts';

const faq = (id: string, questions: string[], answer: string): Faq => ({
  id,
  status: 'approved',
  questions,
  answer,
  citations: [],
  createdBy: 'officer',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  updatedBy: 'officer',
  version: 1,
});

let retriever: Retriever;
beforeAll(async () => {
  const faqs = buildFaqDocument(
    [
      faq('f1', ['Đăng ký tạm trú online được không?'], 'Được. Công dân có thể đăng ký tạm trú trực tuyến trên Cổng dịch vụ công quốc gia hoặc ứng dụng VNeID, không cần đến trụ sở công an.'),
      faq('f2', ['Mất giấy khai sinh thì làm lại ở đâu?'], 'Bạn đến Ủy ban nhân dân cấp xã nơi đã đăng ký khai sinh trước đây để đăng ký lại hoặc xin cấp bản sao trích lục khai sinh.'),
    ],
    'UBND xã Thử Nghiệm',
    new Date('2026-01-01T00:00:00Z'),
  )!;
  retriever = await buildRetriever([...(await loadSampleDocuments()), faqs], { abstainThreshold: 0.5, agencyName: 'UBND xã Thử Nghiệm' });
});

const REWORDINGS: [string, string][] = [
  ['faq::f1', 'đăng ký tạm trú qua mạng có được không'],
  ['faq::f1', 'dang ky tam tru online duoc ko'],
  ['faq::f1', 'tôi muốn đăng ký tạm trú mà không phải lên công an, làm online được không ạ'],
  ['faq::f1', 'làm tạm trú trực tuyến thế nào'],
  ['faq::f2', 'giấy khai sinh bị mất làm lại ở đâu'],
  ['faq::f2', 'mat giay khai sinh lam lai o dau'],
  ['faq::f2', 'bị mất bản gốc giấy khai sinh thì xin lại thế nào'],
];

describe('approved answers reused for rewordings', () => {
  it.each(REWORDINGS)('answers %j with the agency’s answer to %j', async (id, question) => {
    const r = await retriever.ask(question);
    expect(r.outcome).toBe('answer');
    expect(r.citations[0]).toMatchObject({ id, kind: 'faq' });
    expect(r.answer).toMatch(/^Câu trả lời của UBND xã Thử Nghiệm \[1\]:/);
    expect(r.answer).not.toContain('bản tóm tắt');
  });
});
