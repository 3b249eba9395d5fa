import { describe, expect, it } from 'vitest';
import { expandShorthand, isShorthand } from '../../retrieval/shorthand.ts';
import { removeStopPhrases } from '../../retrieval/stop-phrases.ts';
import { TypoRepairer, withinOneEdit, type TypoModel } from '../../retrieval/typo.ts';
import { fold, hasDiacritics, normalizeSyllable, normalizeText, tokenize, tokenizePhrases } from '../../retrieval/vietnamese.ts';
import { LexiconMatcher } from '../../retrieval/lexicon.ts';

describe('Vietnamese normalisation', () => {
  it('composes decomposed input (NFD) into the same tokens as composed input', () => {
    const composed = 'Đăng ký thường trú';
    const decomposed = composed.normalize('NFD');
    expect(decomposed).not.toBe(composed);
    expect(tokenize(decomposed)).toEqual(tokenize(composed));
    expect(tokenize(decomposed)).toEqual(['đăng', 'ký', 'thường', 'trú']);
  });

  it('puts the tone mark in one canonical place (old and new spellings agree)', () => {
    const pairs: [string, string][] = [
      ['hoà', 'hòa'],
      ['thuý', 'thúy'],
      ['khoẻ', 'khỏe'],
      ['tuỳ', 'tùy'],
      ['huỷ', 'hủy'],
      ['xoà', 'xòa'],
    ];
    for (const [a, b] of pairs) expect(normalizeSyllable(a)).toBe(normalizeSyllable(b));
    expect(normalizeSyllable('hoà')).toBe('hòa');
    // Syllables with a coda, qu/gi onsets and shaped vowels keep their placement.
    for (const s of ['hoàng', 'thuyền', 'quý', 'giá', 'người', 'muối', 'khuỷu', 'gì', 'cửa']) expect(normalizeSyllable(s)).toBe(s);
    expect(normalizeText('Hoà giải THUÝ')).toBe('hòa giải thúy');
  });

  it('treats every old/new tone placement of oa, oe and uy alike, with every tone mark', () => {
    const tones = ['\u0300', '\u0301', '\u0303', '\u0309', '\u0323'];
    const mark = (v: string, t: string) => (v + t).normalize('NFC');
    for (const [onset, first, second] of [['h', 'o', 'a'], ['kh', 'o', 'e'], ['th', 'u', 'y'], ['t', 'u', 'y'], ['x', 'o', 'a'], ['', 'u', 'y']]) {
      for (const t of tones) {
        const oldStyle = `${onset}${first}${mark(second, t)}`; // hoà, khoẻ, thuỷ
        const newStyle = `${onset}${mark(first, t)}${second}`; // hòa, khỏe, thủy
        expect(tokenize(oldStyle)).toEqual(tokenize(newStyle));
        expect(tokenize(oldStyle.toUpperCase())).toEqual(tokenize(newStyle));
      }
    }
    // "qu" is an onset: quỳ and quý keep the mark on y; "gi" likewise (giữa).
    expect(tokenize('quỳ quý giữa')).toEqual(['quỳ', 'quý', 'giữa']);
    expect(tokenize('Hoà giải ở Toà án, uỷ quyền, sức khoẻ, ma tuý, văn hoá')).toEqual(
      tokenize('Hòa giải ở Tòa án, ủy quyền, sức khỏe, ma túy, văn hóa'),
    );
  });

  it('spells syllables that end in a lone i or y one way (kí/ký, lí/lý, qui/quy), with or without diacritics', () => {
    expect(tokenize('đăng kí lí do qui định mĩ thuật kĩ sư tỉ lệ hi vọng')).toEqual(tokenize('đăng ký lý do quy định mỹ thuật kỹ sư tỷ lệ hy vọng'));
    expect(tokenize('dang ki')).toEqual(tokenize('dang ky'));
    expect(tokenize('Đăng kí')).toEqual(['đăng', 'ký']);
    // Other onsets, syllables with a coda and vowel clusters are not spelling variants.
    expect(tokenize('khi thi chi đi gì ai kín tin')).toEqual(['khi', 'thi', 'chi', 'đi', 'gì', 'ai', 'kín', 'tin']);
  });

  it('folds diacritics including đ and ỹ (which remove-accents misses)', () => {
    expect(fold('Đăng ký tạm trú ở Mỹ Tho, kỹ sư')).toBe('Dang ky tam tru o My Tho, ky su');
    expect(fold('ỹ Ỹ đ Đ')).toBe('y Y d D');
    expect(hasDiacritics('dang ky')).toBe(false);
    expect(hasDiacritics('đang')).toBe(true);
  });

  it('splits phrases at punctuation but keeps numbers like 1.000 together', () => {
    expect(tokenizePhrases('Điều 20. Đăng ký, thường trú')).toEqual([['điều', '20'], ['đăng', 'ký'], ['thường', 'trú']]);
    expect(tokenizePhrases('phí 1.000 đồng')).toEqual([['phí', '1', '000', 'đồng']]);
  });
});

describe('shorthand and abbreviations', () => {
  it('expands official abbreviations and chat shorthand, with or without đ', () => {
    expect(expandShorthand(['làm', 'cccd'])).toEqual(['làm', 'căn', 'cước', 'công', 'dân']);
    expect(expandShorthand(['ubnd', 'xã'])).toEqual(['ủy', 'ban', 'nhân', 'dân', 'xã']);
    expect(expandShorthand(['bhxh'])).toEqual(['bảo', 'hiểm', 'xã', 'hội']);
    expect(expandShorthand(['gplx'])).toEqual(['giấy', 'phép', 'lái', 'xe']);
    expect(expandShorthand(['hs', 'ko', 'đc'])).toEqual(['hồ', 'sơ', 'không', 'được']);
    expect(expandShorthand(['dc', 'k', 'vs'])).toEqual(['được', 'không', 'với']);
    expect(expandShorthand(['lam', 'ntn'])).toEqual(['lam', 'như', 'thế', 'nào']);
    expect(expandShorthand(['bn', 'tien', 'j'])).toEqual(['bao', 'nhiêu', 'tien', 'gì']);
    expect(expandShorthand(['blds'])).toEqual(['bộ', 'luật', 'dân', 'sự']);
    expect(isShorthand('CMND')).toBe(true);
  });

  it('leaves real words alone', () => {
    expect(expandShorthand(['ký', 'hồ', 'sơ'])).toEqual(['ký', 'hồ', 'sơ']);
  });
});

describe('stop phrases', () => {
  it('removes question scaffolding but not single content syllables', () => {
    const out = removeStopPhrases(tokenizePhrases('Phạt bao nhiêu tiền, đúng hay sai?'));
    expect(out).toEqual([['phạt'], ['tiền']]);
    expect(removeStopPhrases(tokenizePhrases('thu tuc the nao'))).toEqual([['thu', 'tuc']]);
    expect(removeStopPhrases(tokenizePhrases('Tôi có được đăng ký thường trú không'))).toEqual([['tôi', 'có', 'được', 'đăng', 'ký', 'thường', 'trú']]);
    expect(removeStopPhrases(tokenizePhrases('có phải đăng ký tạm trú'))).toEqual([['đăng', 'ký', 'tạm', 'trú']]);
  });
});

describe('typo repair', () => {
  const vocab = ['đăng', 'ký', 'thường', 'trú', 'tạm', 'thương', 'binh', 'hồ', 'sơ'];
  const pairs = new Map([
    ['đăng ký', 10],
    ['ký thường', 5],
    ['thường trú', 8],
    ['ký tạm', 4],
    ['tạm trú', 6],
    ['thương binh', 3],
  ]);
  const model: TypoModel = {
    syllables: vocab,
    foldedForms: [...new Set(vocab.map(fold))],
    frequency: () => 1,
    foldedFrequency: () => 1,
    pairScore: (l, r, accented) =>
      accented ? (pairs.get(`${l} ${r}`) ?? 0) : [...pairs].filter(([k]) => fold(k) === `${l} ${r}`).reduce((s, [, n]) => s + n, 0),
  };
  const typo = new TypoRepairer(model);

  it('knows what one edit is', () => {
    expect(withinOneEdit('thường', 'thườg')).toBe(true);
    expect(withinOneEdit('trú', 'tú')).toBe(true);
    expect(withinOneEdit('ab', 'ba')).toBe(true);
    expect(withinOneEdit('thường', 'thương')).toBe(true);
    expect(withinOneEdit('thường', 'thg')).toBe(false);
  });

  it('replaces an unknown syllable by the corpus syllable its neighbours support', () => {
    // "thườg" is one edit from both "thường" and "thương": the neighbour "ký … trú" decides.
    expect(typo.repair('thườg', 'ký', 'trú', true)).toBe('thường');
    expect(typo.repair('thươg', undefined, 'binh', true)).toBe('thương');
    // Diacritic-free typo, repaired in the folded vocabulary.
    expect(typo.repair('thuog', 'ky', 'tru', false)).toBe('thuong');
    expect(typo.repair('xyzw', undefined, undefined, true)).toBeUndefined();
  });
});

describe('everyday → legal lexicon', () => {
  const lexicon = new LexiconMatcher([
    { everyday: ['hộ khẩu'], legal: ['thường trú'] },
    { everyday: ['ly dị', 'bỏ vợ'], legal: ['ly hôn'] },
    { everyday: ['cccd'], legal: ['thẻ căn cước'] },
  ]);
  it('matches accented, diacritic-free and abbreviated wording', () => {
    expect(lexicon.expand(tokenizePhrases('nhập hộ khẩu cho con')).legal).toEqual([['thường', 'trú']]);
    expect(lexicon.expand(tokenizePhrases('nhap ho khau cho con')).legal).toEqual([['thường', 'trú']]);
    expect(lexicon.expand(tokenizePhrases('muốn ly dị thì làm gì')).legal).toEqual([['ly', 'hôn']]);
    expect(lexicon.expand(tokenizePhrases('làm CCCD').map(expandShorthand)).legal).toEqual([['thẻ', 'căn', 'cước']]);
    expect(lexicon.expand(tokenizePhrases('thời tiết hôm nay')).legal).toEqual([]);
  });
});

describe('shorthand never captures a folded word', () => {
  it('expands "hông" as typed but leaves "hong" (hồng without diacritics) alone', () => {
    expect(expandShorthand(['hông'])).toEqual(['không']);
    expect(expandShorthand(['so', 'hong'])).toEqual(['so', 'hong']);
  });
});
