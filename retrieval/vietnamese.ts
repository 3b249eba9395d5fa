/**
 * Vietnamese text primitives shared by indexing and querying: Unicode normalisation, one
 * canonical tone-mark placement, diacritic folding and syllable tokenisation.
 *
 * Every form that reaches an index goes through `normalizeSyllable`, so "hoà" and "hòa",
 * composed and decomposed input all become the same token.
 */
import { fold } from '../domain/fold.ts';

const TONE_MARKS = new Set(['\u0300', '\u0301', '\u0303', '\u0309', '\u0323']);
const VOWELS = new Set([...'aăâeêioôơuưy']);
/** Vowels whose shape (circumflex, breve, horn) attracts the tone mark. */
const SHAPED = ['â', 'ă', 'ê', 'ô'];

/** NFC, so that decomposed accents (common in real corpora) compare equal to composed ones. */
export function nfc(text: string): string {
  return text.normalize('NFC');
}

/** Diacritic folding is one function for all of Loa (domain/fold.ts); re-exported for retrieval. */
export { fold };

/** True when the text carries any Vietnamese diacritic (tone, shape or đ). */
export function hasDiacritics(text: string): boolean {
  return fold(text) !== text;
}

/**
 * Places the tone mark of one lowercase syllable on the vowel the traditional rule picks
 * (hòa, thúy, khỏe, người, khuỷu), so old and new spellings (hoà / hòa) become one token.
 * Syllables that are not Vietnamese-shaped are returned unchanged.
 */
export function normalizeSyllable(syllable: string): string {
  const decomposed = syllable.normalize('NFD');
  let tone = '';
  let bare = '';
  for (const ch of decomposed) {
    if (TONE_MARKS.has(ch)) {
      if (tone) return syllable; // two tone marks: not a real syllable
      tone = ch;
    } else bare += ch;
  }
  if (!tone) return syllable.normalize('NFC');
  const chars = [...bare.normalize('NFC')];
  let start = chars.findIndex((c) => VOWELS.has(c));
  if (start < 0) return syllable.normalize('NFC');
  let end = start;
  while (end < chars.length && VOWELS.has(chars[end])) end++;
  // Anything vowel-like after the coda means this is not one syllable.
  if (chars.slice(end).some((c) => VOWELS.has(c))) return syllable.normalize('NFC');
  const onset = chars.slice(0, start).join('');
  // "qu" and "gi" belong to the onset when a vowel follows them.
  if (onset === 'q' && chars[start] === 'u' && end - start > 1) start++;
  else if (onset === 'g' && chars[start] === 'i' && end - start > 1) start++;
  const nucleus = chars.slice(start, end);
  const hasCoda = end < chars.length;
  let pos = nucleus.indexOf('ơ');
  if (pos < 0) pos = nucleus.findIndex((c) => SHAPED.includes(c));
  if (pos < 0) pos = nucleus.indexOf('ư');
  if (pos < 0) {
    if (hasCoda) pos = nucleus.length - 1;
    else if (nucleus.length === 3) pos = 1;
    else pos = 0;
  }
  const at = start + pos;
  chars[at] = (chars[at].normalize('NFD') + tone).normalize('NFC');
  return chars.join('');
}

/** Onsets after which a lone final i and y are two spellings of one syllable (kí/ký, lí/lý, mĩ/mỹ, hi/hy, tỉ/tỷ, sĩ/sỹ). */
const IY_ONSETS = new Set(['h', 'k', 'l', 'm', 's', 't']);

/**
 * One spelling for syllables written with a final i or y alike: "đăng kí" and "đăng ký",
 * "lí do" and "lý do", "qui định" and "quy định" become one token (the y form, which
 * legal texts use). Only a lone vowel after a one-letter onset varies this way: "khi",
 * "thi", "ai", "gì" and every syllable with a coda are left alone.
 */
export function canonicalIY(syllable: string): string {
  const last = syllable.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  if (last.length < 2 || last.length > 3) return syllable;
  const decomposed = syllable.normalize('NFD');
  let tone = '';
  for (const ch of decomposed) if (TONE_MARKS.has(ch)) tone = ch;
  let base: string | undefined;
  if (last.length === 2 && last[1] === 'i' && IY_ONSETS.has(last[0]) && !/[\u0302\u0306\u031b]/.test(decomposed)) base = `${last[0]}y`;
  else if (last === 'qui' && !/[\u0302\u0306\u031b]/.test(decomposed)) base = 'quy';
  return base ? `${base}${tone}`.normalize('NFC') : syllable;
}

// Corpora repeat a few thousand syllables millions of times: memoise their normal form.
const syllableCache = new Map<string, string>();

function normalizeWord(w: string): string {
  let n = syllableCache.get(w);
  if (n === undefined) {
    n = canonicalIY(hasDiacritics(w) ? normalizeSyllable(w) : w);
    if (syllableCache.size > 200_000) syllableCache.clear();
    syllableCache.set(w, n);
  }
  return n;
}

/** NFC + lowercase + canonical tone placement for every syllable of a text. */
export function normalizeText(text: string): string {
  return nfc(text).toLowerCase().replace(/\p{L}+/gu, normalizeWord);
}

/** A run of syllables not interrupted by punctuation: bigrams never cross a boundary. */
export type Phrase = string[];

// Clause/sentence punctuation separates phrases; '.' only when not between digits ("1.000").
const BOUNDARY = /[,;:!?()[\]{}"“”«»…\n\r\t•*|]|\.(?!\d)|\s[-–—]\s/u;
const TOKEN = /[\p{L}\p{N}]+/gu;

/**
 * Splits text into phrases of normalised lowercase syllables (letters/digits runs).
 * "Điều 20. Đăng ký thường trú" → [["điều","20"],["đăng","ký","thường","trú"]].
 */
export function tokenizePhrases(text: string): Phrase[] {
  const norm = normalizeText(text);
  const out: Phrase[] = [];
  for (const part of norm.split(BOUNDARY)) {
    if (!part) continue;
    const toks = part.match(TOKEN);
    if (toks && toks.length > 0) out.push(toks);
  }
  return out;
}

/** All syllables of a text, normalised, in order. */
export function tokenize(text: string): string[] {
  return tokenizePhrases(text).flat();
}
