import { articleKeyOf } from './draft.ts';
import { jaccard, shingles } from './similarity.ts';
import { STANCE_LABELS, type Stance } from './types.ts';

/**
 * Groups an article's comments into themes by text similarity, so the agency writes one
 * answer for many comments. Identical texts (the same fingerprint: copied campaigns) collapse
 * first; then each distinct text joins the most similar theme of the same article and stance,
 * or starts one. An inverted index over shingles keeps this near-linear for 10,000 comments.
 */

export interface GroupableComment {
  id: string;
  /** The unit in the current version (clause or article): themes are per article. */
  unitKey: string;
  stance: Stance;
  text: string;
  fingerprint: string;
}

export interface ProposedTheme {
  unitKey: string;
  label: string;
  commentIds: string[];
}

/** Two texts at least this similar are one theme. */
export const THEME_THRESHOLD = 0.3;
const LABEL_WORDS = 12;

interface Cluster {
  unitKey: string;
  stance: Stance;
  shingles: Set<string>;
  /** The text that started it, the label's source. */
  representative: string;
  ids: string[];
}

/** A short readable label: the stance and the opening words of the theme's most common text. */
export function themeLabel(stance: Stance, text: string): string {
  const ws = text.replace(/\s+/gu, ' ').trim().split(' ');
  const opening = ws.slice(0, LABEL_WORDS).join(' ');
  return `${STANCE_LABELS[stance]}: ${opening}${ws.length > LABEL_WORDS ? '…' : ''}`;
}

export function groupComments(comments: readonly GroupableComment[], threshold = THEME_THRESHOLD): ProposedTheme[] {
  // One entry per distinct text, most frequent first so the commonest wording names its theme.
  const byPrint = new Map<string, { c: GroupableComment; ids: string[] }>();
  for (const c of comments) {
    const key = `${articleKeyOf(c.unitKey)}\u0000${c.stance}\u0000${c.fingerprint}`;
    const entry = byPrint.get(key);
    if (entry) entry.ids.push(c.id);
    else byPrint.set(key, { c, ids: [c.id] });
  }
  const distinct = [...byPrint.values()].sort((a, b) => b.ids.length - a.ids.length);
  const clusters: Cluster[] = [];
  const index = new Map<string, number[]>();
  for (const { c, ids } of distinct) {
    const article = articleKeyOf(c.unitKey);
    const sh = shingles(c.text);
    const seen = new Set<number>();
    let best = -1;
    let bestScore = threshold;
    for (const s of sh) {
      for (const ci of index.get(`${article}\u0000${c.stance}\u0000${s}`) ?? []) {
        if (seen.has(ci)) continue;
        seen.add(ci);
        const score = jaccard(sh, clusters[ci].shingles);
        if (score >= bestScore) {
          best = ci;
          bestScore = score;
        }
      }
    }
    if (best >= 0) {
      clusters[best].ids.push(...ids);
      continue;
    }
    const at = clusters.push({ unitKey: article, stance: c.stance, shingles: sh, representative: c.text, ids: [...ids] }) - 1;
    for (const s of sh) {
      const k = `${article}\u0000${c.stance}\u0000${s}`;
      const list = index.get(k);
      if (list) list.push(at);
      else index.set(k, [at]);
    }
  }
  return clusters.map((cl) => ({ unitKey: cl.unitKey, label: themeLabel(cl.stance, cl.representative), commentIds: cl.ids }));
}

/** A position held by many senders: one text (fingerprint) and how many distinct citizens sent it. */
export interface Campaign {
  fingerprint: string;
  text: string;
  senders: number;
  unitKeys: string[];
}

/** Texts sent by at least `minSenders` different citizens: counted as one position with its count. */
export function detectCampaigns(
  comments: readonly (GroupableComment & { citizenId: string; channel: string })[],
  minSenders = 3,
): Campaign[] {
  const by = new Map<string, { text: string; senders: Set<string>; units: Set<string> }>();
  for (const c of comments) {
    const e = by.get(c.fingerprint) ?? { text: c.text, senders: new Set<string>(), units: new Set<string>() };
    e.senders.add(`${c.channel}:${c.citizenId}`);
    e.units.add(c.unitKey);
    by.set(c.fingerprint, e);
  }
  return [...by.entries()]
    .filter(([, e]) => e.senders.size >= minSenders)
    .map(([fingerprint, e]) => ({ fingerprint, text: e.text, senders: e.senders.size, unitKeys: [...e.units].sort() }))
    .sort((a, b) => b.senders - a.senders);
}
