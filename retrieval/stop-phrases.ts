/**
 * Question scaffolding that carries no topic ("bao nhiêu", "như thế nào", "đúng hay sai",
 * "có phải … không"). Only multi-syllable phrases are removed: dropping single syllables
 * cost about 4 points of Recall@1 in measurements, because many of them are also legal terms.
 */
import { tokenize, type Phrase } from './vietnamese.ts';
import { fold } from '../domain/fold.ts';

const PHRASES = [
  'bao nhiêu',
  'như thế nào',
  'thế nào',
  'đúng hay sai',
  'đúng hay không',
  'đúng không',
  'có đúng không',
  'có phải',
  'phải không',
  'hay không',
  'được không',
  'có được không',
  'là gì',
  'ra sao',
  'thì sao',
  'làm sao',
  'làm thế nào',
  'xin hỏi',
  'cho hỏi',
  'cho em hỏi',
  'cho tôi hỏi',
  'cho mình hỏi',
  'cho cháu hỏi',
  'tôi muốn hỏi',
  'em muốn hỏi',
  'mình muốn hỏi',
  'muốn hỏi',
  'cảm ơn',
  'xin cảm ơn',
  'vậy ạ',
  'nào sau đây',
  'sau đây',
  'bao lâu',
  'khi nào',
  'ở đâu',
  'hay chưa',
  'được hay không',
  'có thể',
];

const FOLDED = PHRASES.map((p) => tokenize(p).map(fold)).sort((a, b) => b.length - a.length);
/** Openers of a follow-up ("còn con thì sao", "thế còn …"), dropped at the start of a question. */
const LEADING = [['the', 'con'], ['vay', 'con']];

/** Length of a follow-up opener at the start of a phrase; a bare "con" only counts when typed "còn" (else it may mean "child"). */
function leadingOpener(phrase: Phrase): number {
  const f = phrase.map(fold);
  const lead = LEADING.find((p) => p.length < f.length && p.every((s, j) => f[j] === s));
  if (lead) return lead.length;
  return phrase.length > 1 && phrase[0] === 'còn' ? 1 : 0;
}
/** Sentence-final question particles: "… đăng ký được không" / "… chưa". */
const FINAL_PARTICLES = new Set(['khong', 'chua', 'nhi', 'vay', 'nhe']);

/**
 * Removes stop phrases (matched on folded syllables, so "bao nhieu" goes too); the phrase is
 * split where something was removed so bigrams do not join words that were never adjacent.
 */
export function removeStopPhrases(phrases: Phrase[]): Phrase[] {
  const out: Phrase[] = [];
  phrases.forEach((phrase, pi) => {
    const folded = phrase.map(fold);
    let current: string[] = [];
    let i = pi === 0 ? leadingOpener(phrase) : 0;
    while (i < phrase.length) {
      const hit = FOLDED.find((p) => p.length <= phrase.length - i && p.every((s, j) => folded[i + j] === s));
      if (hit) {
        if (current.length) out.push(current);
        current = [];
        i += hit.length;
        continue;
      }
      current.push(phrase[i]);
      i++;
    }
    // A trailing question particle of the last phrase ("… được không?").
    if (pi === phrases.length - 1) {
      while (current.length > 1 && (FINAL_PARTICLES.has(fold(current[current.length - 1])) || current[current.length - 1] === 'ạ')) current.pop();
    }
    if (current.length) out.push(current);
  });
  return out;
}
