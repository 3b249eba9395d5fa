import { describe, expect, it } from 'vitest';
import { ANSWER, CONTENT_KINDS, evidenceKinds, headingKinds, questionKinds } from '../../retrieval/answer-type.ts';

const has = (bits: number, kind: number) => (bits & kind) !== 0;

describe('kinds of answer a question asks for', () => {
  it.each([
    ['Bộ phận một cửa của phường làm việc mấy giờ?', ANSWER.hours],
    ['bo phan mot cua lam viec may gio', ANSWER.hours],
    ['Đăng ký tạm trú mất bao lâu?', ANSWER.time],
    ['giấy xác nhận độc thân có giá trị mấy tháng', ANSWER.time],
    ['Thời hạn khiếu nại là bao nhiêu ngày?', ANSWER.time],
    ['Lệ phí đăng ký thường trú bao nhiêu tiền?', ANSWER.amount],
    ['muc phat khong dang ky tam tru', ANSWER.amount],
    ['Bao nhiêu tuổi thì phải làm căn cước?', ANSWER.age],
    ['nu may tuoi duoc lay chong', ANSWER.age],
    ['Đăng ký kết hôn ở đâu?', ANSWER.place],
    ['lam cccd o dau', ANSWER.place],
    ['Khai tử cần những giấy tờ gì?', ANSWER.documents],
    ['Không đăng ký tạm trú có bị phạt không?', ANSWER.penalty],
  ])('%j asks for kind %i', (question, kind) => {
    expect(has(questionKinds(question), kind)).toBe(true);
  });

  it('finds no content kind in a yes/no question or a definition', () => {
    expect(questionKinds('Sổ hộ khẩu giấy còn dùng được không?') & CONTENT_KINDS).toBe(0);
    expect(questionKinds('Trợ giúp pháp lý là gì?') & CONTENT_KINDS).toBe(0);
  });

  it('expands chat shorthand before looking ("bn ngày" is "bao nhiêu ngày")', () => {
    expect(has(questionKinds('lam cccd bn ngay thi co'), ANSWER.time)).toBe(true);
  });
});

describe('kinds of question a heading answers', () => {
  it('reads question-like and noun headings', () => {
    expect(has(headingKinds('Đăng ký kết hôn ở đâu'), ANSWER.place)).toBe(true);
    expect(has(headingKinds('Lệ phí đăng ký kết hôn'), ANSWER.amount)).toBe(true);
    expect(has(headingKinds('Thời hạn đăng ký khai sinh cho con'), ANSWER.time)).toBe(true);
    expect(has(headingKinds('Hồ sơ cần chuẩn bị'), ANSWER.documents)).toBe(true);
    expect(has(headingKinds('Độ tuổi gọi nhập ngũ'), ANSWER.age)).toBe(true);
    expect(headingKinds(undefined)).toBe(0);
  });

  it('does not take a mention of an age for a question about age', () => {
    expect(has(headingKinds('Làm căn cước cho trẻ em dưới 14 tuổi'), ANSWER.age)).toBe(false);
  });
});

describe('kinds of content a passage contains', () => {
  it('sees hours, durations, amounts, ages and places', () => {
    const text = 'Thông báo lưu trú trước 23 giờ tại Công an cấp xã; phạt từ 500.000 đồng; công dân đủ 14 tuổi.';
    const bits = evidenceKinds(text);
    for (const kind of [ANSWER.hours, ANSWER.time, ANSWER.amount, ANSWER.age, ANSWER.place]) expect(has(bits, kind)).toBe(true);
  });

  it('counts an exemption as an answer to "how much" and a date as a time', () => {
    expect(has(evidenceKinds('Đăng ký kết hôn được miễn lệ phí.'), ANSWER.amount)).toBe(true);
    expect(has(evidenceKinds('Từ ngày 01/7/2025, hồ sơ nộp trực tuyến.'), ANSWER.time)).toBe(true);
  });

  it('finds nothing of the kind in a passage that only talks about the topic', () => {
    const bits = evidenceKinds('Kết quả điện tử có giá trị pháp lý như kết quả bản giấy.');
    expect(has(bits, ANSWER.hours)).toBe(false);
    expect(has(bits, ANSWER.amount)).toBe(false);
    expect(has(bits, ANSWER.place)).toBe(false);
    // "năm" alone (a year, or the number five) is not an amount or a duration.
    expect(has(evidenceKinds('Người dân có thể nộp hồ sơ mỗi năm'), ANSWER.hours)).toBe(false);
  });
});
