/**
 * Turns a question into weighted index terms: shorthand expansion, law-name detection,
 * everyday→legal lexicon, stop-phrase removal, typo repair, and a choice between the
 * accented and the folded term space depending on how the question was typed.
 */
import { questionKinds } from './answer-type.ts';
import { asksDefinition } from './definitions.ts';
import { isSmallTalk } from './guards.ts';
import type { LawNames } from './law-names.ts';
import type { LexiconMatcher } from './lexicon.ts';
import { expandShorthand } from './shorthand.ts';
import { removeStopPhrases } from './stop-phrases.ts';
import type { TypoRepairer } from './typo.ts';
import { hasDiacritics, tokenizePhrases, type Phrase } from './vietnamese.ts';
import { fold } from '../domain/fold.ts';
import type { Vocabulary } from './vocabulary.ts';

/** Weights of the parts of a query; tuned on ALQAC (see bench/retrieval.ts). */
export interface QueryParams {
  /** Weight of a bigram relative to a syllable. */
  bigramWeight: number;
  /** Weight of folded terms when the question is typed with diacritics. */
  foldedWeight: number;
  /** Weight of legal terms added by the lexicon. */
  lexiconWeight: number;
  /** Weight of the previous question's terms for an elliptic follow-up. */
  historyWeight: number;
  /** Weight of words that name a document: the name steers, it is not the topic. */
  lawNameWeight: number;
  stopPhrases: boolean;
  typoRepair: boolean;
  bigrams: boolean;
  folded: boolean;
}

export const DEFAULT_QUERY: QueryParams = {
  bigramWeight: 1,
  foldedWeight: 0.3,
  lexiconWeight: 0.6,
  historyWeight: 1,
  lawNameWeight: 0.5,
  stopPhrases: true,
  typoRepair: true,
  bigrams: true,
  folded: true,
};

/** What query analysis needs from the index. */
export interface QueryContext {
  vocab: Vocabulary;
  typo: TypoRepairer;
  lexicon: LexiconMatcher;
  lawNames: LawNames;
}

/** One query syllable with its weight on the accented and on the folded form. */
export interface Slot {
  text: string;
  accented: number;
  folded: number;
  wa: number;
  wf: number;
  /**
   * Where the slot came from: the question itself; 'everyday' question words the lexicon
   * translated; 'context' sentences of a long message before its question; 'law' words
   * naming a document; 'lexicon' legal expansions; 'history' the previous question.
   */
  origin: 'question' | 'everyday' | 'context' | 'lexicon' | 'history' | 'law';
}

/**
 * An everyday phrase of the question and its legal equivalents (folded syllable ids): an
 * entry that contains any alternative covers the phrase.
 */
export interface Concept {
  alternatives: number[][];
  /** The question's own syllables of the phrase (folded ids). */
  own: number[];
}

/** Slots that carry the question's topic (what coverage is measured on). */
export function isTopic(s: Pick<Slot, 'origin'>): boolean {
  return s.origin === 'question' || s.origin === 'everyday';
}

export interface AnalyzedQuery {
  /** Content phrases after expansion and stop-phrase removal. */
  phrases: Phrase[];
  slots: Slot[][];
  /** True when the question was typed with diacritics. */
  accentedMode: boolean;
  terms: Int32Array;
  weights: Float32Array;
  /** Documents the question names (indexes into the corpus' documents). */
  steer: number[];
  /** Everyday phrases the lexicon recognised. */
  lexiconMatches: string[];
  /** Typo repairs made: original → replacement. */
  repairs: [string, string][];
  /** Number of content syllables from the question itself. */
  contentLength: number;
  usedHistory: boolean;
  /** Article numbers the question names ("Điều 20" → "20"). */
  articleRefs: string[];
  /** Everyday phrases with their legal equivalents. */
  concepts: Concept[];
  /** Kinds of answer the question asks for (bits of ANSWER in answer-type.ts). */
  kinds: number;
  /** True when the question asks what a term means ("… là gì", "khái niệm …"). */
  definition: boolean;
}

/** Weight of the context sentences of a long message, relative to its question sentence. */
const CONTEXT_WEIGHT = 0.5;
/** A message needs this many content syllables before its last sentence is taken as the question. */
const LONG_MESSAGE = 20;

/** First-person and address words that mark a citizen telling their own story. */
const FIRST_PERSON_ACCENTED = new Set(['tôi', 'em', 'mình', 'cháu', 'tui', 'tao']);
const FIRST_PERSON = new Set([...FIRST_PERSON_ACCENTED].map(fold));

/** True for "tôi", "em", "mình"…; a word typed with diacritics must match them exactly ("tạo" is not "tao"). */
export function isFirstPerson(token: string): boolean {
  return hasDiacritics(token) ? FIRST_PERSON_ACCENTED.has(token) : FIRST_PERSON.has(token);
}

/** Words that make a clause a question (folded): "… được không", "… ở đâu", "bao nhiêu …". */
const QUESTION_WORDS = new Set(['khong', 'chua', 'gi', 'sao', 'nao', 'dau', 'ai', 'bao', 'may', 'j', 'ko', 'hok', 'k']);

/** True when a clause asks something (a question word, not only a story). */
function asksSomething(raw: readonly Phrase[]): boolean {
  return raw.some((p) => p.some((t) => QUESTION_WORDS.has(fold(t))));
}

/** Largest weight mass of the previous question relative to the follow-up's own words. */
const HISTORY_SHARE = 1;

const ELLIPTIC_START = [['con'], ['the', 'con'], ['vay', 'con'], ['neu'], ['truong', 'hop']];
const ELLIPTIC_END = [['thi', 'sao'], ['thi', 'the', 'nao'], ['thi', 'lam', 'sao'], ['thi', 'ra', 'sao']];

/** True when a question leans on the previous one ("còn con dưới 18 tuổi thì sao"). */
export function isElliptic(phrases: readonly Phrase[], contentLength: number): boolean {
  if (phrases.length === 0) return false;
  const all = phrases.flat().map(fold);
  const starts = ELLIPTIC_START.some((p) => p.every((s, i) => all[i] === s));
  const ends = ELLIPTIC_END.some((p) => p.every((s, i) => all[all.length - p.length + i] === s));
  return contentLength <= 3 || ((starts || ends) && contentLength <= 8);
}

function diacriticRatio(phrases: readonly Phrase[]): number {
  let alpha = 0;
  let marked = 0;
  for (const p of phrases)
    for (const t of p) {
      if (/\d/.test(t)) continue;
      alpha++;
      if (hasDiacritics(t)) marked++;
    }
  return alpha === 0 ? 0 : marked / alpha;
}

export class QueryAnalyzer {
  constructor(
    private readonly ctx: QueryContext,
    readonly params: QueryParams = DEFAULT_QUERY,
  ) {}

  private prepare(text: string): { raw: Phrase[]; content: Phrase[] } {
    const raw = tokenizePhrases(text).map((p) => expandShorthand(p));
    const content = this.params.stopPhrases ? removeStopPhrases(raw) : raw;
    return { raw, content };
  }

  /**
   * Splits a long message into context and question: citizens tell their story first and
   * ask last. Returns, per content phrase, whether it belongs to the context, and the text
   * of the question itself.
   */
  private split(question: string): { raw: Phrase[]; content: Phrase[]; context: boolean[]; asked: string } {
    const unit = (s: string) => ({ text: s, ...this.prepare(s) });
    let units = question
      .split(/(?<=[.?!…])\s+|\n+/u)
      .map((s) => s.trim())
      .filter(Boolean)
      .map(unit);
    const length = (list: typeof units) => list.reduce((n, s) => n + s.content.reduce((m, p) => m + p.length, 0), 0);
    const whole = () => {
      const content = units.flatMap((s) => s.content);
      return { raw: units.flatMap((s) => s.raw), content, context: content.map(() => false), asked: question };
    };
    if (length(units) < LONG_MESSAGE) return whole();
    const personal = (list: Phrase[]) => list.some((p) => p.some(isFirstPerson));
    // A long personal message typed as one run of clauses ("chào ad, em vào công ty được 5
    // tháng, …, giờ em có được hưởng … không ạ, em cảm ơn"): its clauses are what to tell apart.
    const clauses = personal(units.flatMap((u) => u.raw));
    if (clauses) units = units.flatMap((u) => u.text.split(/(?<=[,;])\s+/u).map((c) => c.trim()).filter(Boolean).map(unit));
    if (units.length < 2) return whole();
    const chat = units.map((u) => isSmallTalk(u.text));
    // The question: the last unit with a question mark, else the last with a question word,
    // else the last that is not a greeting or thanks; grown backwards to 4+ syllables.
    let q = units.map((u) => u.text.includes('?')).lastIndexOf(true);
    if (q < 0) q = units.map((u, i) => !chat[i] && asksSomething(u.raw)).lastIndexOf(true);
    if (q < 0) q = chat.lastIndexOf(false);
    if (q < 0) q = units.length - 1;
    let start = q;
    while (start > 0 && length(units.slice(start, q + 1)) < 4) start--;
    // Only a personal story is context ("tôi", "em", "nhà mình"…): a statement of law before a
    // question ("Anh C là công dân. … Đúng hay sai?") is part of what is asked.
    const raw = units.flatMap((s) => s.raw);
    const content = units.flatMap((s) => s.content);
    const context: boolean[] = [];
    units.forEach((s, si) => {
      const isContext = (si < start || si > q) && (clauses || chat[si] || personal(s.raw));
      for (let k = 0; k < s.content.length; k++) context.push(isContext);
    });
    const asked = units.slice(start, q + 1).map((s) => s.text).join(' ');
    return { raw, content, context, asked };
  }

  analyze(question: string, history: readonly string[] = []): AnalyzedQuery {
    const { vocab } = this.ctx;
    const { raw, content, context, asked } = this.split(question);
    const ratio = diacriticRatio(raw);
    const accentedMode = ratio >= 0.25;
    const trustPlain = ratio >= 0.6;
    const repairs: [string, string][] = [];
    const slots: Slot[][] = content.map((phrase, i) =>
      this.toSlots(phrase, accentedMode, trustPlain, context[i] ? 'context' : 'question', context[i] ? CONTEXT_WEIGHT : 1, repairs),
    );
    const names = this.ctx.lawNames.find(content);
    for (const span of names.spans) {
      for (let i = span.start; i < span.end; i++) {
        const s = slots[span.phrase][i];
        s.origin = 'law';
        s.wa *= this.params.lawNameWeight;
        s.wf *= this.params.lawNameWeight;
      }
    }
    const steer = [...names.docs];
    const lex = this.ctx.lexicon.expand(content);
    const concepts: Concept[] = [];
    const foldedIds = (p: Phrase) => p.map((t) => vocab.foldId(fold(t)));
    for (const span of lex.spans) {
      const own: number[] = [];
      for (let i = span.start; i < span.end; i++) {
        const s = slots[span.phrase][i];
        if (s.origin === 'question') s.origin = 'everyday';
        own.push(s.folded);
      }
      if (slots[span.phrase][span.start].origin !== 'everyday') continue; // inside a law name or context
      concepts.push({ own, alternatives: [own, ...span.legal.map(foldedIds)] });
    }
    const contentLength = slots.reduce((n, p) => n + p.filter(isTopic).length, 0);
    for (const legal of lex.legal) slots.push(this.toSlots(legal, true, true, 'lexicon', this.params.lexiconWeight, repairs));
    let usedHistory = false;
    const previous = history.length > 0 ? history[history.length - 1] : undefined;
    if (previous && isElliptic(raw, contentLength)) {
      usedHistory = true;
      const prev = this.prepare(previous);
      const pr = diacriticRatio(prev.raw);
      for (const p of prev.content) slots.push(this.toSlots(p, pr >= 0.25, pr >= 0.6, 'history', this.params.historyWeight, repairs));
      if (steer.length === 0) steer.push(...this.ctx.lawNames.match(prev.raw));
      // The follow-up's own words lead: the previous question adds at most this share of their mass.
      const mass = (origin: Slot['origin']) =>
        slots.reduce((m, p) => m + p.filter((s) => s.origin === origin).reduce((x, s) => x + Math.max(s.wa, s.wf), 0), 0);
      const own = mass('question') + mass('everyday');
      const past = mass('history');
      if (own > 0 && past > HISTORY_SHARE * own) {
        const k = (HISTORY_SHARE * own) / past;
        for (const p of slots)
          for (const s of p)
            if (s.origin === 'history') {
              s.wa *= k;
              s.wf *= k;
            }
      }
    }
    const acc = new Map<number, number>();
    const add = (t: number, w: number) => {
      if (t >= 0 && w > 0) acc.set(t, (acc.get(t) ?? 0) + w);
    };
    const { bigramWeight, bigrams, folded } = this.params;
    for (const phrase of slots) {
      for (let i = 0; i < phrase.length; i++) {
        const s = phrase[i];
        if (s.accented >= 0) add(vocab.unigramTerm(s.accented), s.wa);
        if (folded && s.folded >= 0) add(vocab.foldedTerm(s.folded), s.wf);
        const n = phrase[i + 1];
        if (!n || !bigrams) continue;
        if (s.accented >= 0 && n.accented >= 0) add(vocab.bigramTerm(s.accented, n.accented), bigramWeight * Math.min(s.wa, n.wa));
        if (folded && s.folded >= 0 && n.folded >= 0)
          add(vocab.foldedBigramTerm(s.folded, n.folded), bigramWeight * Math.min(s.wf, n.wf));
      }
    }
    const articleRefs: string[] = [];
    for (const p of raw)
      p.forEach((t, i) => {
        if (fold(t) === 'dieu' && i + 1 < p.length && /^\d+[a-z]?$/.test(p[i + 1])) articleRefs.push(p[i + 1]);
      });
    return {
      kinds: questionKinds(asked),
      definition: asksDefinition(asked),
      concepts,
      articleRefs,
      phrases: content,
      slots,
      accentedMode,
      terms: Int32Array.from(acc.keys()),
      weights: Float32Array.from(acc.values()),
      steer,
      lexiconMatches: lex.matched,
      repairs,
      contentLength,
      usedHistory,
    };
  }

  private toSlots(
    phrase: Phrase,
    accentedMode: boolean,
    trustPlain: boolean,
    origin: Slot['origin'],
    scale: number,
    repairs: [string, string][],
  ): Slot[] {
    const { vocab, typo } = this.ctx;
    const fw = this.params.folded ? this.params.foldedWeight : 0;
    const out: Slot[] = [];
    phrase.forEach((tok, i) => {
      let text = tok;
      const marked = hasDiacritics(tok);
      const digits = /\d/.test(tok);
      let a = vocab.sylId(text);
      let f = vocab.foldId(fold(text));
      // Two-letter syllables ("ai", "ở") have too many neighbours one edit away to repair safely.
      const canRepair = this.params.typoRepair && !digits && [...tok].length >= 3;
      if (accentedMode && marked && a < 0 && canRepair) {
        const fix = typo.repair(tok, phrase[i - 1], phrase[i + 1], true);
        if (fix) {
          repairs.push([tok, fix]);
          text = fix;
          a = vocab.sylId(fix);
          f = vocab.foldId(fold(fix));
        }
      } else if (f < 0 && canRepair) {
        const left = phrase[i - 1] ? fold(phrase[i - 1]) : undefined;
        const right = phrase[i + 1] ? fold(phrase[i + 1]) : undefined;
        const fix = typo.repair(fold(tok), left, right, false);
        if (fix) {
          repairs.push([tok, fix]);
          text = fix;
          f = vocab.foldId(fix);
          a = -1;
        }
      }
      let wa = 0;
      let wf = 1;
      if (accentedMode && a >= 0 && (marked || trustPlain)) {
        wa = 1;
        wf = this.params.folded ? fw : 0;
      } else if (accentedMode && a >= 0) {
        wa = 0.5;
        wf = 0.5;
      } else if (!this.params.folded && a >= 0) {
        wa = 1;
      }
      if (!this.params.folded && wa === 0) wf = 0;
      out.push({ text, accented: a, folded: f, wa: wa * scale, wf: wf * scale, origin });
    });
    return out;
  }
}
