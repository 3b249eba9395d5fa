import { describe, expect, it } from 'vitest';
import { classify, normalizeForMatching } from '../../../bots/core/classify.ts';
import { incoming } from './support.ts';

const text = (t: string) => classify(incoming({ text: t }));

describe('classify', () => {
  it('normalises diacritics, đ and punctuation for matching', () => {
    expect(normalizeForMatching('  Gặp CÁN BỘ, được không?? ')).toBe('gap can bo duoc khong');
    expect(normalizeForMatching('Đăng ký')).toBe('dang ky');
  });

  it('treats first contact and greetings as a welcome', () => {
    expect(classify(incoming({ kind: 'follow', text: undefined }))).toEqual({ type: 'welcome' });
    expect(classify(incoming({ kind: 'command', command: 'start' }))).toEqual({ type: 'welcome' });
    expect(text('/start')).toEqual({ type: 'welcome' });
    expect(text('Xin chào!')).toEqual({ type: 'welcome' });
    expect(text('chao ban')).toEqual({ type: 'welcome' });
  });

  it('keeps a greeting followed by a question a question', () => {
    expect(text('Chào bạn, cho hỏi thủ tục đăng ký thường trú')).toEqual({ type: 'question', text: 'Chào bạn, cho hỏi thủ tục đăng ký thường trú' });
  });

  it('recognises help requests, but not questions that start with "hướng dẫn"', () => {
    expect(text('/help')).toEqual({ type: 'help' });
    expect(text('/help@LoaBot')).toEqual({ type: 'help' });
    expect(text('Hướng dẫn')).toEqual({ type: 'help' });
    expect(text('huong dan')).toEqual({ type: 'help' });
    expect(text('help')).toEqual({ type: 'help' });
    expect(classify(incoming({ kind: 'command', command: 'help' }))).toEqual({ type: 'help' });
    expect(text('hướng dẫn làm căn cước công dân')).toEqual({ type: 'question', text: 'hướng dẫn làm căn cước công dân' });
  });

  it('recognises requests for a person, with and without diacritics', () => {
    for (const t of ['gặp cán bộ', 'gap can bo', 'Cho tôi gặp người thật với ạ', 'gap nguoi that', 'tôi muốn hỏi trực tiếp', 'cho tôi nói chuyện với người', '/canbo']) {
      expect(text(t), t).toEqual({ type: 'human' });
    }
    expect(classify(incoming({ kind: 'command', command: 'human' }))).toEqual({ type: 'human' });
  });

  it('keeps the question a request for a person carries', () => {
    const t = 'Tôi muốn gặp cán bộ để hỏi về tranh chấp đất đai với hàng xóm';
    expect(text(t)).toEqual({ type: 'human', question: t });
  });

  it('drops a leading request clause so the officer sees the question itself', () => {
    expect(text('Cho tôi gặp cán bộ: Bộ phận một cửa làm việc mấy giờ?')).toEqual({ type: 'human', question: 'Bộ phận một cửa làm việc mấy giờ?' });
    expect(text('gap can bo giup em, dat nha em bi lan chiem thi lam sao')).toEqual({ type: 'human', question: 'dat nha em bi lan chiem thi lam sao' });
    // A clause that is more than a request stays whole.
    const t = 'Hàng xóm lấn đất, tôi muốn gặp cán bộ: phải làm gì?';
    expect(text(t)).toEqual({ type: 'human', question: t });
  });

  it('reads feedback from buttons and from keywords', () => {
    expect(classify(incoming({ kind: 'feedback', feedback: { answerId: 'a1', value: 'down' } }))).toEqual({ type: 'feedback', value: 'down', answerId: 'a1' });
    expect(text('👍')).toEqual({ type: 'feedback', value: 'up' });
    expect(text('👍🏻')).toEqual({ type: 'feedback', value: 'up' });
    expect(text('👎👎')).toEqual({ type: 'feedback', value: 'down' });
    expect(text('Hữu ích!')).toEqual({ type: 'feedback', value: 'up' });
    expect(text('khong huu ich')).toEqual({ type: 'feedback', value: 'down' });
    expect(text('chưa đúng')).toEqual({ type: 'feedback', value: 'down' });
  });

  it('answers non-text politely and records unfollows', () => {
    for (const kind of ['image', 'sticker', 'file', 'audio', 'video', 'location'] as const) {
      expect(classify(incoming({ kind, text: undefined }))).toEqual({ type: 'non_text' });
    }
    expect(classify(incoming({ kind: 'unfollow', text: undefined }))).toEqual({ type: 'unfollow' });
  });

  it('takes everything else as a question', () => {
    expect(text('thu tuc lam cccd')).toEqual({ type: 'question', text: 'thu tuc lam cccd' });
  });
});
