import { jaccard, shingles, words } from './similarity.ts';
import type { DraftUnit, UnitMapping } from './types.ts';

/**
 * Where each unit of a draft went in its revision, so comments stay on their text when the
 * agency renumbers or rewrites articles. Articles are matched first (a renumbered article keeps
 * its heading or most of its text), then clauses inside matched articles.
 */

/** Below this text similarity, an article with a new number and heading counts as removed. */
const MIN_TEXT_SCORE = 0.35;

function similarity(a: DraftUnit, b: DraftUnit): number {
  return jaccard(shingles(a.text), shingles(b.text));
}

function sameHeading(a: DraftUnit, b: DraftUnit): boolean {
  return a.heading !== undefined && b.heading !== undefined && words(a.heading).join(' ') === words(b.heading).join(' ');
}

/** Best one-to-one matches of `from` into `to`: heading, then similar text, then the same number. */
function matchUnits(from: DraftUnit[], to: DraftUnit[], numberOf: (u: DraftUnit) => string | undefined): Map<string, UnitMapping> {
  const out = new Map<string, UnitMapping>();
  const taken = new Set<string>();
  const pairs: { a: DraftUnit; b: DraftUnit; score: number; by: UnitMapping['by'] }[] = [];
  for (const a of from) {
    for (const b of to) {
      const score = similarity(a, b);
      if (sameHeading(a, b)) pairs.push({ a, b, score: Math.max(score, 0.9) + 1, by: 'heading' });
      else if (numberOf(a) !== undefined && numberOf(a) === numberOf(b) && score >= MIN_TEXT_SCORE / 2) pairs.push({ a, b, score: score + 0.5, by: 'number' });
      else if (score >= MIN_TEXT_SCORE) pairs.push({ a, b, score, by: 'text' });
    }
  }
  // Greedy by score: the clearest matches first, each unit used once.
  pairs.sort((x, y) => y.score - x.score);
  for (const p of pairs) {
    if (out.has(p.a.key) || taken.has(p.b.key)) continue;
    out.set(p.a.key, { to: p.b.key, score: Math.min(1, similarity(p.a, p.b)), by: p.by });
    taken.add(p.b.key);
  }
  return out;
}

/** The mapping from every unit key of `previous` to its unit in `next` (absent: removed). */
export function mapVersions(previous: readonly DraftUnit[], next: readonly DraftUnit[]): Record<string, UnitMapping> {
  const tops = (us: readonly DraftUnit[]) => us.filter((u) => u.kind !== 'clause');
  const articles = matchUnits(tops(previous), tops(next), (u) => u.articleNo);
  const result: Record<string, UnitMapping> = Object.fromEntries(articles);
  for (const [oldKey, m] of articles) {
    const oldClauses = previous.filter((u) => u.parentKey === oldKey);
    const newClauses = next.filter((u) => u.parentKey === m.to);
    for (const [k, cm] of matchUnits(oldClauses, newClauses, (u) => u.clauseNo)) result[k] = cm;
    // A clause with no counterpart stays with its article.
    for (const c of oldClauses) result[c.key] ??= { to: m.to, score: m.score, by: m.by };
  }
  return result;
}

/** One piece of a word diff: kept, inserted or deleted text. */
export interface DiffPart {
  op: 'same' | 'add' | 'del';
  text: string;
}

/**
 * A word-level diff (longest common subsequence) between two unit texts, for the console and
 * the public page ("what changed in Điều 5"). Long texts fall back to a replace-all.
 */
export function diffWords(before: string, after: string): DiffPart[] {
  const a = before.split(/(\s+)/u).filter(Boolean);
  const b = after.split(/(\s+)/u).filter(Boolean);
  if (a.length * b.length > 4_000_000) return [{ op: 'del', text: before }, { op: 'add', text: after }];
  const n = a.length;
  const m = b.length;
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const parts: DiffPart[] = [];
  const push = (op: DiffPart['op'], text: string) => {
    const last = parts.at(-1);
    if (last?.op === op) last.text += text;
    else parts.push({ op, text });
  };
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      push('same', a[i]);
      i++;
      j++;
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) push('del', a[i++]);
    else push('add', b[j++]);
  }
  while (i < n) push('del', a[i++]);
  while (j < m) push('add', b[j++]);
  return parts;
}

/** Follows the mappings of several revisions: the key of `key` (made on `fromVersion`) in the latest one. */
export function carryKey(key: string, mappings: readonly (Record<string, UnitMapping> | undefined)[]): string | undefined {
  let current: string | undefined = key;
  for (const m of mappings) {
    if (current === undefined) return undefined;
    current = m?.[current]?.to;
  }
  return current;
}
