/**
 * The retriever: guards → query analysis → lexical ranking (+ vector signals) →
 * calibrated confidence → extractive answer with citations (→ optional verified LLM rewrite).
 */
import type { Embeddings } from '@langchain/core/embeddings';
import type { Logger } from 'pino';
import { composeAnswer, composeCitations, displayTitle } from './compose.ts';
import { confidenceOf, type ConfidenceFeatures, type ConfidenceModel } from './confidence.ts';
import type { Corpus } from './corpus.ts';
import type { CorpusEmbeddings } from './corpus-embeddings.ts';
import { checkMessage } from './guards.ts';
import { LawNames } from './law-names.ts';
import type { LexicalParams } from './lexical-index.ts';
import { DEFAULT_RANK, type LexicalRanker, type RankedEntry, type RankParams } from './lexical-ranker.ts';
import { LexiconMatcher } from './lexicon.ts';
import type { AbstainReason, AskResult, ClarifyOption, Outcome } from '../domain/answer.ts';
import { fold } from '../domain/fold.ts';
import type { LexiconEntry } from './lexicon-data.ts';
import { LEXICON } from './lexicon-data.ts';
import { abstainMessage } from './messages.ts';
import { DEFAULT_QUERY, isTopic, QueryAnalyzer, type AnalyzedQuery, type QueryParams } from './query.ts';
import { combineAnswers, splitQuestions } from './questions.ts';
import type { RerankVector } from './rerank-model.ts';
import { rewriteAnswer, type LlmOptions } from './rewrite.ts';
import { TypoRepairer } from './typo.ts';
import { typoModelFor } from './typo-model.ts';
import type { AskOptions, SearchHit } from './types.ts';
import type { VectorIndex } from './vector-index.ts';

export type EmbeddingsKind = 'corpus' | 'openai' | 'transformers' | 'none';

/** Everything a built (or loaded) index consists of. */
export interface EngineParts {
  corpus: Corpus;
  ranker: LexicalRanker;
  lexicalParams: LexicalParams;
  embeddingsKind: EmbeddingsKind;
  /** Synchronous corpus embeddings (kind 'corpus'). */
  corpusEmbeddings?: CorpusEmbeddings;
  /** Asynchronous embeddings (kind 'openai'): used by ask(), not by the synchronous search(). */
  externalEmbeddings?: Embeddings;
  vectors?: VectorIndex;
  revision: number;
}

export interface EngineSettings {
  abstainThreshold: number;
  /**
   * Confidence under which nothing fits and the question goes to a person; between it and
   * `abstainThreshold` Loa asks which of the close candidates the citizen means. Default 0.1.
   */
  clarifyFloor?: number;
  agencyName?: string;
  logger?: Logger;
  llm?: LlmOptions;
  lexicon?: readonly LexiconEntry[];
  /** A recalibrated confidence model (`loa calibrate`); the shipped one otherwise. */
  confidence?: ConfidenceModel;
  query?: QueryParams;
  rank?: RankParams;
}

/** A detailed answer: the AskResult plus the ranking behind it (for evaluation). */
export interface DetailedAnswer {
  result: AskResult;
  hits: SearchHit[];
  features?: ConfidenceFeatures;
}

/** Entries pulled in from the vector index that the lexical ranking may have missed. */
const VECTOR_RECALL = 10;
/** A runner-up within this share of the top score is cited too. */
const SECOND_CITATION = 0.92;
/** Passages handed to the spokesperson when Loa abstains for weak evidence. */
const CANDIDATES = 5;
/** An approved FAQ whose question variant overlaps the question this much (Jaccard) answers it. */
const FAQ_MATCH = 0.6;
/** Confidence is scaled by this when the question asks for a kind of content the top passage lacks. */
const KIND_MISSING_FACTOR = 0.5;
/** Default confidence under which Loa hands over instead of asking which candidate was meant. */
export const DEFAULT_CLARIFY_FLOOR = 0.1;
/** Candidates offered in a clarifying question: at most this many, each within this share of the top score. */
const CLARIFY_OPTIONS = 3;
const CLARIFY_SHARE = 0.6;
/** Longest option label (Telegram buttons and Zalo lines stay on one line of a phone). */
const LABEL_MAX = 60;

/** Compiled lexicons by entry list: a rebuilt index swapped in with the same lexicon reuses it (compiling costs ~100 ms). */
const matchers = new WeakMap<readonly LexiconEntry[], LexiconMatcher>();
function matcherFor(lexicon: readonly LexiconEntry[]): LexiconMatcher {
  let m = matchers.get(lexicon);
  if (!m) matchers.set(lexicon, (m = new LexiconMatcher(lexicon)));
  return m;
}

export class RetrievalEngine {
  readonly analyzer: QueryAnalyzer;
  readonly rankParams: RankParams;
  private readonly lawNames: LawNames;

  constructor(
    readonly parts: EngineParts,
    readonly settings: EngineSettings,
  ) {
    const { ranker, corpus } = parts;
    this.lawNames = new LawNames(corpus.docs);
    this.analyzer = new QueryAnalyzer(
      {
        vocab: ranker.vocab,
        typo: new TypoRepairer(typoModelFor(ranker.vocab, ranker.data.articles)),
        lexicon: matcherFor(settings.lexicon ?? LEXICON),
        lawNames: this.lawNames,
      },
      settings.query ?? DEFAULT_QUERY,
    );
    this.rankParams = settings.rank ?? DEFAULT_RANK;
  }

  get revision(): number {
    return this.parts.revision;
  }

  /** The analysed query as plain text (expansions included), for corpus embeddings. */
  private static queryText(q: AnalyzedQuery): string {
    return q.slots.map((p) => p.map((s) => s.text).join(' ')).join(' , ');
  }

  private rankWith(q: AnalyzedQuery, k: number, qv: Float32Array | undefined, withFeatures = false): RankedEntry[] {
    const { vectors } = this.parts;
    const useVectors = qv && vectors && vectors.size > 0;
    const extra = useVectors ? vectors.knn(qv, VECTOR_RECALL).map((x) => x.entry) : [];
    const sim = useVectors ? (e: number) => vectors.similarity(qv, e) : undefined;
    return this.parts.ranker.rank(q, k, this.rankParams, sim, extra, withFeatures);
  }

  private toHits(ranked: readonly RankedEntry[]): SearchHit[] {
    const { entries, clauses } = this.parts.corpus;
    return ranked.map((r) => ({
      id: entries[r.entry].id,
      score: Math.round(r.score * 1e4) / 1e4,
      ...(r.clause >= 0 ? { bestClauseId: clauses[r.clause].id } : {}),
    }));
  }

  /** The candidate pool of a question with each candidate's signals (for training the learned rerank). */
  candidates(question: string, k = 40): { id: string; features: RerankVector }[] {
    if (this.parts.corpus.entries.length === 0 || !question.trim()) return [];
    const q = this.analyzer.analyze(question);
    const ce = this.parts.corpusEmbeddings;
    const qv = ce ? ce.embedSync(RetrievalEngine.queryText(q)) : undefined;
    const { entries } = this.parts.corpus;
    return this.rankWith(q, k, qv, true).map((r) => ({ id: entries[r.entry].id, features: r.features! }));
  }

  /** Synchronous ranking (lexical + corpus vectors when available). */
  search(query: string, k = 10, options: AskOptions = {}): SearchHit[] {
    if (this.parts.corpus.entries.length === 0 || !query.trim()) return [];
    const q = this.analyzer.analyze(query, options.history);
    const ce = this.parts.corpusEmbeddings;
    const qv = ce ? ce.embedSync(RetrievalEngine.queryText(q)) : undefined;
    return this.toHits(this.rankWith(q, k, qv));
  }

  private async queryVector(question: string, q: AnalyzedQuery): Promise<Float32Array | undefined> {
    const { corpusEmbeddings, externalEmbeddings } = this.parts;
    if (corpusEmbeddings) return corpusEmbeddings.embedSync(RetrievalEngine.queryText(q));
    if (externalEmbeddings) {
      try {
        return Float32Array.from(await externalEmbeddings.embedQuery(question));
      } catch (e) {
        this.settings.logger?.warn({ event: 'embeddings_failed', err: (e as Error).message }, 'query embedding failed; lexical only');
      }
    }
    return undefined;
  }

  /** Number of entries containing a folded phrase (approximate for long phrases). */
  private mentions(phrase: string): number {
    const { vocab, articles } = this.parts.ranker.data;
    const ids = phrase.split(' ').map((s) => vocab.foldId(s));
    if (ids.some((i) => i < 0)) return 0;
    if (ids.length === 1) return articles.df(vocab.foldedTerm(ids[0]));
    let min = Infinity;
    for (let i = 0; i + 1 < ids.length; i++) min = Math.min(min, articles.df(vocab.foldedBigramTerm(ids[i], ids[i + 1])));
    return min;
  }

  features(q: AnalyzedQuery, ranked: readonly RankedEntry[]): ConfidenceFeatures {
    const { ranker } = this.parts;
    const top = ranked[0];
    const qt = ranker.questionTerms(q);
    let attainable = 0;
    for (let i = 0; i < q.terms.length; i++) attainable += q.weights[i] * ranker.data.articles.maxImpact(q.terms[i]);
    let unknown = 0;
    let total = 0;
    qt.terms.forEach((t, i) => {
      total += qt.idf[i];
      if (t < 0) unknown += qt.idf[i];
    });
    const second = ranked[1]?.score ?? 0;
    return {
      normScore: attainable > 0 && top ? Math.min(top.lexicalScore / attainable, 1.5) : 0,
      coverage: top?.coverage ?? 0,
      margin: top && top.score > 0 ? Math.max(0, (top.score - second) / top.score) : 0,
      docShare: top?.docShare ?? 0,
      bigramCover: top ? ranker.contentBigramCover(top.entry, q) : 0,
      vectorSim: top?.vectorSim ?? 0,
      unknownShare: total > 0 ? unknown / total : 1,
      headingMatch: top?.headingUni ?? 0,
      missingIdf: top?.missingIdf ?? 0,
      novelBigrams: ranker.novelBigramShare(q),
      coverageTop3: Math.max(0, ...ranked.slice(0, 3).map((r) => r.coverage)),
      questionInHeading: Math.max(0, ...ranked.slice(0, 3).map((r) => ranker.questionInHeading(r.entry, q))),
      contentLength: q.contentLength,
      kindMissing: top?.kindMissing ?? 0,
      kindMatch: top?.kindMatch ?? 0,
      passage: top && this.parts.corpus.entries[top.entry].kind !== 'article' && this.parts.corpus.entries[top.entry].kind !== 'clause' ? 1 : 0,
    };
  }

  private abstain(reason: AbstainReason, confidence = 0, detail?: string): AskResult {
    const agency = this.settings.agencyName;
    const answer =
      detail === 'small talk'
        ? `Xin chào! Tôi là trợ lý trả lời câu hỏi về chính sách, pháp luật dựa trên văn bản chính thức của ${agency ?? 'cơ quan'}. Bạn hãy đặt câu hỏi cụ thể (ví dụ: “Đăng ký tạm trú cần giấy tờ gì?”). Câu hỏi tôi không trả lời được sẽ được chuyển tới cán bộ phát ngôn; bạn cũng có thể chọn “Gặp cán bộ” bất cứ lúc nào.`
        : abstainMessage(reason, agency);
    return { outcome: outcomeOf(reason), answer, citations: [], confidence: Math.round(confidence * 1000) / 1000, abstained: true, reason };
  }

  /** Answers from the unit a citizen chose among clarify options. */
  async answerFrom(question: string, unitId: string): Promise<AskResult> {
    const { corpus } = this.parts;
    const entry = corpus.entries.findIndex((e) => e.id === unitId);
    if (entry < 0) return this.abstain('low_confidence');
    const q = this.analyzer.analyze(question);
    const ranked = this.parts.ranker.rank(q, 1, this.rankParams, undefined, [entry]).find((r) => r.entry === entry);
    const composed = composeAnswer({
      corpus,
      picks: [{ entry, clause: ranked?.clause ?? -1, score: ranked?.score ?? 1 }],
      questionWeights: this.questionWeights(q),
      agencyName: this.settings.agencyName,
    });
    return { outcome: 'answer', answer: composed.answer, ...(composed.more ? { more: composed.more } : {}), citations: composed.citations, confidence: 1, abstained: false };
  }

  /** The answer plus the ranking behind it. */
  async askDetailed(question: string, options: AskOptions = {}, k = 10): Promise<DetailedAnswer> {
    const { corpus } = this.parts;
    const log = this.settings.logger;
    const verdict = checkMessage(question, (p) => this.mentions(p));
    if (corpus.entries.length === 0) return { result: this.abstain(verdict?.reason ?? 'no_knowledge'), hits: [] };
    if (verdict?.reason === 'empty_question') return { result: this.abstain('empty_question', 0, verdict.detail), hits: [] };
    const several = verdict ? undefined : splitQuestions(question);
    if (several) {
      // Each question with the story around it; the one reply answers them in the order asked.
      const parts = await Promise.all(several.questions.map((q) => this.askDetailed(q, options, k)));
      const combined = combineAnswers(several.asked, parts.map((p) => p.result));
      if (combined) return { result: combined, hits: parts[0].hits, features: parts[0].features };
    }
    const q = this.analyzer.analyze(question, options.history);
    const qv = await this.queryVector(question, q);
    const ranked = this.rankWith(q, Math.max(k, CANDIDATES), qv);
    const hits = this.toHits(ranked.slice(0, k));
    if (verdict) {
      log?.debug({ event: 'guard', reason: verdict.reason, detail: verdict.detail }, 'question declined before retrieval');
      return { result: this.abstain(verdict.reason, 0, verdict.detail), hits };
    }
    if (ranked.length === 0) return { result: this.abstain('low_confidence'), hits };
    const features = this.features(q, ranked);
    let confidence = confidenceOf(features, this.settings.confidence);
    // A question about a time, an amount or a place is not answered by a passage that has none,
    // however well its words match: the fitted weight alone does not always say so.
    if (features.kindMissing) confidence *= KIND_MISSING_FACTOR;
    // A question naming the article and its law has been answered by finding it; so has one
    // asked in the words of an approved FAQ.
    if (ranked[0].explicit) confidence = Math.max(0.95, confidence);
    if (ranked[0].faqMatch >= FAQ_MATCH) confidence = Math.max(0.9, confidence);
    const weights = this.questionWeights(q);
    const tied = this.sameHeadingElsewhere(q, ranked);
    if (confidence < this.settings.abstainThreshold || tied) {
      const candidates = composeCitations({
        corpus,
        picks: ranked.slice(0, CANDIDATES).map((p) => ({ entry: p.entry, clause: p.clause, score: p.score })),
        questionWeights: weights,
        agencyName: this.settings.agencyName,
      });
      const options = confidence >= (this.settings.clarifyFloor ?? DEFAULT_CLARIFY_FLOOR) || tied ? this.clarifyOptions(ranked) : [];
      if (options.length > 0) {
        const result: AskResult = {
          outcome: 'clarify',
          answer: clarifyText(options),
          options,
          citations: [],
          confidence: Math.round(confidence * 1000) / 1000,
          abstained: true,
          reason: 'low_confidence',
          candidates,
        };
        return { result, hits, features };
      }
      return { result: { ...this.abstain('low_confidence', confidence), candidates }, hits, features };
    }
    const picks = [ranked[0]];
    if (ranked[1] && ranked[1].score >= SECOND_CITATION * ranked[0].score) picks.push(ranked[1]);
    const composed = composeAnswer({
      corpus,
      picks: picks.map((p) => ({ entry: p.entry, clause: p.clause, score: p.score })),
      questionWeights: weights,
      agencyName: this.settings.agencyName,
    });
    let answer = composed.answer;
    if (this.settings.llm) {
      const rewritten = await rewriteAnswer(this.settings.llm, question, composed.citations, this.settings.agencyName ?? 'cơ quan', log);
      if (rewritten) answer = withStatusNotes(rewritten, composed.answer);
    }
    const result: AskResult = {
      outcome: 'answer',
      answer,
      ...(composed.more ? { more: composed.more } : {}),
      citations: composed.citations,
      confidence: Math.round(confidence * 1000) / 1000,
      abstained: false,
    };
    return { result, hits, features };
  }

  /**
   * The top two entries carry the same heading in different documents ("Nội quy phiên tòa"
   * in civil and in criminal procedure) with nearly the same score, and the question names
   * neither document: only the citizen knows which one is meant.
   */
  private sameHeadingElsewhere(q: AnalyzedQuery, ranked: readonly RankedEntry[]): boolean {
    const [a, b] = ranked;
    if (!a || !b || q.steer.length > 0 || b.score < 0.97 * a.score) return false;
    const { entries } = this.parts.corpus;
    const ea = entries[a.entry];
    const eb = entries[b.entry];
    if (ea.doc === eb.doc || !ea.heading || !eb.heading) return false;
    const bare = (h: string) => fold(h.replace(/^\s*Điều\s+\d+[a-z]?\s*[.:]\s*/iu, '')).toLowerCase().trim();
    return bare(ea.heading) === bare(eb.heading);
  }

  /** Close candidates as short labels: "Tặng cho tài sản có điều kiện – Bộ luật Dân sự". */
  private clarifyOptions(ranked: readonly RankedEntry[]): ClarifyOption[] {
    const { corpus } = this.parts;
    const top = ranked[0]?.score ?? 0;
    const out: ClarifyOption[] = [];
    const seen = new Set<string>();
    for (const r of ranked) {
      if (out.length >= CLARIFY_OPTIONS || r.score < CLARIFY_SHARE * top) break;
      const e = corpus.entries[r.entry];
      const label = optionLabel(e.heading ?? e.section, displayTitle(corpus.docs[e.doc]));
      if (seen.has(label)) continue;
      seen.add(label);
      out.push({ id: e.id, label });
    }
    return out;
  }

  /** The question's syllables (folded) with their weights (idf; expansions count half), for choosing what to quote. */
  private questionWeights(q: AnalyzedQuery): Map<string, number> {
    const weights = new Map<string, number>();
    const { vocab, articles } = this.parts.ranker.data;
    for (const phrase of q.slots)
      for (const s of phrase) {
        if (s.folded < 0) continue;
        const w = articles.idf(vocab.foldedTerm(s.folded)) * (isTopic(s) ? 1 : 0.5);
        const key = fold(s.text);
        weights.set(key, Math.max(weights.get(key) ?? 0, w));
      }
    return weights;
  }

  async ask(question: string, options: AskOptions = {}): Promise<AskResult> {
    return (await this.askDetailed(question, options)).result;
  }
}

/** "Tặng cho tài sản có điều kiện – Bộ luật Dân sự", cut to fit a button. */
export function optionLabel(heading: string, docTitle: string): string {
  const topic = heading.replace(/^\s*Điều\s+\d+[a-z]?\s*[.:]\s*/iu, '').trim() || heading;
  const doc = docTitle.replace(/\s*\([^)]*\)\s*$/u, '').trim();
  const full = `${topic} – ${doc}`;
  if (full.length <= LABEL_MAX) return full;
  if (topic.length <= LABEL_MAX) return topic;
  return `${topic.slice(0, LABEL_MAX - 1).replace(/\s+\S*$/u, '')}…`;
}

/** The clarifying question as plain text (channels without buttons show it as it is). */
export function clarifyText(options: readonly ClarifyOption[]): string {
  const lines = options.map((o, i) => `${i + 1}. ${o.label}`);
  return `Có phải bạn hỏi về:\n${lines.join('\n')}\nBạn chọn một mục (hoặc gõ số thứ tự); nếu không phải, chọn “Không phải — gặp cán bộ”.`;
}

/** Weak evidence goes to a person; everything else Loa declines politely without an escalation. */
function outcomeOf(reason: AbstainReason): Outcome {
  return reason === 'low_confidence' || reason === 'no_knowledge' ? 'handoff' : 'decline';
}

/** Keeps the fixed "(Lưu ý: …)" status notes of the extractive answer in a rewritten one. */
function withStatusNotes(rewritten: string, extractive: string): string {
  const notes = [...extractive.matchAll(/\(Lưu ý: [^)]*\)/g)].map((m) => m[0]);
  const missing = notes.filter((n) => !rewritten.includes(n));
  return missing.length ? `${rewritten} ${[...new Set(missing)].join(' ')}` : rewritten;
}
