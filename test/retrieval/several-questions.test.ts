import { beforeAll, describe, expect, it } from 'vitest';
import { buildRetriever, type Retriever } from '../../retrieval/index.ts';
import { combineAnswers, splitQuestions } from '../../retrieval/questions.ts';
import { testDocuments } from './fixtures.ts';

let retriever: Retriever;
beforeAll(async () => {
  retriever = await buildRetriever(testDocuments(), { abstainThreshold: 0.6, agencyName: 'UBND xã Thử Nghiệm' });
});

const LETTER =
  'Chào anh chị, tôi 30 tuổi, vừa chuyển đến thành phố để làm việc được hai tuần. Tôi phải đăng ký tạm trú trong trường hợp nào? Còn hồ sơ đăng ký thường trú gồm những giấy tờ gì? Tôi cảm ơn.';

describe('several questions in one message', () => {
  it('finds each question and keeps the story with it', () => {
    const split = splitQuestions(LETTER)!;
    expect(split.asked).toEqual(['Tôi phải đăng ký tạm trú trong trường hợp nào?', 'Còn hồ sơ đăng ký thường trú gồm những giấy tờ gì?']);
    expect(split.questions[0]).toContain('vừa chuyển đến thành phố');
    expect(split.questions[0].endsWith('Tôi phải đăng ký tạm trú trong trường hợp nào?')).toBe(true);
    expect(splitQuestions('Đăng ký tạm trú cần giấy tờ gì?')).toBeUndefined();
    expect(splitQuestions('Sao vậy? Thật à?')).toBeUndefined();
  });

  it('answers each in the order asked, numbered, with its own citations', async () => {
    const r = await retriever.ask(LETTER);
    expect(r.outcome).toBe('answer');
    expect(r.answer).toMatch(/^1\. Tôi phải đăng ký tạm trú trong trường hợp nào\?\n“/);
    expect(r.answer).toContain('\n\n2. Còn hồ sơ đăng ký thường trú gồm những giấy tờ gì?\n“');
    const ids = r.citations.map((c) => c.id);
    expect(ids[0]).toMatch(/^Luật Cư trú::27/);
    expect(ids.some((id) => id.startsWith('Luật Cư trú::21'))).toBe(true);
    // Markers point at the combined citation list.
    expect(r.answer).toContain('[1]');
    expect(r.answer).toContain(`[${ids.findIndex((id) => id.startsWith('Luật Cư trú::21')) + 1}]`);
  });

  it('names the question it could not answer instead of dropping it', () => {
    const answered = { outcome: 'answer' as const, answer: '“…” [1]\nCăn cứ: Điều 27 Luật Cư trú.', citations: [{ id: 'a', title: 'Luật Cư trú', section: 'Điều 27', status: 'in_force' as const, quote: '…', score: 1 }], confidence: 0.9, abstained: false };
    const handoff = { outcome: 'handoff' as const, answer: 'x', citations: [], confidence: 0.05, abstained: true, reason: 'low_confidence' as const };
    const r = combineAnswers(['Hỏi một?', 'Hỏi hai?'], [answered, handoff])!;
    expect(r.answer).toContain('1. Hỏi một?');
    expect(r.answer).toContain('Tôi chưa tìm thấy quy định đủ rõ để trả lời: “Hỏi hai?”');
    expect(combineAnswers(['Hỏi một?', 'Hỏi hai?'], [handoff, handoff])).toBeUndefined();
  });
});
