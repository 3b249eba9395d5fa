/**
 * Several questions in one message: a citizen's letter often tells a story and then asks two
 * or three things ("… Em có được rút BHXH một lần không? Nếu được thì nộp hồ sơ ở đâu?").
 * Each question is answered on its own, with the story kept as context (age, dates, status
 * are in it), and the answers are put together in the order asked.
 */
import type { AskResult } from '../domain/answer.ts';
import type { Citation } from '../domain/citation.ts';

/** A question needs this many syllables to stand on its own ("Sao vậy?" does not). */
const MIN_WORDS = 4;
/** More questions than this are answered as one message (a questionnaire is for a person). */
const MAX_QUESTIONS = 3;

/**
 * The questions of a message (sentences ending in "?") and the story around them; undefined
 * when it asks fewer than two. Each question is returned as story + that question, so the
 * analyser treats the story as context for it.
 */
export function splitQuestions(message: string): { questions: string[]; asked: string[] } | undefined {
  const sentences = message
    .split(/(?<=[.?!…])\s+|\n+/u)
    .map((s) => s.trim())
    .filter(Boolean);
  const isQuestion = (s: string) => s.endsWith('?') && s.split(/\s+/u).length >= MIN_WORDS;
  const asked = sentences.filter(isQuestion);
  const distinct = [...new Set(asked.map((q) => q.toLowerCase()))];
  if (distinct.length < 2 || distinct.length > MAX_QUESTIONS) return undefined;
  const story = sentences.filter((s) => !isQuestion(s)).join(' ');
  return { asked, questions: asked.map((q) => (story ? `${story} ${q}` : q)) };
}

/** Renumbers the citation markers of one part ("[1]" → "[3]") after the parts before it. */
function shift(text: string, by: number): string {
  return by === 0 ? text : text.replace(/\[(\d+)\]/g, (_, n: string) => `[${Number(n) + by}]`);
}

/**
 * One reply for several questions: the answered ones in the order asked, numbered, each with
 * its basis; those Loa could not answer are named, so the citizen can ask a person about them.
 * Undefined when none was answered (the message is then handled as one question).
 */
export function combineAnswers(asked: readonly string[], results: readonly AskResult[]): AskResult | undefined {
  if (!results.some((r) => r.outcome === 'answer')) return undefined;
  const citations: Citation[] = [];
  const parts: string[] = [];
  const more: string[] = [];
  const open: string[] = [];
  results.forEach((r, i) => {
    if (r.outcome !== 'answer') {
      open.push(asked[i]);
      return;
    }
    const by = citations.length;
    citations.push(...r.citations);
    parts.push(`${i + 1}. ${asked[i]}\n${shift(r.answer, by)}`);
    if (r.more) more.push(`${i + 1}. ${shift(r.more, by)}`);
  });
  if (open.length) {
    parts.push(
      `Tôi chưa tìm thấy quy định đủ rõ để trả lời: ${open.map((q) => `“${q}”`).join('; ')}. Nếu cần, bạn chọn “Gặp cán bộ” để hỏi cán bộ về câu này.`,
    );
  }
  const answered = results.filter((r) => r.outcome === 'answer');
  return {
    outcome: 'answer',
    answer: parts.join('\n\n'),
    ...(more.length ? { more: more.join('\n\n') } : {}),
    citations,
    confidence: Math.min(...answered.map((r) => r.confidence)),
    abstained: false,
  };
}
