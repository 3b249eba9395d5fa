/**
 * Lexical ranking of top-level entries in two stages:
 *  1. BM25F over the whole article and over each clause (the article keeps the larger of
 *     its own score and its best clause's), a boost for documents and articles the question
 *     names, a small preference for law in force;
 *  2. a rerank of the top entries by wording overlap (heading asked verbatim, shared
 *     bigrams/trigrams), agreement with the other top entries' law, vector similarity, a
 *     heading that answers the kind of question asked (place, time, amount…), and an
 *     approved FAQ asked in nearly the same words.
 * Weights were tuned on ALQAC 2023 and checked on ALQAC 2022 (bench/retrieval.ts) and on
 * the sample summaries' dev questions (bench/sample-kb.ts).
 */
import { CONTENT_KINDS, evidenceKinds, headingKinds } from './answer-type.ts';
import { indexBody, indexTitle, type Corpus } from './corpus.ts';
import { definedTerm, isDefinitionsHeading } from './definitions.ts';
import { DEFAULT_RERANK_MODEL, rerankScore, type RerankModel, type RerankVector } from './rerank-model.ts';
import { DEFAULT_LEXICAL, forEachTerm, LexicalIndex, type FieldTokens, type LexicalParams } from './lexical-index.ts';
import { isTopic, type AnalyzedQuery } from './query.ts';
import { expandShorthand } from './shorthand.ts';
import { removeStopPhrases } from './stop-phrases.ts';
import { faqParts } from './unit-text.ts';
import { fold, tokenizePhrases } from './vietnamese.ts';
import { Vocabulary } from './vocabulary.ts';

export interface RankParams {
  /** Weight of the best clause's score against the article's own score. */
  clauseWeight: number;
  /** 'add': article + w × clause; 'max': the larger of article and w × clause. */
  clauseMode: 'add' | 'max';
  /** Score multiplier for entries of documents the question names. */
  steerBoost: number;
  /** Score multiplier for superseded/expired documents: close calls go to law in force. */
  inactivePenalty: number;
  /** Bonus for the article a question names explicitly ("Điều 20 Luật Cư trú"); a fifth of it without a law name. */
  articleRefBonus: number;
  /** How many top entries the rerank looks at (0 disables it). */
  rerankDepth: number;
  /** Bonus factor for an entry whose heading the question repeats (× heading coverage²). */
  headingBonus: number;
  /** Weight of the share of the question's (folded) bigrams found in the entry. */
  bigramCoverWeight: number;
  /** Weight of the share of the question's (folded) trigrams found in the entry. */
  trigramCoverWeight: number;
  /** Weight of the entry's document's share of the top-10 score mass. */
  docShareWeight: number;
  /** Weight of the cosine similarity between question and entry vectors. */
  vectorWeight: number;
  /** Weight of (share of the heading's syllables in the query)² for short questions. */
  headingSyllableWeight: number;
  /**
   * Question length (content syllables) at which the heading-syllable weight has faded to 0;
   * it is whole up to half this length. Short questions paraphrase headings, long
   * statements copy the body.
   */
  shortQuestion: number;
  /** Bonus for an entry whose heading answers the kind of question asked ("… ở đâu", "Lệ phí …"). */
  kindWeight: number;
  /** Bonus for an approved FAQ × how closely one of its question variants matches the question (0..1). */
  faqWeight: number;
  /** Bonus for a definitions article whose clause defines the term a "… là gì?" question asks about (× the term's share of the question). */
  definitionWeight: number;
  /** The learned second stage over the candidates' signals; null keeps the hand-weighted rerank. */
  learned: RerankModel | null;
}

export const DEFAULT_RANK: RankParams = {
  clauseWeight: 0.85,
  clauseMode: 'max',
  steerBoost: 1.3,
  inactivePenalty: 0.8,
  articleRefBonus: 1,
  rerankDepth: 40,
  headingBonus: 0.2,
  bigramCoverWeight: 0.15,
  trigramCoverWeight: 0.1,
  docShareWeight: 0.3,
  vectorWeight: 0.1,
  headingSyllableWeight: 0.4,
  shortQuestion: 16,
  kindWeight: 0.45,
  faqWeight: 0.6,
  definitionWeight: 1,
  learned: DEFAULT_RERANK_MODEL ?? null,
};

export interface RankedEntry {
  entry: number;
  score: number;
  /** Index into corpus.clauses of the best clause, or -1. */
  clause: number;
  /** First-stage (BM25F) score. */
  lexicalScore: number;
  articleScore: number;
  clauseScore: number;
  /** Share of the question's idf mass the entry contains (0..1). */
  coverage: number;
  /** Largest idf (over the corpus maximum) of a question syllable the entry lacks (0..1). */
  missingIdf: number;
  /** Share of the entry heading's bigrams found in the question (0..1). */
  headingCoverage: number;
  /** Share of the heading's syllables found in the query (0..1). */
  headingUni: number;
  /** True when the question names this very article and its law ("Điều 20 Luật Cư trú"). */
  explicit: boolean;
  bigramCover: number;
  trigramCover: number;
  docShare: number;
  vectorSim: number;
  /** 1 when the entry's heading answers the kind of question asked. */
  kindMatch: number;
  /** 1 when the question asks for a kind of content (a place, a time, an amount…) the entry does not contain. */
  kindMissing: number;
  /** For an approved FAQ: overlap (Jaccard) of the question's words with its closest question variant (0..1). */
  faqMatch: number;
  /** For a definition question: the share of the question's topic that a clause of this definitions article defines (0..1). */
  definitionMatch: number;
  /** The signals the learned second stage weighs (see rerank-model.ts); filled only when it runs or they are asked for. */
  features?: RerankVector;
}

/** Tokens of a text as syllable ids with -1 at phrase boundaries. */
export function toIds(vocab: Vocabulary, text: string, register: boolean, freq?: number[]): Int32Array {
  const out: number[] = [];
  for (const phrase of tokenizePhrases(text)) {
    if (out.length) out.push(-1);
    for (const t of phrase) {
      const id = register ? vocab.addSyllable(t) : vocab.sylId(t);
      out.push(id);
      if (freq && id >= 0) freq[id] = (freq[id] ?? 0) + 1;
    }
  }
  return Int32Array.from(out);
}

export interface LexicalRankerData {
  vocab: Vocabulary;
  articles: LexicalIndex;
  clauses: LexicalIndex;
  clauseParent: Int32Array;
  entryDoc: Int32Array;
  inactiveDocs: Uint8Array;
  /** Article number of each entry, for explicit references ("Điều 20"). */
  entryArticle: (string | undefined)[];
  /** Folded bigram term ids of each entry's heading. */
  headingBigrams: Int32Array[];
  /** Distinct folded syllable ids of each entry's heading (for passages: those not naming the document's topic). */
  headingSyllables: Int32Array[];
  /** Kinds of question each entry's heading answers (bits of ANSWER). */
  headingKinds: Uint8Array;
  /** Kinds of content each entry contains (bits of ANSWER). */
  evidenceKinds: Uint8Array;
  /** For approved FAQs: the folded syllable ids of each question variant (stop phrases removed). */
  faqVariants: (Int32Array[] | undefined)[];
  /** For approved FAQs: the folded syllable ids of the approved answer. */
  faqAnswers: (Set<number> | undefined)[];
  /** For passages: the folded syllables of their document's topic and aliases (shared per document). */
  contextSyllables: (Set<number> | undefined)[];
  /** 1 for documents that implement a law (decrees, circulars, decisions). */
  implementingDocs: Uint8Array;
  /** Each entry's position in its document, 0 (first) … 1 (last). */
  entryPosition: Float32Array;
  /** For "Giải thích từ ngữ" articles: the term each clause defines (folded ids) and the clause. */
  definitions: { entry: number; clause: number; term: Int32Array }[];
  /** Folded syllable ids of every entry (heading, -1, body), concatenated. */
  entryTokens: Int32Array;
  entryTokenOffsets: Uint32Array;
}

/** Question words that glue a sentence together; they never form content bigrams (folded). */
const FUNCTION_WORDS = new Set(
  'thi duoc co la gi nao khong bao nhieu nhung cac cua va cho voi de khi neu da se dang bi phai nay do ai o tai trong ve theo tu mot nhu the sao vay ma hay hoac toi em minh ban can muon lam duoc'.split(' '),
);

/** Packs folded ids into one number key for bigram/trigram lookups. */
const K = 4194304;

export class LexicalRanker {
  constructor(readonly data: LexicalRankerData) {}

  get vocab(): Vocabulary {
    return this.data.vocab;
  }

  /** Builds vocabulary and both indexes from a prepared corpus. */
  static build(
    corpus: Corpus,
    params: LexicalParams = DEFAULT_LEXICAL,
    onProgress?: (done: number, total: number, stage: string) => void,
  ): LexicalRanker {
    const vocab = new Vocabulary();
    const freq: number[] = [];
    const total = corpus.entries.length + corpus.clauses.length;
    let done = 0;
    const tick = () => {
      done++;
      if (onProgress && (done % 2000 === 0 || done === total)) onProgress(done, total, 'tokenising');
    };
    const entryFields: FieldTokens[] = corpus.entries.map((e) => {
      tick();
      return { title: toIds(vocab, indexTitle(e), true, freq), body: toIds(vocab, indexBody(e), true, freq) };
    });
    const clauseFields: FieldTokens[] = corpus.clauses.map((c) => {
      tick();
      return { title: toIds(vocab, c.heading ?? '', true), body: toIds(vocab, c.text, true) };
    });
    const f = new Uint32Array(vocab.syllableCount);
    freq.forEach((n, i) => (f[i] = n ?? 0));
    vocab.freezeSyllables(f);
    const register = (t: FieldTokens) => {
      forEachTerm(vocab, t.title, params, true, () => {});
      forEachTerm(vocab, t.body, params, true, () => {});
    };
    entryFields.forEach(register);
    clauseFields.forEach(register);
    onProgress?.(0, 2, 'indexing');
    const articles = LexicalIndex.build(vocab, entryFields, params);
    onProgress?.(1, 2, 'indexing');
    const clauses = LexicalIndex.build(vocab, clauseFields, params);
    onProgress?.(2, 2, 'indexing');
    const { tokens, offsets } = foldedSequences(vocab, entryFields);
    return new LexicalRanker({
      vocab,
      articles,
      clauses,
      clauseParent: Int32Array.from(corpus.clauses.map((c) => c.parent)),
      ...corpusFacts(vocab, corpus),
      entryTokens: tokens,
      entryTokenOffsets: offsets,
    });
  }

  /** Combined first-stage entry scores and each entry's best clause. */
  firstStage(
    q: Pick<AnalyzedQuery, 'terms' | 'weights' | 'steer' | 'articleRefs'>,
    params: RankParams,
  ): { scores: Float32Array; bestClause: Int32Array; articleScores: Float32Array; clauseScores: Float32Array } {
    const { articles, clauses, clauseParent: parent, entryDoc, inactiveDocs } = this.data;
    const articleScores = new Float32Array(articles.docCount);
    const clauseScores = new Float32Array(clauses.docCount);
    articles.accumulate(q.terms, q.weights, articleScores);
    clauses.accumulate(q.terms, q.weights, clauseScores);
    const n = articleScores.length;
    const bestClause = new Int32Array(n).fill(-1);
    const bestScore = new Float32Array(n);
    for (let c = 0; c < clauseScores.length; c++) {
      const s = clauseScores[c];
      if (s > bestScore[parent[c]]) {
        bestScore[parent[c]] = s;
        bestClause[parent[c]] = c;
      }
    }
    const scores = new Float32Array(n);
    const steer = new Set(q.steer);
    for (let e = 0; e < n; e++) {
      const c = params.clauseWeight * bestScore[e];
      let s = params.clauseMode === 'add' ? articleScores[e] + c : Math.max(articleScores[e], c);
      if (s === 0) continue;
      const named = steer.size > 0 && steer.has(entryDoc[e]);
      if (named) s *= params.steerBoost;
      if (inactiveDocs[entryDoc[e]]) s *= params.inactivePenalty;
      scores[e] = s;
    }
    return { scores, bestClause, articleScores, clauseScores };
  }

  /** The question's own syllables as (term, idf) pairs, and its folded bigram/trigram keys. */
  questionTerms(q: Pick<AnalyzedQuery, 'slots' | 'concepts'>): QuestionTerms {
    const { vocab, articles } = this.data;
    const terms: number[] = [];
    const idf: number[] = [];
    const headingKeys = new Set<number>();
    const bigrams = new Map<number, number>();
    const trigrams = new Map<string, number>();
    const foldedAll = new Set<number>();
    const maxIdf = Math.log(1 + (articles.docCount + 0.5) / 0.5);
    const seen = new Set<number>();
    for (const phrase of q.slots) {
      phrase.forEach((s, i) => {
        const n = phrase[i + 1];
        const n2 = phrase[i + 2];
        if (n && s.folded >= 0 && n.folded >= 0) {
          const b = vocab.foldedBigramTerm(s.folded, n.folded);
          if (b >= 0) headingKeys.add(b);
          if (s.origin === 'question' && n.origin === 'question') {
            const bk = s.folded * K + n.folded;
            if (!bigrams.has(bk)) bigrams.set(bk, bigrams.size);
            if (n2 && n2.folded >= 0 && n2.origin === 'question') {
              const tk = `${bk}:${n2.folded}`;
              if (!trigrams.has(tk)) trigrams.set(tk, trigrams.size);
            }
          }
        }
        if (s.folded >= 0) foldedAll.add(s.folded);
        if (s.origin !== 'question') return;
        const t = s.wa >= s.wf && s.accented >= 0 ? vocab.unigramTerm(s.accented) : s.folded >= 0 ? vocab.foldedTerm(s.folded) : -1;
        if (t >= 0 && seen.has(t)) return;
        if (t >= 0) seen.add(t);
        terms.push(t);
        idf.push(t >= 0 ? articles.idf(t) : maxIdf);
      });
    }
    // Everyday phrases count as covered when the entry has them or any legal equivalent.
    const concepts = (q.concepts ?? []).map((c) => ({
      alternatives: c.alternatives.filter((a) => a.every((f) => f >= 0)).map((a) => a.map((f) => vocab.foldedTerm(f))),
      idf: c.own.reduce((sum, f) => sum + (f >= 0 ? articles.idf(vocab.foldedTerm(f)) : maxIdf), 0),
    }));
    return { terms, idf, headingKeys, bigrams, trigrams, foldedAll, concepts };
  }

  /** True when the entry contains every syllable of some alternative of a concept. */
  private coversConcept(entry: number, c: QuestionTerms['concepts'][number]): boolean {
    return c.alternatives.some((alt) => alt.length > 0 && alt.every((t) => this.data.articles.contains(t, entry)));
  }

  /**
   * Share of the question's content bigrams found in an entry, where function words
   * ("thì", "được", "có"…) split the question instead of forming bigrams: natural phrasing
   * ("tuổi thì được kết hôn") should not count against an answer that says "kết hôn".
   */
  /** The question's content bigrams (folded keys); function words split instead of joining. */
  private contentBigrams(q: Pick<AnalyzedQuery, 'slots'>): Map<number, number> {
    const { vocab } = this.data;
    const keys = new Map<number, number>();
    for (const phrase of q.slots) {
      for (let i = 0; i + 1 < phrase.length; i++) {
        const a = phrase[i];
        const b = phrase[i + 1];
        if (a.origin !== 'question' || b.origin !== 'question') continue;
        if (a.folded < 0 || b.folded < 0) {
          keys.set(-1 - keys.size, keys.size); // a syllable the corpus never uses: a novel bigram
          continue;
        }
        if (FUNCTION_WORDS.has(vocab.foldedForms[a.folded]) || FUNCTION_WORDS.has(vocab.foldedForms[b.folded])) continue;
        const k = a.folded * K + b.folded;
        if (!keys.has(k)) keys.set(k, keys.size);
      }
    }
    return keys;
  }

  /**
   * Share of the question's content bigrams that no entry of the corpus contains: wording of
   * a topic the documents never discuss ("trợ cấp thất nghiệp" in a corpus without labour law).
   */
  novelBigramShare(q: Pick<AnalyzedQuery, 'slots'>): number {
    const { vocab, articles } = this.data;
    const keys = this.contentBigrams(q);
    if (keys.size === 0) return 0;
    let novel = 0;
    for (const k of keys.keys()) {
      if (k < 0) {
        novel++;
        continue;
      }
      const t = vocab.foldedBigramTerm(Math.floor(k / K), k % K);
      if (t < 0 || articles.df(t) === 0) novel++;
    }
    return novel / keys.size;
  }

  contentBigramCover(entry: number, q: Pick<AnalyzedQuery, 'slots' | 'concepts'>): number {
    const keys = this.contentBigrams(q);
    const qt = this.questionTerms(q);
    const units = keys.size + qt.concepts.length;
    if (units === 0) return this.coverage(entry, qt).share;
    const cover = this.ngramCover(entry, { ...qt, bigrams: keys, trigrams: new Map() });
    const conceptHits = qt.concepts.filter((c) => this.coversConcept(entry, c)).length;
    return (cover.bigram * keys.size + conceptHits) / units;
  }

  /** Share of the question's idf mass that an entry (with its heading) contains. */
  coverage(entry: number, qt: QuestionTerms): { share: number; missingIdf: number } {
    let total = 0;
    let hit = 0;
    let missing = 0;
    qt.terms.forEach((t, i) => {
      total += qt.idf[i];
      if (t >= 0 && this.data.articles.contains(t, entry)) hit += qt.idf[i];
      else missing = Math.max(missing, qt.idf[i]);
    });
    for (const c of qt.concepts) {
      total += c.idf;
      if (this.coversConcept(entry, c)) hit += c.idf;
    }
    const maxIdf = Math.log(1 + (this.data.articles.docCount + 0.5) / 0.5);
    return { share: total > 0 ? hit / total : 0, missingIdf: maxIdf > 0 ? missing / maxIdf : 0 };
  }

  /** Share of an entry's heading bigrams that the question contains (1 = whole heading asked). */
  headingCoverage(entry: number, qt: QuestionTerms): number {
    const hb = this.data.headingBigrams[entry];
    if (!hb || hb.length === 0) return 0;
    let hit = 0;
    for (const b of hb) if (qt.headingKeys.has(b)) hit++;
    return hit / hb.length;
  }

  /** Share of the heading's syllables that the query uses (unigram view of the heading match). */
  headingSyllableCoverage(entry: number, qt: QuestionTerms): number {
    const hs = this.data.headingSyllables[entry];
    if (!hs || hs.length === 0) return 0;
    let hit = 0;
    for (const f of hs) if (qt.foldedAll.has(f)) hit++;
    return hit / hs.length;
  }

  /** Share of the question's own idf mass (its syllables) found in the entry's heading. */
  questionInHeading(entry: number, q: Pick<AnalyzedQuery, 'slots'>): number {
    return this.idfShareIn(new Set(this.data.headingSyllables[entry] ?? []), q);
  }

  /** Share of the question's topic syllables (by idf mass, folded) that `syllables` contains. */
  private idfShareIn(syllables: { has(folded: number): boolean }, q: Pick<AnalyzedQuery, 'slots'>): number {
    const { vocab, articles } = this.data;
    let total = 0;
    let hit = 0;
    const seen = new Set<number>();
    for (const phrase of q.slots)
      for (const s of phrase) {
        if (!isTopic(s) || s.folded < 0 || seen.has(s.folded)) continue;
        seen.add(s.folded);
        const w = articles.idf(vocab.foldedTerm(s.folded));
        total += w;
        if (syllables.has(s.folded)) hit += w;
      }
    return total > 0 ? hit / total : 0;
  }

  /** Shares of the question's bigrams and trigrams that occur in the entry's text. */
  ngramCover(entry: number, qt: QuestionTerms): { bigram: number; trigram: number } {
    const { entryTokens: toks, entryTokenOffsets: off } = this.data;
    const seenB = new Uint8Array(qt.bigrams.size);
    const seenT = new Uint8Array(qt.trigrams.size);
    let hb = 0;
    let ht = 0;
    for (let i = off[entry]; i + 1 < off[entry + 1]; i++) {
      const a = toks[i];
      const b = toks[i + 1];
      if (a < 0 || b < 0) continue;
      const key = a * K + b;
      const bi = qt.bigrams.get(key);
      if (bi === undefined) continue;
      if (!seenB[bi]) {
        seenB[bi] = 1;
        hb++;
      }
      const c = i + 2 < off[entry + 1] ? toks[i + 2] : -1;
      if (c < 0) continue;
      const ti = qt.trigrams.get(`${key}:${c}`);
      if (ti !== undefined && !seenT[ti]) {
        seenT[ti] = 1;
        ht++;
      }
    }
    return { bigram: qt.bigrams.size ? hb / qt.bigrams.size : 0, trigram: qt.trigrams.size ? ht / qt.trigrams.size : 0 };
  }

  /**
   * How closely an approved FAQ answers the question (0 for entries that are not FAQs), by
   * idf-weighted folded syllables: the harmonic mean of how much of its nearest question
   * variant the question says (legal expansions of the citizen's words count) and how much of
   * the question the variant or the approved answer says. Rewordings keep most of both;
   * "đăng ký tạm trú qua mạng" finds the FAQ asked as "… online" whose answer says "trực tuyến".
   * An agency's own answer to the very question asked beats any passage that merely discusses it.
   */
  faqMatch(entry: number, q: Pick<AnalyzedQuery, 'slots'>): number {
    const variants = this.data.faqVariants[entry];
    if (!variants || variants.length === 0) return 0;
    const { vocab, articles } = this.data;
    const idf = (f: number) => articles.idf(vocab.foldedTerm(f));
    const own = new Map<number, number>();
    const said = new Set<number>();
    for (const phrase of q.slots)
      for (const s of phrase) {
        if (s.folded < 0) continue;
        said.add(s.folded);
        if (isTopic(s) && !own.has(s.folded)) own.set(s.folded, idf(s.folded));
      }
    const ownMass = [...own.values()].reduce((a, b) => a + b, 0);
    if (ownMass === 0) return 0;
    const answer = this.data.faqAnswers[entry];
    let best = 0;
    for (const v of variants) {
      if (v.length === 0) continue;
      let vMass = 0;
      let vHit = 0;
      for (const f of v) {
        const w = idf(f);
        vMass += w;
        if (said.has(f)) vHit += w;
      }
      const inV = new Set(v);
      let qHit = 0;
      for (const [f, w] of own) if (inV.has(f) || answer?.has(f)) qHit += w;
      const vc = vMass > 0 ? vHit / vMass : 0;
      const qc = qHit / ownMass;
      if (vc + qc > 0) best = Math.max(best, (2 * vc * qc) / (vc + qc));
    }
    return best;
  }

  /**
   * Share of the question's topic (idf mass of its own syllables) that a passage's document
   * title and aliases name; undefined for entries without such a context (articles).
   */
  contextCoverage(entry: number, q: Pick<AnalyzedQuery, 'slots'>): number | undefined {
    const context = this.data.contextSyllables[entry];
    return context ? this.idfShareIn(context, q) : undefined;
  }

  /**
   * Definitions articles with a clause defining a term the question is about: every syllable
   * of the term is in the question's topic. The share is the term's idf mass over the topic's,
   * so "đạo đức nghề nghiệp" defined fits "Đạo đức nghề nghiệp của viên chức là gì" well.
   */
  definitionFits(q: Pick<AnalyzedQuery, 'slots'>): Map<number, { share: number; clause: number }> {
    const { vocab, articles, definitions } = this.data;
    const idf = new Map<number, number>();
    let total = 0;
    for (const phrase of q.slots)
      for (const s of phrase) {
        if (!isTopic(s) || s.folded < 0 || idf.has(s.folded)) continue;
        const w = articles.idf(vocab.foldedTerm(s.folded));
        idf.set(s.folded, w);
        total += w;
      }
    const fits = new Map<number, { share: number; clause: number }>();
    if (total === 0) return fits;
    for (const { entry, clause, term } of definitions) {
      let mass = 0;
      let all = term.length > 0;
      for (const f of term) {
        const w = idf.get(f);
        if (w === undefined) {
          all = false;
          break;
        }
        mass += w;
      }
      if (!all) continue;
      const share = mass / total;
      if (share > (fits.get(entry)?.share ?? 0)) fits.set(entry, { share, clause });
    }
    return fits;
  }

  /** Fills each candidate's signals for the learned second stage (`ranked` in hand order). */
  private describe(
    ranked: RankedEntry[],
    q: Pick<AnalyzedQuery, 'slots'>,
    steer: ReadonlySet<number>,
    scores: Float32Array,
    articleScores: Float32Array,
    clauseScores: Float32Array,
  ): void {
    const { entryDoc, inactiveDocs, implementingDocs, entryPosition, entryTokenOffsets: off } = this.data;
    const max = (f: (r: RankedEntry) => number) => Math.max(1e-9, ...ranked.map(f));
    const hand = max((r) => r.score);
    const lexical = max((r) => scores[r.entry]);
    const article = max((r) => articleScores[r.entry]);
    const clause = max((r) => (r.clause >= 0 ? clauseScores[r.clause] : 0));
    const docMass = new Map<number, number>();
    let mass = 0;
    for (const r of ranked) {
      const d = entryDoc[r.entry];
      docMass.set(d, (docMass.get(d) ?? 0) + scores[r.entry]);
      mass += scores[r.entry];
    }
    ranked.forEach((r, i) => {
      const d = entryDoc[r.entry];
      r.features = {
        hand: r.score / hand,
        lexical: scores[r.entry] / lexical,
        article: articleScores[r.entry] / article,
        clause: r.clause >= 0 ? clauseScores[r.clause] / clause : 0,
        coverage: r.coverage,
        missingIdf: r.missingIdf,
        headingCoverage: r.headingCoverage,
        headingUni: r.headingUni,
        questionInHeading: this.questionInHeading(r.entry, q),
        bigramCover: r.bigramCover,
        trigramCover: r.trigramCover,
        docShare: r.docShare,
        docMass: mass > 0 ? (docMass.get(d) ?? 0) / mass : 0,
        vectorSim: r.vectorSim,
        kindMatch: r.kindMatch,
        kindMissing: r.kindMissing,
        faqMatch: r.faqMatch,
        definitionMatch: r.definitionMatch,
        inactive: inactiveDocs[d],
        implementing: implementingDocs[d],
        named: steer.has(d) ? 1 : 0,
        reciprocalRank: 1 / (1 + i),
        position: entryPosition[r.entry],
        length: Math.log1p(off[r.entry + 1] - off[r.entry]) / 10,
      };
    });
  }

  /** Best `k` entries for an analysed query. `vectorSim` gives question-entry cosine when vectors exist. */
  rank(
    q: Pick<AnalyzedQuery, 'terms' | 'weights' | 'steer' | 'slots' | 'articleRefs' | 'contentLength' | 'concepts'> & {
      kinds?: number;
      definition?: boolean;
    },
    k: number,
    params: RankParams = DEFAULT_RANK,
    similarity?: (entry: number) => number,
    extraCandidates: readonly number[] = [],
    withFeatures = false,
  ): RankedEntry[] {
    const { scores, bestClause, articleScores, clauseScores } = this.firstStage(q, params);
    const depth = Math.max(k, params.rerankDepth);
    const top = topK(scores, depth);
    const inTop = new Set(top);
    const refs = new Set(q.articleRefs);
    const steer = new Set(q.steer);
    const { entryArticle, entryDoc } = this.data;
    const named = (e: number) => refs.size > 0 && entryArticle[e] !== undefined && refs.has(entryArticle[e]!);
    const extra = [...extraCandidates];
    // An article named with its law is a candidate even when its wording matches nothing.
    if (refs.size > 0 && steer.size > 0) for (let e = 0; e < entryDoc.length; e++) if (named(e) && steer.has(entryDoc[e])) extra.push(e);
    const definitionFits = q.definition ? this.definitionFits(q) : new Map<number, { share: number; clause: number }>();
    extra.push(...definitionFits.keys());
    for (const e of extra) {
      if (!inTop.has(e)) {
        inTop.add(e);
        top.push(e);
      }
    }
    const qt = this.questionTerms(q);
    const best = top.length > 0 ? scores[top[0]] || 1 : 1;
    const docMass = new Map<number, number>();
    let mass = 0;
    // Concentration is measured over the top few entries; a small corpus spreads any query over its few documents.
    const window = Math.max(3, Math.min(10, Math.round(this.data.entryDoc.length / 50)));
    for (const e of top.slice(0, window)) {
      const d = this.data.entryDoc[e];
      docMass.set(d, (docMass.get(d) ?? 0) + scores[e]);
      mass += scores[e];
    }
    const half = params.shortQuestion / 2;
    const shortness = half > 0 ? Math.max(0, Math.min(1, (params.shortQuestion - q.contentLength) / half)) : 0;
    // Passages: a heading can only choose among the sections of documents about what was
    // asked ("Hồ sơ …" of the summary on khai sinh, not of the one on kết hôn).
    const topicFit = new Map<number, number>();
    let bestFit = 0;
    for (const e of top) {
      const c = this.contextCoverage(e, q);
      if (c === undefined) continue;
      topicFit.set(e, c);
      bestFit = Math.max(bestFit, c);
    }
    const ranked = top.map((e): RankedEntry => {
      const cov = this.coverage(e, qt);
      const headingCoverage = this.headingCoverage(e, qt);
      const headingUni = this.headingSyllableCoverage(e, qt);
      const cover = this.ngramCover(e, qt);
      const docShare = mass > 0 ? (docMass.get(this.data.entryDoc[e]) ?? 0) / mass : 0;
      const vectorSim = similarity ? similarity(e) : 0;
      const kinds = q.kinds ?? 0;
      const kindMatch = kinds & this.data.headingKinds[e] ? 1 : 0;
      const kindMissing = kinds & CONTENT_KINDS & ~this.data.evidenceKinds[e] ? 1 : 0;
      const faqMatch = this.faqMatch(e, q);
      const definition = definitionFits.get(e);
      const definitionMatch = definition?.share ?? 0;
      let score = scores[e];
      // Heading bonuses choose among entries the words already support: a heading that
      // matches the question cannot lift an entry whose text barely does.
      const fit = topicFit.get(e);
      const rel = Math.min(1, scores[e] / best) * (fit === undefined || bestFit === 0 ? 1 : fit / bestFit);
      if (params.rerankDepth > 0) {
        score =
          (scores[e] / best) * (1 + params.headingBonus * headingCoverage * headingCoverage) +
          params.bigramCoverWeight * cover.bigram +
          params.trigramCoverWeight * cover.trigram +
          params.docShareWeight * docShare +
          params.vectorWeight * vectorSim +
          rel * shortness * (params.headingSyllableWeight * headingUni * headingUni + params.kindWeight * kindMatch) +
          params.faqWeight * faqMatch +
          params.definitionWeight * definitionMatch;
        // "Điều 20" alone is ambiguous across laws; with the law named it is decisive.
        if (named(e)) score += steer.size === 0 ? params.articleRefBonus / 5 : steer.has(entryDoc[e]) ? params.articleRefBonus : 0;
        if (this.data.inactiveDocs[entryDoc[e]]) score *= params.inactivePenalty;
      }
      const explicit = named(e) && steer.has(entryDoc[e]);
      return {
        entry: e,
        score,
        clause: definition ? definition.clause : bestClause[e],
        lexicalScore: scores[e],
        articleScore: articleScores[e],
        clauseScore: bestClause[e] >= 0 ? clauseScores[bestClause[e]] : 0,
        coverage: cov.share,
        missingIdf: cov.missingIdf,
        headingCoverage,
        headingUni,
        explicit,
        bigramCover: cover.bigram,
        trigramCover: cover.trigram,
        docShare,
        vectorSim,
        kindMatch,
        kindMissing,
        faqMatch,
        definitionMatch,
      };
    });
    ranked.sort((a, b) => b.score - a.score);
    const model = params.rerankDepth > 0 ? params.learned : null;
    // The signals are only worth computing for the learned stage or for training it.
    if (model || withFeatures) this.describe(ranked, q, steer, scores, articleScores, clauseScores);
    if (model) {
      for (const r of ranked) r.score = rerankScore(model, r.features!);
      ranked.sort((a, b) => b.score - a.score);
    }
    return ranked.slice(0, k);
  }
}

export interface QuestionTerms {
  terms: number[];
  idf: number[];
  /** Folded bigram term ids of the whole query (incl. expansions), for heading coverage. */
  headingKeys: Set<number>;
  /** The question's own folded bigram / trigram keys → position. */
  bigrams: Map<number, number>;
  trigrams: Map<string, number>;
  /** Folded syllables of the whole query (incl. expansions). */
  foldedAll: Set<number>;
  /** Everyday phrases: folded-term alternatives (any one fully present covers it) and their idf mass. */
  concepts: { alternatives: number[][]; idf: number }[];
}

/** Per-entry facts derived from the corpus (recomputed on load: cheap). */
export function corpusFacts(vocab: Vocabulary, corpus: Corpus): CorpusFacts {
  const steps = corpusFactSteps(vocab, corpus);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** The same as `corpusFacts`, giving the event loop a turn every few entries (each costs up to a millisecond) (loading an index into a serving process). */
export async function corpusFactsYielding(vocab: Vocabulary, corpus: Corpus): Promise<CorpusFacts> {
  const steps = corpusFactSteps(vocab, corpus);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** Entries between two pauses of `corpusFactsYielding`. */
const FACTS_SLICE = 25;

type CorpusFacts = Pick<
  LexicalRankerData,
  | 'entryDoc'
  | 'inactiveDocs'
  | 'implementingDocs'
  | 'entryPosition'
  | 'entryArticle'
  | 'headingBigrams'
  | 'headingSyllables'
  | 'headingKinds'
  | 'evidenceKinds'
  | 'faqVariants'
  | 'faqAnswers'
  | 'contextSyllables'
  | 'definitions'
>;

function* corpusFactSteps(vocab: Vocabulary, corpus: Corpus): Generator<void, CorpusFacts> {
  const headingBigrams: Int32Array[] = [];
  const headingSyllables: Int32Array[] = [];
  const headingKindBits = new Uint8Array(corpus.entries.length);
  const evidence = new Uint8Array(corpus.entries.length);
  const faqVariants: (Int32Array[] | undefined)[] = [];
  const faqAnswers: (Set<number> | undefined)[] = [];
  const contextSyllables: (Set<number> | undefined)[] = [];
  const contextCache = new Map<string, Set<number>>();
  const contextOf = (context: string) => {
    let set = contextCache.get(context);
    if (!set) {
      set = new Set<number>();
      for (const id of toIds(vocab, context, false)) if (id >= 0) set.add(vocab.foldOf[id]);
      contextCache.set(context, set);
    }
    return set;
  };
  for (let i = 0; i < corpus.entries.length; i++) {
    if (i > 0 && i % FACTS_SLICE === 0) yield;
    const e = corpus.entries[i];
    // Heading features use the unit's own heading: a long document title would dilute them.
    // A passage heading's words that name its document's topic ("Lệ phí đăng ký thường trú" in
    // the summary on đăng ký thường trú) say nothing about which section answers.
    const ids = toIds(vocab, e.heading ?? '', false);
    const topic = e.context ? contextOf(e.context) : undefined;
    const own = (id: number) => id >= 0 && !topic?.has(vocab.foldOf[id]);
    const anyOwn = ids.some(own);
    const keep = (id: number) => id >= 0 && (!anyOwn || own(id));
    const bigrams: number[] = [];
    const syllables = new Set<number>();
    for (let j = 0; j < ids.length; j++) {
      if (ids[j] < 0) continue;
      if (keep(ids[j])) syllables.add(vocab.foldOf[ids[j]]);
      if (j + 1 >= ids.length || ids[j + 1] < 0) continue;
      if (!keep(ids[j]) && !keep(ids[j + 1])) continue;
      const b = vocab.foldedBigramTerm(vocab.foldOf[ids[j]], vocab.foldOf[ids[j + 1]]);
      if (b >= 0) bigrams.push(b);
    }
    headingBigrams.push(Int32Array.from(new Set(bigrams)));
    headingSyllables.push(Int32Array.from(syllables));
    const title = e.kind === 'faq' ? indexTitle(e) : e.heading;
    headingKindBits[i] = headingKinds(title);
    evidence[i] = evidenceKinds(`${e.heading ?? ''}\n${indexBody(e)}`);
    faqVariants.push(e.kind === 'faq' ? faqParts(e.text).questions.map((v) => variantSyllables(vocab, v)) : undefined);
    faqAnswers.push(e.kind === 'faq' ? new Set(variantSyllables(vocab, faqParts(e.text).answer)) : undefined);
    contextSyllables.push(topic);
  }
  const definitions: LexicalRankerData['definitions'] = [];
  for (let ci = 0; ci < corpus.clauses.length; ci++) {
    if (ci > 0 && ci % (FACTS_SLICE * 8) === 0) yield;
    const c = corpus.clauses[ci];
    if (!isDefinitionsHeading(corpus.entries[c.parent].heading)) continue;
    const term = definedTerm(c.text);
    if (!term) continue;
    const ids = term.map((t) => vocab.foldId(fold(t)));
    if (ids.some((id) => id < 0)) continue;
    definitions.push({ entry: c.parent, clause: ci, term: Int32Array.from(new Set(ids)) });
  }
  yield;
  const perDoc = new Map<number, number>();
  const ordinal = corpus.entries.map((e) => {
    const n = perDoc.get(e.doc) ?? 0;
    perDoc.set(e.doc, n + 1);
    return n;
  });
  return {
    definitions,
    implementingDocs: Uint8Array.from(corpus.docs.map((d) => (IMPLEMENTING.test(fold(`${d.docType ?? ''} ${d.title}`).trim()) ? 1 : 0))),
    entryPosition: Float32Array.from(corpus.entries.map((e, i) => ordinal[i] / Math.max(1, (perDoc.get(e.doc) ?? 1) - 1))),
    entryDoc: Int32Array.from(corpus.entries.map((e) => e.doc)),
    inactiveDocs: Uint8Array.from(corpus.docs.map((d) => (d.status === 'superseded' || d.status === 'expired' ? 1 : 0))),
    entryArticle: corpus.entries.map((e) => e.articleNo?.toLowerCase()),
    headingBigrams,
    headingSyllables,
    headingKinds: headingKindBits,
    evidenceKinds: evidence,
    faqVariants,
    faqAnswers,
    contextSyllables,
  };
}

/** Titles or types of texts that implement a law (folded). */
const IMPLEMENTING = /^(nghi dinh|thong tu|quyet dinh|chi thi|cong van|van ban hop nhat)\b/i;

/** Distinct folded syllable ids of an FAQ question variant, without question scaffolding ("là gì", "bao nhiêu"). */
function variantSyllables(vocab: Vocabulary, variant: string): Int32Array {
  const ids = new Set<number>();
  for (const phrase of removeStopPhrases(tokenizePhrases(variant).map((p) => expandShorthand(p))))
    for (const t of phrase) {
      const f = vocab.foldId(fold(t));
      if (f >= 0) ids.add(f);
    }
  return Int32Array.from(ids);
}

/** Folded syllable ids of each entry (heading, boundary, body), concatenated. */
function foldedSequences(vocab: Vocabulary, fields: readonly FieldTokens[]): { tokens: Int32Array; offsets: Uint32Array } {
  let total = 0;
  for (const f of fields) total += f.title.length + 1 + f.body.length;
  const tokens = new Int32Array(total);
  const offsets = new Uint32Array(fields.length + 1);
  let o = 0;
  fields.forEach((f, i) => {
    for (const id of f.title) tokens[o++] = id >= 0 ? vocab.foldOf[id] : -1;
    tokens[o++] = -1;
    for (const id of f.body) tokens[o++] = id >= 0 ? vocab.foldOf[id] : -1;
    offsets[i + 1] = o;
  });
  return { tokens, offsets };
}

/** Indexes of the k largest positive scores, best first. */
export function topK(scores: Float32Array, k: number): number[] {
  const idx: number[] = [];
  const val: number[] = [];
  let min = 0;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    if (s <= 0 || (idx.length >= k && s <= min)) continue;
    let j = idx.length >= k ? k - 1 : idx.length;
    if (idx.length < k) {
      idx.push(i);
      val.push(s);
    }
    while (j > 0 && val[j - 1] < s) {
      idx[j] = idx[j - 1];
      val[j] = val[j - 1];
      j--;
    }
    idx[j] = i;
    val[j] = s;
    min = idx.length >= k ? val[k - 1] : 0;
  }
  return idx;
}
