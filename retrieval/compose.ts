/**
 * Extractive answers: the best clause or sentences of the top entries, quoted verbatim with
 * numbered markers, after a short lead naming the source ("Theo khoản 1 Điều 20 Luật Cư trú").
 * Nothing is written that is not in a cited passage except fixed connective phrases.
 */
import type { Citation } from '../domain/citation.ts';
import { fold } from '../domain/fold.ts';
import type { Corpus, CorpusDoc, CorpusEntry } from './corpus.ts';
import { basisLines, faqParts, withoutBasis, type FaqParts } from './unit-text.ts';
import { knownName } from './law-names.ts';
import { tokenize } from './vietnamese.ts';

/** Longest quote before sentences are selected instead of quoting the whole passage. */
const MAX_QUOTE = 700;
/** Articles longer than this are cited by their best clause rather than whole. */
const WHOLE_ARTICLE = 400;

export interface ComposeInput {
  corpus: Corpus;
  /** Entries to cite, best first, each with its best clause (index into corpus.clauses or -1). */
  picks: { entry: number; clause: number; score: number }[];
  /** The question's content syllables (folded) with their weights (idf). */
  questionWeights: Map<string, number>;
  agencyName?: string;
}

export interface Composed {
  answer: string;
  /** The rest ("Xem thêm"): the fuller passage and a second source; absent when the answer is whole. */
  more?: string;
  citations: Citation[];
}

/** The name a citizen recognises: a bare number is replaced by the code's common name. */
export function displayTitle(doc: CorpusDoc): string {
  if (/^\s*\d+\/\d{4}\//.test(doc.title)) return knownName(doc.title) ?? `Văn bản số ${doc.title}`;
  return doc.title;
}

/** "khoản 2 Điều 20" for a clause, "Điều 20" for an article, the section otherwise. */
function locator(e: CorpusEntry): string {
  if (e.kind === 'clause' && e.clauseNo && e.articleNo) return `khoản ${e.clauseNo} Điều ${e.articleNo}`;
  if (e.articleNo) return `Điều ${e.articleNo}`;
  return e.section;
}

/** Sentences (and list lines: "a) …") of a passage, as exact substrings in order. */
export function splitSentences(text: string): string[] {
  return sentenceParts(text).map((p) => p.text);
}

/** A bare list marker ("1.", "a)") the segmenter cuts off its sentence. */
const MARKER_ONLY = /^(\d+[a-z]?\.|[a-zđ]\))$/iu;

/** Sentences with whether each starts a new line (so a quote keeps the passage's line breaks). */
function sentenceParts(text: string): { text: string; newLine: boolean }[] {
  const out: { text: string; newLine: boolean }[] = [];
  const seg = new Intl.Segmenter('vi', { granularity: 'sentence' });
  for (const line of text.split(/\n+/)) {
    const l = line.trim();
    if (!l) continue;
    let first = true;
    let marker = '';
    for (const s of seg.segment(l)) {
      const t = s.segment.trim();
      if (!t) continue;
      if (MARKER_ONLY.test(t) && first) {
        marker = `${t} `;
        continue;
      }
      out.push({ text: `${marker}${t}`, newLine: first });
      marker = '';
      first = false;
    }
    if (marker) out.push({ text: marker.trim(), newLine: first });
  }
  return out;
}

function sentenceScore(sentence: string, weights: Map<string, number>): { score: number; covered: Set<string> } {
  const covered = new Set<string>();
  let score = 0;
  for (const t of tokenize(sentence).map(fold)) {
    const w = weights.get(t);
    if (w !== undefined && !covered.has(t)) {
      covered.add(t);
      score += w;
    }
  }
  return { score, covered };
}

/**
 * The passage to quote from a unit: all of it when short, otherwise the best sentences
 * (kept in document order, gaps marked with "…").
 */
export function selectQuote(text: string, weights: Map<string, number>, max = MAX_QUOTE, maxSentences = Infinity): string {
  // Blank lines between clauses/points carry no meaning in a quote.
  const clean = text.trim().replace(/\n\s*\n+/g, '\n');
  if (clean.length <= max && splitSentences(clean).length <= maxSentences) return clean;
  const parts = sentenceParts(clean);
  const sentences = parts.map((p) => p.text);
  const scored = sentences.map((s, i) => ({ i, s, ...sentenceScore(s, weights) }));
  const chosen = new Set<number>();
  const covered = new Set<string>();
  let length = 0;
  // Greedy: each step takes the sentence adding the most uncovered question weight.
  for (;;) {
    let best = -1;
    let gain = 0;
    for (const c of scored) {
      if (chosen.size >= maxSentences) break;
      if (chosen.has(c.i) || length + c.s.length > max) continue;
      let g = 0;
      for (const t of c.covered) if (!covered.has(t)) g += weights.get(t) ?? 0;
      if (g > gain) {
        gain = g;
        best = c.i;
      }
    }
    if (best < 0) break;
    chosen.add(best);
    length += scored[best].s.length;
    for (const t of scored[best].covered) covered.add(t);
  }
  if (chosen.size === 0) {
    const first = sentences[0] ?? clean;
    return first.length <= max ? first : `${first.slice(0, max).replace(/\s+\S*$/, '')} …`;
  }
  const order = [...chosen].sort((a, b) => a - b);
  let quote = '';
  order.forEach((i, k) => {
    if (k === 0 && i > 0) quote += '… ';
    else if (k > 0) quote += order[k - 1] === i - 1 ? (parts[i].newLine ? '\n' : ' ') : ' … ';
    quote += sentences[i];
  });
  if (order[order.length - 1] < sentences.length - 1) quote += ' …';
  return quote;
}

function statusNote(doc: CorpusDoc): string {
  switch (doc.status) {
    case 'superseded':
      return doc.supersededBy
        ? ` (Lưu ý: văn bản này đã được thay thế bởi ${doc.supersededBy}; quy định trên có thể không còn áp dụng.)`
        : ' (Lưu ý: văn bản này đã được thay thế; quy định trên có thể không còn áp dụng.)';
    case 'expired':
      return ' (Lưu ý: văn bản này đã hết hiệu lực; quy định trên không còn áp dụng.)';
    case 'amended':
      return doc.supersededBy
        ? ` (Lưu ý: văn bản này đã được sửa đổi, bổ sung bởi ${doc.supersededBy}.)`
        : ' (Lưu ý: văn bản này đã được sửa đổi, bổ sung; vui lòng đối chiếu quy định hiện hành.)';
    default:
      return '';
  }
}

/** The unit an entry is cited by (its best clause when the article is long) and the quote from it. */
function cited(corpus: Corpus, p: ComposeInput['picks'][number], weights: Map<string, number>): { unit: CorpusEntry; quote: string; faq?: FaqParts } {
  const entry = corpus.entries[p.entry];
  if (entry.kind === 'faq') {
    // The citizen gets the agency's answer, not the list of ways the question was asked.
    const faq = faqParts(entry.text);
    return { unit: entry, quote: selectQuote(faq.answer || entry.text, weights), faq };
  }
  const clause = p.clause >= 0 ? corpus.clauses[p.clause] : undefined;
  // Quote the best clause when the article is long; a short article is quoted whole.
  const unit: CorpusEntry = clause && entry.text.length > WHOLE_ARTICLE ? clause : entry;
  return { unit, quote: selectQuote(unit.text, weights) };
}

function citationOf(corpus: Corpus, p: ComposeInput['picks'][number], unit: CorpusEntry, quote: string): Citation {
  const entry = corpus.entries[p.entry];
  const doc = corpus.docs[entry.doc];
  const isFaq = entry.kind === 'faq';
  return {
    id: unit.id,
    title: displayTitle(doc),
    section: unit.section,
    ...(doc.number ? { number: doc.number } : {}),
    ...(doc.url ? { url: doc.url } : {}),
    status: doc.status,
    quote,
    score: Math.round(p.score * 1e4) / 1e4,
    ...(doc.isSummary || isFaq ? { isSummary: true } : {}),
    kind: isFaq ? 'faq' : 'document',
  };
}

/** Citations of the given entries, with quotes, without an answer text (the candidates shown to an officer). */
export function composeCitations(input: ComposeInput): Citation[] {
  return input.picks.map((p) => {
    const { unit, quote } = cited(input.corpus, p, input.questionWeights);
    return citationOf(input.corpus, p, unit, quote);
  });
}

/** Characters of quoted text in the short answer: with the "Căn cứ" line it stays near 600. */
const SHORT_QUOTE = 420;
/** Sentences of the best passage in the short answer. */
const SHORT_SENTENCES = 3;
/** Characters of each passage in the "Xem thêm" continuation. */
const MORE_QUOTE = 1500;

/** "khoản 1 Điều 28 Luật Cư trú (68/2020/QH14)", "mục “Hồ sơ” của …", or the summary and its legal basis. */
function basisLine(doc: CorpusDoc, unit: CorpusEntry, title: string): string {
  if (doc.isSummary) {
    // The passage's own basis ("Căn cứ: Điều 28 khoản 1 Luật Cư trú 2020") is more precise than the summary's list.
    const own = basisLines(unit.text).map((l) => l.replace(/^\s*căn cứ( pháp lý)?\s*[:：]\s*/iu, '').replace(/[.\s]+$/u, ''));
    const list = own.length ? own : (doc.legalBasis ?? []);
    const basis = list.length ? `; căn cứ: ${list.slice(0, 2).join('; ')}${list.length > 2 ? '; …' : ''}` : '';
    const topic = title.replace(/^\s*tóm tắt\s*[:：\-–—]\s*/iu, '');
    return `bản tóm tắt “${topic}” (tài liệu tóm tắt, không phải văn bản quy phạm chính thức${basis})`;
  }
  const where = unit.kind === 'passage' ? `mục “${unit.heading ?? unit.section}” của` : locator(unit);
  const number = doc.number && !title.includes(doc.number) ? ` (${doc.number})` : '';
  return `${where} ${title}${number}`;
}

/** Share of the question's weight that a text covers. */
function weightCovered(text: string, weights: Map<string, number>): Set<string> {
  return sentenceScore(text, weights).covered;
}

/**
 * Builds the answer from the chosen entries: the answer first (the one to three sentences of
 * the best passage that answer the question), then "Căn cứ: …" naming document, article and
 * clause, about 600 characters in all; the fuller passage and a second source, when it adds
 * question words the first lacks, go to `more` ("Xem thêm"). A superseded or expired second
 * source is never quoted next to a current first one.
 */
export function composeAnswer(input: ComposeInput): Composed {
  const { corpus, picks, questionWeights } = input;
  const agency = input.agencyName ?? 'cơ quan';
  const citations: Citation[] = [];
  const main: string[] = [];
  const more: string[] = [];
  let firstCovered = new Set<string>();
  let firstActive = true;
  picks.forEach((p, i) => {
    const entry = corpus.entries[p.entry];
    const doc = corpus.docs[entry.doc];
    const active = doc.status !== 'superseded' && doc.status !== 'expired';
    if (i > 0 && firstActive && !active) return;
    const { unit, faq } = cited(corpus, p, questionWeights);
    // A summary passage's basis line goes to "Căn cứ", not into the quote.
    const source = faq ? faq.answer || entry.text : doc.isSummary ? withoutBasis(unit.text) || unit.text : unit.text;
    const short = selectQuote(source, questionWeights, SHORT_QUOTE, SHORT_SENTENCES);
    const long = selectQuote(source, questionWeights, MORE_QUOTE);
    const covered = weightCovered(long, questionWeights);
    if (i > 0 && ![...covered].some((t) => !firstCovered.has(t))) return; // adds nothing the first did not say
    const n = citations.length + 1;
    const citation = citationOf(corpus, p, unit, i === 0 ? short : long);
    citations.push(citation);
    if (i === 0) {
      firstCovered = covered;
      firstActive = active;
      if (faq) {
        // An approved answer speaks for the agency; its legal basis line says where it comes from.
        main.push(`Câu trả lời của ${agency} [${n}]:\n“${short}”${faq.basis ? `\n${faq.basis}` : ''}${statusNote(doc)}`);
      } else {
        main.push(`“${short}” [${n}]\nCăn cứ: ${basisLine(doc, unit, citation.title)}.${statusNote(doc)}`);
      }
      if (long.length > short.length + 40) {
        more.push(faq ? `Toàn văn câu trả lời của ${agency} [${n}]:\n“${long}”` : `Toàn văn ${basisLine(doc, unit, citation.title)} [${n}]:\n“${long}”`);
      }
      return;
    }
    const lead = faq ? `Ngoài ra, câu trả lời của ${agency} [${n}]` : `Ngoài ra, theo ${basisLine(doc, unit, citation.title)} [${n}]`;
    more.push(`${lead}:\n“${long}”${statusNote(doc)}`);
  });
  return { answer: main.join('\n\n'), ...(more.length ? { more: more.join('\n\n') } : {}), citations };
}
