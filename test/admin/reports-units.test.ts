import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../app/config.ts';
import { csvField, toCsv } from '../../admin/reports/csv.ts';
import { normalizeQuestion, questionTerms } from '../../admin/reports/question-text.ts';
import { resolveRange, todayIn, utcOffsetMinutes } from '../../admin/reports/range.ts';
import { durationStats, quantile } from '../../admin/reports/stats.ts';
import { analyseTopics, articleKey } from '../../admin/reports/topics.ts';
import type { QuestionRecord } from '../../storage/report-store.ts';

describe('CSV fields', () => {
  it('quotes what needs quoting and doubles quotes', () => {
    expect(csvField(undefined)).toBe('');
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(' padded')).toBe('" padded"');
    expect(csvField(0.5)).toBe('0.5');
    expect(csvField(-3)).toBe('-3');
  });

  it('defuses text Excel would run as a formula', () => {
    expect(csvField('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvField('+84 912')).toBe("'+84 912");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
  });

  it('writes a BOM, a header and CRLF rows', () => {
    expect(toCsv(['a', 'b'], [[1, 'x,y']])).toBe('\uFEFFa,b\r\n1,"x,y"\r\n');
  });
});

describe('statistics', () => {
  it('interpolates quantiles like PERCENTILE.INC', () => {
    expect(quantile([], 0.5)).toBeUndefined();
    expect(quantile([4], 0.9)).toBe(4);
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBeCloseTo(9.1);
    expect(durationStats([30, 10, 20])).toEqual({ count: 3, medianSeconds: 20, p90Seconds: 28 });
    expect(durationStats([])).toEqual({ count: 0, medianSeconds: null, p90Seconds: null });
  });
});

describe('report periods', () => {
  it('knows time zone offsets', () => {
    expect(utcOffsetMinutes('Asia/Ho_Chi_Minh', new Date('2025-03-01T00:00:00Z'))).toBe(420);
    expect(utcOffsetMinutes('Asia/Kolkata', new Date('2025-03-01T00:00:00Z'))).toBe(330);
    expect(utcOffsetMinutes('UTC', new Date('2025-03-01T00:00:00Z'))).toBe(0);
    expect(utcOffsetMinutes('America/New_York', new Date('2025-01-15T00:00:00Z'))).toBe(-300);
    // 20:00 UTC on 1 March is already 2 March in Việt Nam.
    expect(todayIn('Asia/Ho_Chi_Minh', new Date('2025-03-01T20:00:00Z'))).toBe('2025-03-02');
  });

  it('turns local days into UTC instants, defaulting to the last 30 days', () => {
    const r = resolveRange({ from: '2025-03-01', to: '2025-03-10' }, 'Asia/Ho_Chi_Minh', new Date());
    expect(r).toMatchObject({ from: '2025-03-01', to: '2025-03-10', query: { from: '2025-02-28T17:00:00.000Z', to: '2025-03-10T17:00:00.000Z', utcOffsetMinutes: 420 } });
    if ('error' in r) throw new Error(r.error);
    expect(r.days).toHaveLength(10);
    expect(r.days[9]).toBe('2025-03-10');

    const d = resolveRange({}, 'Asia/Ho_Chi_Minh', new Date('2025-03-01T20:00:00Z'));
    expect(d).toMatchObject({ from: '2025-02-01', to: '2025-03-02' });
    if ('error' in d) throw new Error(d.error);
    expect(d.days).toHaveLength(30);

    expect(resolveRange({ to: '2025-01-10' }, 'UTC', new Date())).toMatchObject({ from: '2024-12-12', to: '2025-01-10' });
    expect(resolveRange({ from: '2025-03-02', to: '2025-03-01' }, 'UTC', new Date())).toHaveProperty('error');
    expect(resolveRange({ from: '2024-01-01', to: '2025-03-01' }, 'UTC', new Date())).toHaveProperty('error');
  });

  it('rejects an unknown LOA_TIMEZONE', () => {
    expect(() => loadConfig({ LOA_TIMEZONE: 'Mars/Olympus' })).toThrow(/LOA_TIMEZONE/);
    expect(loadConfig({}).LOA_TIMEZONE).toBe('Asia/Ho_Chi_Minh');
  });
});

describe('question text', () => {
  it('recognises the same question typed differently', () => {
    const forms = ['Cho hỏi thủ tục làm căn cước như thế nào ạ?', 'thu tuc lam can cuoc nhu the nao', 'Thủ tục làm CĂN CƯỚC?'];
    expect(new Set(forms.map(normalizeQuestion)).size).toBe(1);
    expect(normalizeQuestion('Thủ tục làm hộ chiếu?')).not.toBe(normalizeQuestion(forms[0]));
  });

  it('keeps legal terms that contain a function word, drops question words from pairs', () => {
    const keys = questionTerms('Đăng ký thường trú cần giấy tờ gì?').map((t) => t.key);
    expect(keys).toEqual(expect.arrayContaining(['thuong tru', 'giay to', 'dang ky']));
    expect(keys).not.toContain('to gi');
    expect(keys).not.toContain('can giay');
    expect(questionTerms('làm căn cước').map((t) => t.key)).toContain('can cuoc');
  });
});

describe('topics', () => {
  const q = (turnId: string, text: string, extra: Partial<QuestionRecord> = {}): QuestionRecord => ({
    turnId,
    createdAt: '2025-03-01T01:00:00.000Z',
    day: '2025-03-01',
    channel: 'zalo',
    userId: turnId,
    text,
    escalated: true,
    abstained: true,
    citations: [],
    candidates: [],
    ...extra,
  });

  it('groups clauses under their article', () => {
    expect(articleKey('luat-cu-tru::20.2')).toBe('luat-cu-tru::20');
    expect(articleKey('luat-cu-tru::20')).toBe('luat-cu-tru::20');
    expect(articleKey('faq::12')).toBe('faq::12');
    expect(articleKey('ALQAC-123')).toBe('ALQAC-123');
  });

  it('keeps unrelated questions apart and similar ones together', () => {
    const { topics, topicOf } = analyseTopics(
      [
        q('1', 'tiền điện tháng này tăng cao'),
        q('2', 'tien dien tang qua'),
        q('3', 'nước sinh hoạt bị cắt mấy ngày'),
        q('4', 'mất nước sinh hoạt bao giờ có lại'),
        q('5', 'đường làng bị ngập'),
      ],
      { days: ['2025-03-01'] },
    );
    expect(topicOf.get('1')).toBe(topicOf.get('2'));
    expect(topicOf.get('3')).toBe(topicOf.get('4'));
    expect(topicOf.get('1')).not.toBe(topicOf.get('3'));
    expect(topicOf.get('5')).not.toBe(topicOf.get('1'));
    expect(topicOf.get('5')).not.toBe(topicOf.get('3'));
    expect(topics).toHaveLength(3);
    expect(topics.find((t) => t.id === topicOf.get('3'))?.label).toContain('nước sinh hoạt'.split(' ')[0]);
  });
});
