/**
 * Definition questions ("Đạo đức nghề nghiệp là gì?", "khái niệm gia đình", "thế nào là …")
 * are answered by the "Giải thích từ ngữ" article of a law, where each clause reads
 * "N. <term> là …". Citizens rarely use that heading's words, so lexical ranking prefers
 * articles that merely mention the term; matching the defined term itself finds the clause.
 */
import { tokenize, type Phrase } from './vietnamese.ts';
import { fold } from '../domain/fold.ts';

/** Folded phrasings that ask what something is. */
const ASKS_DEFINITION = [
  /\bla gi\b/,
  /\bla the nao\b/,
  /\bkhai niem\b/,
  /\bdinh nghia\b/,
  /\bthe nao la\b/,
  /\bthe nao duoc goi la\b/,
  /\bduoc hieu (nhu the nao|la gi|the nao|ra sao)\b/,
  /\bnghia la gi\b/,
  /\bhieu the nao (la|ve)\b/,
  /\bla sao\b/,
];

/** True when the question asks what a term means. */
export function asksDefinition(question: string): boolean {
  const f = ` ${tokenize(question).map(fold).join(' ')} `;
  return ASKS_DEFINITION.some((p) => p.test(f));
}

/** Headings of articles that define terms (folded). */
const DEFINITIONS_HEADING = /\b(giai thich tu ngu|khai niem|dinh nghia|tu ngu duoc hieu)\b/;

export function isDefinitionsHeading(heading: string | undefined): boolean {
  return !!heading && DEFINITIONS_HEADING.test(tokenize(heading).map(fold).join(' '));
}

/** Longest defined term, in syllables: "Hoạt động nghề nghiệp của viên chức" fits, a sentence does not. */
const MAX_TERM = 12;

/**
 * The term a definitions clause defines: the words before its first " là " (or ": "),
 * without the clause number. Undefined when the clause is not a definition.
 */
export function definedTerm(text: string): Phrase | undefined {
  const line = text.trim().split('\n')[0].replace(/^\s*(\d+[a-z]?|[a-zđ])\s*[.)]\s*/iu, '');
  const m = /^(.{2,160}?)\s+(?:là|được hiểu là)\s/u.exec(line) ?? /^(.{2,120}?)\s*:\s/u.exec(line);
  if (!m) return undefined;
  const term = tokenize(m[1]);
  if (term.length === 0 || term.length > MAX_TERM) return undefined;
  return term;
}
