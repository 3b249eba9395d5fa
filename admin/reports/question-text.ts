import { createRequire } from 'node:module';
import { tokenizePhrases } from '../../retrieval/vietnamese.ts';
import { fold } from '../../domain/fold.ts';

/**
 * How reports read citizens' questions: one normal form to spot the same question asked
 * again ("Thủ tục làm CCCD?" = "thu tuc lam cccd"), and the terms (syllables and syllable
 * pairs) that group questions into topics and label them.
 *
 * Reports read every question of a period (tens of thousands) on the server's event loop,
 * so this is written for speed: syllables are folded once and cached, and scaffolding is
 * removed by a lookup on folded syllables.
 */

// A few thousand syllables cover nearly all text: fold each once.
const foldCache = new Map<string, string>();
function foldSyllable(s: string): string {
  let f = foldCache.get(s);
  if (f === undefined) {
    f = fold(s);
    if (foldCache.size > 100_000) foldCache.clear();
    foldCache.set(s, f);
  }
  return f;
}
const plain = (s: string) => foldSyllable(s) === s;

const require = createRequire(import.meta.url);
const isoStopwords = ((require('stopwords-iso') as Record<string, string[]>).vi ?? []).map((w) => w.normalize('NFC').toLowerCase());
/** Function words, matched with their diacritics: "căn" (căn cước) is not "cần". */
const STOP_SYLLABLES = new Set(isoStopwords.filter((w) => !w.includes(' ')));
const STOP_PAIRS = new Set(isoStopwords.filter((w) => w.split(' ').length === 2).map(fold));
/**
 * Function words typed without diacritics. Folding the list above would also remove
 * "can" (căn cước) and "cuoc" (cuộc), so only common unambiguous ones are listed.
 */
const STOP_PLAIN = new Set([
  ...isoStopwords.filter((w) => !w.includes(' ') && fold(w) === w),
  'la', 'cua', 'duoc', 'lam', 'va', 'cac', 'nhung', 'thi', 'khong', 'gi', 'nao', 'nay', 'de', 'den', 'voi', 've',
  'mot', 'nhu', 'khi', 'da', 'se', 'toi', 'minh', 'em', 'anh', 'chi', 'ban', 'muon', 'hoi', 'phai', 'roi', 'nua',
]);
const isStop = (s: string) => (plain(s) ? STOP_PLAIN.has(s) : STOP_SYLLABLES.has(s));

/**
 * Question and linking words that never belong in a label pair ("tờ gì", "cần giấy"), unlike
 * stopwords that are part of legal terms ("thường trú", "căn cước"). Plain spellings that
 * are also content words ("can" = căn) are left out.
 */
const NO_PAIR = new Set(['gì', 'nào', 'sao', 'đâu', 'không', 'chưa', 'được', 'có', 'cần', 'là', 'của', 'thì', 'và', 'cho', 'với', 'ở', 'tại', 'bị', 'đã', 'sẽ', 'đang', 'này', 'đó', 'ạ', 'nhé', 'muốn', 'phải', 'làm', 'mà', 'nên', 'hay', 'hoặc', 'các', 'những', 'một']);
const NO_PAIR_PLAIN = new Set(['gi', 'nao', 'sao', 'dau', 'khong', 'chua', 'duoc', 'co', 'la', 'cua', 'thi', 'va', 'cho', 'voi', 'o', 'tai', 'bi', 'da', 'se', 'nay', 'do', 'a', 'nhe', 'muon', 'phai', 'lam', 'ma', 'nen', 'hay', 'hoac', 'cac', 'nhung', 'mot']);
const noPair = (s: string) => (plain(s) ? NO_PAIR_PLAIN.has(s) : NO_PAIR.has(s));

/**
 * Question scaffolding: words around a question that do not change what is asked
 * (matched without diacritics, longest first).
 */
const SCAFFOLDING = [
  'cho hỏi', 'cho em hỏi', 'cho tôi hỏi', 'cho mình hỏi', 'cho cháu hỏi', 'xin hỏi', 'tôi muốn hỏi', 'em muốn hỏi', 'mình muốn hỏi', 'muốn hỏi',
  'xin chào', 'chào anh', 'chào chị', 'chào ad', 'ad ơi', 'admin ơi', 'cảm ơn', 'xin cảm ơn', 'cám ơn', 'vậy ạ',
  'như thế nào', 'thế nào', 'ra sao', 'thì sao', 'làm sao', 'làm thế nào', 'là gì', 'bao nhiêu', 'bao lâu', 'khi nào', 'ở đâu',
  'có đúng không', 'đúng không', 'đúng hay sai', 'có phải', 'phải không', 'hay không', 'được không', 'có được không', 'được hay không', 'hay chưa',
];
/** Folded first syllable → scaffolding phrases (folded syllables) starting with it, longest first. */
const SCAFFOLD_BY_FIRST = new Map<string, string[][]>();
for (const phrase of SCAFFOLDING.map((p) => fold(p).split(' ')).sort((a, b) => b.length - a.length)) {
  const list = SCAFFOLD_BY_FIRST.get(phrase[0]) ?? [];
  list.push(phrase);
  SCAFFOLD_BY_FIRST.set(phrase[0], list);
}
/** Polite or questioning endings that do not change the question ("… không ạ?"). */
const TRAILING = new Set(['a', 'nhe', 'nha', 'vay', 'khong', 'chua', 'nhi', 'ha', 'oi', 'voi', 'the', 'ak']);

interface Run {
  surface: string[];
  folded: string[];
}

/** Syllable runs without punctuation or scaffolding; a run is split where scaffolding was removed. */
function contentRuns(text: string): Run[] {
  const out: Run[] = [];
  for (const phrase of tokenizePhrases(text)) {
    const folded = phrase.map(foldSyllable);
    let run: Run = { surface: [], folded: [] };
    for (let i = 0; i < phrase.length; ) {
      const hit = SCAFFOLD_BY_FIRST.get(folded[i])?.find((p) => p.every((s, j) => folded[i + j] === s));
      if (hit) {
        if (run.surface.length) out.push(run);
        run = { surface: [], folded: [] };
        i += hit.length;
        continue;
      }
      run.surface.push(phrase[i]);
      run.folded.push(folded[i]);
      i++;
    }
    if (run.surface.length) out.push(run);
  }
  return out;
}

/**
 * The form two askings of the same question share: no case, diacritics, punctuation,
 * question scaffolding ("cho hỏi", "như thế nào") or polite endings ("ạ", "không").
 */
export function normalizeQuestion(text: string): string {
  const words = contentRuns(text).flatMap((r) => r.folded);
  while (words.length > 1 && TRAILING.has(words[words.length - 1])) words.pop();
  return words.join(' ');
}

/** A term of a question: its folded key and the form the citizen wrote. */
export interface Term {
  key: string;
  surface: string;
  /** True for a pair of syllables. */
  pair: boolean;
}

/**
 * Topic terms of a question: content syllables and adjacent pairs, keyed without
 * diacritics so "can cuoc" and "căn cước" count together. A single syllable that is a
 * function word is dropped; a pair is dropped when both halves are (a legal term such as
 * "căn cước" or "thường trú" may contain one) or one is a question or linking word.
 */
export function questionTerms(text: string): Term[] {
  const out = new Map<string, Term>();
  const add = (key: string, surface: string, pair: boolean) => {
    if (!out.has(key)) out.set(key, { key, surface, pair });
  };
  for (const { surface, folded } of contentRuns(text)) {
    for (let i = 0; i < surface.length; i++) {
      const syl = surface[i];
      const f = folded[i];
      const number = /^\d+$/u.test(f);
      if (!isStop(syl) && f.length > 1 && !number) add(f, syl, false);
      if (i + 1 < surface.length) {
        const next = surface[i + 1];
        const key = `${f} ${folded[i + 1]}`;
        const bothStop = isStop(syl) && isStop(next);
        if (!bothStop && !noPair(syl) && !noPair(next) && !STOP_PAIRS.has(key) && !(number && /^\d+$/u.test(folded[i + 1]))) {
          add(key, `${syl} ${next}`, true);
        }
      }
    }
  }
  return [...out.values()];
}

/**
 * Chooses how to show a term seen in several spellings: the most frequent, and a spelling
 * with diacritics over one without ("căn cước" rather than "can cuoc").
 */
export function bestSurface(counts: ReadonlyMap<string, number>): string {
  let best = '';
  let bestScore = -1;
  for (const [surface, n] of counts) {
    const score = n + (fold(surface) !== surface ? 1_000_000 : 0);
    if (score > bestScore) {
      best = surface;
      bestScore = score;
    }
  }
  return best;
}
