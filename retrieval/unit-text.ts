/**
 * The parts of a unit's text that mean different things: an approved FAQ's question
 * variants, its answer and its legal-basis line (the layout admin/faqs/faq-knowledge.ts
 * writes), and the `Căn cứ:` lines that close the passages of plain-language summaries.
 * Legal-basis lines name laws, not the topic, so they are quoted but not indexed.
 */

/** `Căn cứ: …` / `Căn cứ pháp lý: …` at the start of a line or a sentence, to the end of its line. */
const BASIS_LINE = /(^|\n|(?<=[.!?…]\s))[ \t]*căn cứ(?: pháp lý)?\s*:[^\n]*/giu;

/** The text without its legal-basis lines (for indexing). */
export function withoutBasis(text: string): string {
  return text.replace(BASIS_LINE, '$1').trim();
}

/** The legal-basis lines of a text, as written ("Căn cứ: Điều 27 Luật Cư trú 2020."). */
export function basisLines(text: string): string[] {
  return [...text.matchAll(BASIS_LINE)].map((m) => m[0].trim()).filter(Boolean);
}

/** An approved FAQ's text, split by its layout. */
export interface FaqParts {
  /** Question variants, one per line of the first block. */
  questions: string[];
  /** The agency's answer (everything between the questions and the basis line). */
  answer: string;
  /** The `Căn cứ: …` line, when the FAQ has citations. */
  basis?: string;
}

/**
 * Splits an FAQ unit's text: question variants, a blank line, the answer, and optionally a
 * blank line and a line starting `Căn cứ:`. Text that does not follow the layout (no blank
 * line) is all answer, so nothing is ever lost from a quote.
 */
export function faqParts(text: string): FaqParts {
  const blocks = text.replace(/\r\n?/g, '\n').trim().split(/\n[ \t]*\n/);
  if (blocks.length < 2) return { questions: [], answer: text.trim() };
  const questions = blocks[0].split('\n').map((l) => l.trim()).filter(Boolean);
  let rest = blocks.slice(1);
  let basis: string | undefined;
  const last = rest[rest.length - 1].trim();
  if (rest.length > 1 && /^căn cứ\s*:/iu.test(last)) {
    basis = last;
    rest = rest.slice(0, -1);
  }
  return { questions, answer: rest.join('\n\n').trim(), ...(basis ? { basis } : {}) };
}
