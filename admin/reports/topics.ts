import type { QuestionRecord, ReportCitation } from '../ports.ts';
import { bestSurface, questionTerms, type Term } from './question-text.ts';

/**
 * Groups citizens' questions into topics, cheaply and explainably:
 *
 * 1. A question the bot answered belongs with the other questions whose best source was the
 *    same article (the cited article is a strong grouping key: the retriever already matched
 *    everyday words to the law). An escalated question uses its best candidate the same way.
 * 2. The rest (escalated with nothing found) join the topic whose questions share most of
 *    their terms (idf-weighted), or start a new topic.
 * 3. Each topic is labelled with its characteristic terms: tf-idf of the topic against all
 *    questions of the period, preferring pairs of syllables ("căn cước", "thường trú").
 */

/** One source a topic's questions hit. */
export interface TopicDocument {
  id: string;
  title: string;
  section: string;
  count: number;
}

export interface Topic {
  /** `a:<article citation id>` for topics keyed by a source, `k:<n>` for keyword topics. */
  id: string;
  /** Characteristic terms joined by ", " (or the top source when no term stands out). */
  label: string;
  terms: string[];
  /** How the topic was formed: by cited article, by an escalation's best candidate, or by shared words. */
  basis: 'citation' | 'candidate' | 'keywords';
  questions: number;
  /** Distinct citizens (channel + user). */
  users: number;
  /** Of all questions in the period. */
  share: number;
  /** Questions in the first and second half of the period. */
  firstHalf: number;
  secondHalf: number;
  /** Daily rate of the second half over the first; null when the first half had none. */
  growth: number | null;
  answered: number;
  escalated: number;
  /** Escalated and still without a delivered reply. */
  unanswered: number;
  up: number;
  down: number;
  /** Sources the questions hit, most frequent first (at most 3). */
  documents: TopicDocument[];
  /** A few distinct questions, most recent first. */
  examples: string[];
}

export interface TopicAnalysis {
  topics: Topic[];
  /** turn id → topic id, for exports. */
  topicOf: Map<string, string>;
}

export interface TopicOptions {
  /** The period's days in order: splits it into halves for growth. */
  days: readonly string[];
  /** Share of a question's term weight a topic must cover for the question to join it. */
  joinThreshold?: number;
}

interface Item {
  q: QuestionRecord;
  terms: Term[];
  source?: ReportCitation;
  basis?: 'citation' | 'candidate';
}

interface Group {
  id: string;
  basis: Topic['basis'];
  items: Item[];
  /** term key → questions containing it. */
  df: Map<string, number>;
}

/** "luat-cu-tru::20.2" → "luat-cu-tru::20": clauses group under their article. */
export function articleKey(citationId: string): string {
  const at = citationId.lastIndexOf('::');
  if (at < 0) return citationId;
  const dot = citationId.indexOf('.', at + 2);
  return dot < 0 ? citationId : citationId.slice(0, dot);
}

/** Abstentions for these reasons found nothing relevant: their candidates would mislead. */
const UNRELATED = new Set(['out_of_scope', 'no_knowledge', 'empty_question', 'prompt_injection']);

function sourceOf(q: QuestionRecord): Pick<Item, 'source' | 'basis'> {
  if (!q.escalated && q.citations.length) return { source: q.citations[0], basis: 'citation' };
  if (q.escalated && q.candidates.length && !UNRELATED.has(q.abstainReason ?? '')) return { source: q.candidates[0], basis: 'candidate' };
  return {};
}

/**
 * Groups a question may join, by term. Each list keeps only the largest groups: a question
 * joins a topic it shares much with, and small groups sharing one term are rarely that; the
 * cap keeps the cost linear when questions do not cluster (thousands of one-question topics).
 */
const MAX_POSTING = 16;
/** How many of a question's most distinctive terms propose topics for it to join. */
const SEED_TERMS = 4;
type TermIndex = Map<string, Group[]>;

function addTo(group: Group, item: Item, index: TermIndex): void {
  group.items.push(item);
  for (const t of item.terms) {
    group.df.set(t.key, (group.df.get(t.key) ?? 0) + 1);
    let posting = index.get(t.key);
    if (!posting) index.set(t.key, (posting = []));
    if (posting.includes(group)) continue;
    if (posting.length < MAX_POSTING) {
      posting.push(group);
      continue;
    }
    let smallest = 0;
    for (let i = 1; i < posting.length; i++) if (posting[i].items.length < posting[smallest].items.length) smallest = i;
    if (posting[smallest].items.length < group.items.length) posting[smallest] = group;
  }
}

/** Labels a group by its terms' tf-idf against the whole period. */
function labelTerms(group: Group, idf: (key: string) => number, surfaces: Map<string, Map<string, number>>): string[] {
  const n = group.items.length;
  const minDf = Math.min(2, n);
  const scored = [...group.df.entries()]
    .filter(([, df]) => df >= minDf)
    .map(([key, df]) => ({ key, df, pair: key.includes(' '), score: (df / n) * idf(key) }))
    .sort((a, b) => b.score - a.score || Number(b.pair) - Number(a.pair) || b.df - a.df || a.key.localeCompare(b.key));
  const chosen: { key: string; pair: boolean }[] = [];
  for (const t of scored) {
    if (chosen.length >= 4) break;
    const parts = t.key.split(' ');
    if (!t.pair && chosen.some((c) => c.pair && c.key.split(' ').includes(t.key))) continue;
    if (t.pair) {
      // A pair replaces the single syllables it contains ("căn cước" over "cước").
      for (let i = chosen.length - 1; i >= 0; i--) if (!chosen[i].pair && parts.includes(chosen[i].key)) chosen.splice(i, 1);
      // Two overlapping pairs ("đăng ký", "ký thường") read badly together: keep the first.
      if (chosen.some((c) => c.pair && c.key.split(' ').some((p) => parts.includes(p)))) continue;
    }
    chosen.push(t);
  }
  return chosen.map((c) => bestSurface(surfaces.get(c.key) ?? new Map([[c.key, 1]])));
}

function topDocuments(items: Item[]): TopicDocument[] {
  const byId = new Map<string, TopicDocument>();
  for (const { q } of items) {
    const best = q.escalated ? q.candidates[0] : q.citations[0];
    if (!best) continue;
    const doc = byId.get(best.id) ?? { id: best.id, title: best.title, section: best.section, count: 0 };
    doc.count++;
    byId.set(best.id, doc);
  }
  return [...byId.values()].sort((a, b) => b.count - a.count || a.id.localeCompare(b.id)).slice(0, 3);
}

function examples(items: Item[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (let i = items.length - 1; i >= 0 && out.length < 3; i--) {
    const text = items[i].q.text.trim();
    const key = text.toLowerCase();
    if (!text || seen.has(key)) continue;
    seen.add(key);
    out.push(text.length > 300 ? `${text.slice(0, 297)}…` : text);
  }
  return out;
}

/** Groups the questions (oldest first) into topics, largest first. */
export function analyseTopics(questions: readonly QuestionRecord[], opts: TopicOptions): TopicAnalysis {
  const threshold = opts.joinThreshold ?? 0.4;
  const termsOf = new Map<string, Term[]>();
  const items: Item[] = questions.map((q) => {
    let terms = termsOf.get(q.text);
    if (!terms) termsOf.set(q.text, (terms = questionTerms(q.text)));
    return { q, terms, ...sourceOf(q) };
  });

  // Document frequencies and the spellings seen, over the whole period.
  const df = new Map<string, number>();
  const surfaces = new Map<string, Map<string, number>>();
  for (const it of items) {
    for (const t of it.terms) {
      df.set(t.key, (df.get(t.key) ?? 0) + 1);
      let s = surfaces.get(t.key);
      if (!s) surfaces.set(t.key, (s = new Map()));
      s.set(t.surface, (s.get(t.surface) ?? 0) + 1);
    }
  }
  const total = items.length;
  const idf = (key: string) => Math.log(1 + total / (df.get(key) ?? 1));

  const groups: Group[] = [];
  const index: TermIndex = new Map();
  const bySource = new Map<string, Group>();
  const rest: Item[] = [];
  for (const it of items) {
    if (!it.source) {
      rest.push(it);
      continue;
    }
    const key = articleKey(it.source.id);
    let g = bySource.get(key);
    if (!g) {
      g = { id: `a:${key}`, basis: it.basis ?? 'citation', items: [], df: new Map() };
      bySource.set(key, g);
      groups.push(g);
    }
    // Answered questions make a topic a citation topic, whatever came first.
    if (it.basis === 'citation') g.basis = 'citation';
    addTo(g, it, index);
  }

  // Terms in more than this many questions are too common to propose a topic (they still count in the score).
  const commonDf = Math.max(5, total * 0.05);
  const candidates = new Set<Group>();
  let keywordTopics = 0;
  for (const it of rest) {
    const weights = it.terms.map((t) => idf(t.key));
    const weight = weights.reduce((s, w) => s + w, 0);
    let best: Group | undefined;
    let bestScore = 0;
    if (weight > 0) {
      // Topics worth scoring share one of the question's most distinctive terms already in a topic.
      candidates.clear();
      const distinctive = it.terms
        .map((t, k) => ({ key: t.key, w: weights[k] }))
        .filter((t) => (df.get(t.key) ?? 0) <= commonDf && index.has(t.key))
        .sort((a, b) => b.w - a.w)
        .slice(0, SEED_TERMS);
      for (const t of distinctive) for (const g of index.get(t.key) ?? []) candidates.add(g);
      for (const g of candidates) {
        const n = g.items.length;
        let covered = 0;
        for (let k = 0; k < it.terms.length; k++) {
          const inGroup = g.df.get(it.terms[k].key);
          if (inGroup) covered += (weights[k] * inGroup) / n;
        }
        if (covered / weight > bestScore) {
          best = g;
          bestScore = covered / weight;
        }
      }
    }
    if (!best || bestScore < threshold) {
      best = { id: `k:${++keywordTopics}`, basis: 'keywords', items: [], df: new Map() };
      groups.push(best);
    }
    addTo(best, it, index);
  }

  const mid = Math.floor(opts.days.length / 2);
  const secondStart = opts.days[mid] ?? opts.days[0] ?? '';
  const firstDays = mid;
  const secondDays = opts.days.length - mid;
  const topicOf = new Map<string, string>();
  const topics = groups.map((g): Topic => {
    let firstHalf = 0;
    let escalated = 0;
    let unanswered = 0;
    let up = 0;
    let down = 0;
    const users = new Set<string>();
    for (const { q } of g.items) {
      topicOf.set(q.turnId, g.id);
      users.add(`${q.channel}:${q.userId}`);
      if (q.day < secondStart) firstHalf++;
      if (q.escalated) {
        escalated++;
        if (q.escalationStatus === 'open' || q.escalationStatus === 'claimed') unanswered++;
      }
      // Satisfaction with what the citizen got: the bot's answer, or the spokesperson's reply.
      const feedback = q.escalated ? q.replyFeedback : q.feedback;
      if (feedback === 'up') up++;
      else if (feedback === 'down') down++;
    }
    const terms = labelTerms(g, idf, surfaces);
    const docs = topDocuments(g.items);
    const secondHalf = g.items.length - firstHalf;
    const firstRate = firstDays > 0 ? firstHalf / firstDays : 0;
    const fallback = docs[0] ? [docs[0].title, docs[0].section].filter(Boolean).join(', ') : (examples(g.items)[0] ?? '');
    return {
      id: g.id,
      label: terms.length ? terms.join(', ') : fallback,
      terms,
      basis: g.basis,
      questions: g.items.length,
      users: users.size,
      share: total ? Math.round((g.items.length / total) * 10_000) / 10_000 : 0,
      firstHalf,
      secondHalf,
      growth: firstRate > 0 ? Math.round((secondHalf / secondDays / firstRate) * 100) / 100 : null,
      answered: g.items.length - escalated,
      escalated,
      unanswered,
      up,
      down,
      documents: docs,
      examples: examples(g.items),
    };
  });
  topics.sort((a, b) => b.questions - a.questions || b.users - a.users || a.id.localeCompare(b.id));
  return { topics, topicOf };
}

/**
 * Topics asked about more in the second half of the period than in the first (by daily
 * rate), with at least `minQuestions` in the second half; most extra questions first.
 */
export function risingTopics(topics: readonly Topic[], days: number, minQuestions = 2): Topic[] {
  const firstDays = Math.floor(days / 2);
  const secondDays = days - firstDays;
  if (firstDays === 0) return [];
  const extra = (t: Topic) => t.secondHalf - (t.firstHalf / firstDays) * secondDays;
  return topics.filter((t) => t.secondHalf >= minQuestions && extra(t) > 0).sort((a, b) => extra(b) - extra(a) || b.questions - a.questions);
}

/**
 * Topics where documents or approved answers are missing: most escalations and 👎 first.
 */
export function gapTopics(topics: readonly Topic[]): Topic[] {
  const need = (t: Topic) => t.escalated + t.down;
  return topics.filter((t) => need(t) > 0).sort((a, b) => need(b) - need(a) || b.unanswered - a.unanswered || b.questions - a.questions);
}
