/** How long citizen messages are reduced to their question. */
import { beforeAll, describe, expect, it } from 'vitest';
import { isSmallTalk } from '../../retrieval/guards.ts';
import { buildRetriever, type Retriever } from '../../retrieval/index.ts';
import { isFirstPerson } from '../../retrieval/query.ts';
import { testDocuments } from './fixtures.ts';

let retriever: Retriever;

beforeAll(async () => {
  retriever = await buildRetriever(testDocuments(), { abstainThreshold: 0.5 });
});

describe('long messages', () => {
  it('finds the question at the end of a story typed as one run of clauses', () => {
    // No full stop anywhere: the clauses about borrowing money and the landlord are the story.
    const message =
      'chào ad, em là sinh viên năm nhất, em có vay của bạn cùng phòng ít tiền để trả tiền thuê trọ, chủ nhà bảo em phải làm thủ tục, giờ em muốn hỏi ở trọ trên 30 ngày thì có phải đăng ký tạm trú không ạ, em cảm ơn';
    expect(retriever.search(message, 1)[0].id).toBe('Luật Cư trú::27');
  });

  it('tells a first-person word from a word that folds like one', () => {
    for (const w of ['tôi', 'em', 'mình', 'cháu', 'toi', 'minh']) expect(isFirstPerson(w)).toBe(true);
    // "tạo" (đào tạo) folds to "tao" but, typed with its tone mark, is not a pronoun.
    for (const w of ['tạo', 'tối', 'mính', 'luật']) expect(isFirstPerson(w)).toBe(false);
  });

  it('recognises greetings and thanks as clauses with no question in them', () => {
    expect(isSmallTalk('chào ad')).toBe(true);
    expect(isSmallTalk('em cảm ơn ạ')).toBe(true);
    expect(isSmallTalk('em muốn hỏi về tạm trú')).toBe(false);
  });
});
