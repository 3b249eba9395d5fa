import { afterEach, describe, expect, it } from 'vitest';
import { buildRetriever } from '../../retrieval/index.ts';
import { verifyRewrite } from '../../retrieval/rewrite.ts';
import type { Citation } from '../../retrieval/types.ts';
import { startFakeOpenAI, type FakeOpenAI } from './fake-openai.ts';
import { testDocuments } from './fixtures.ts';

let fake: FakeOpenAI | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const citation: Citation = {
  id: 'Luật Hôn nhân và gia đình::8',
  title: 'Luật Hôn nhân và gia đình',
  section: 'Điều 8',
  status: 'in_force',
  quote: 'Nam từ đủ 20 tuổi trở lên, nữ từ đủ 18 tuổi trở lên; việc kết hôn do nam và nữ tự nguyện quyết định.',
  score: 1,
};

describe('verifying an LLM rewrite', () => {
  it('keeps only sentences tied to a citation whose words come from the cited passage', () => {
    const out = verifyRewrite(
      [
        'Theo Điều 8 Luật Hôn nhân và gia đình, nam phải từ đủ 20 tuổi trở lên và nữ từ đủ 18 tuổi trở lên [1].',
        'Bạn nên đi đăng ký sớm để được tặng quà cưới.',
        'Lệ phí đăng ký kết hôn là 500.000 đồng [1].',
        'Việc kết hôn do nam và nữ tự nguyện quyết định [3].',
      ].join(' '),
      [citation],
    );
    expect(out).toBe('Theo Điều 8 Luật Hôn nhân và gia đình, nam phải từ đủ 20 tuổi trở lên và nữ từ đủ 18 tuổi trở lên [1].');
  });

  it('returns nothing when no sentence can be verified', () => {
    expect(verifyRewrite('Tôi không biết.', [citation])).toBeUndefined();
    expect(verifyRewrite('Thuế thu nhập cá nhân là 10% [1].', [citation])).toBeUndefined();
  });
});

describe('optional LLM rewrite through an OpenAI-compatible endpoint', () => {
  it('sends only the cited passages and returns the verified sentences', async () => {
    fake = await startFakeOpenAI({
      chat: () =>
        'Nam từ đủ 20 tuổi trở lên và nữ từ đủ 18 tuổi trở lên thì được kết hôn [1]. ' +
        'Ngoài ra bạn sẽ được nhận một phần quà từ ủy ban [1]. Hãy liên hệ luật sư riêng để biết thêm.',
    });
    const r = await buildRetriever(testDocuments(), {
      abstainThreshold: 0.5,
      llm: { url: fake.url, model: 'fake-model', apiKey: 'k' },
    });
    const res = await r.ask('Nam bao nhiêu tuổi thì được kết hôn?');
    expect(res.abstained).toBe(false);
    expect(res.answer).toBe('Nam từ đủ 20 tuổi trở lên và nữ từ đủ 18 tuổi trở lên thì được kết hôn [1].');
    expect(fake.chatRequests).toHaveLength(1);
    const req = fake.chatRequests[0];
    expect(req.model).toBe('fake-model');
    const user = req.messages.find((m) => m.role === 'user')!.content;
    expect(user).toContain('Nam từ đủ 20 tuổi trở lên');
    expect(user).toContain('[1]');
    // The citations are the extractive ones, untouched by the model.
    expect(res.citations[0].id).toMatch(/^Luật Hôn nhân và gia đình::8/);
  });

  it('falls back to the extractive answer when nothing the model wrote can be verified', async () => {
    fake = await startFakeOpenAI({ chat: () => 'Xin lỗi, tôi nghĩ bạn nên hỏi luật sư.' });
    const withLlm = await buildRetriever(testDocuments(), { abstainThreshold: 0.5, llm: { url: fake.url, model: 'm' } });
    const without = await buildRetriever(testDocuments(), { abstainThreshold: 0.5 });
    const q = 'Nam bao nhiêu tuổi thì được kết hôn?';
    expect((await withLlm.ask(q)).answer).toBe((await without.ask(q)).answer);
    expect(fake.chatRequests).toHaveLength(1);
  });

  it('keeps the superseded-status note even if the model drops it', async () => {
    fake = await startFakeOpenAI({ chat: () => 'Chứng minh nhân dân có giá trị sử dụng 15 năm kể từ ngày cấp [1].' });
    const r = await buildRetriever(testDocuments(), { abstainThreshold: 0.5, llm: { url: fake.url, model: 'm' } });
    const res = await r.ask('chứng minh nhân dân có thời hạn sử dụng bao lâu');
    expect(res.answer).toContain('Chứng minh nhân dân có giá trị sử dụng 15 năm kể từ ngày cấp [1].');
    expect(res.answer).toContain('đã được thay thế bởi Luật Căn cước');
  });

  it('falls back when the endpoint is down', async () => {
    fake = await startFakeOpenAI({});
    const r = await buildRetriever(testDocuments(), { abstainThreshold: 0.5, llm: { url: fake.url, model: 'm' } });
    const res = await r.ask('Nam bao nhiêu tuổi thì được kết hôn?');
    expect(res.abstained).toBe(false);
    expect(res.answer).toMatch(/Căn cứ: /);
  });
});
