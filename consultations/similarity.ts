import { createHash } from 'node:crypto';
import { tokenize } from '../retrieval/vietnamese.ts';
import { fold } from '../domain/fold.ts';

/**
 * Text similarity for comments and draft units: syllables (diacritics folded, so "muc phat"
 * and "mức phạt" agree) and their bigrams, compared by Jaccard overlap. Cheap enough to group
 * tens of thousands of short comments.
 */

/** Common words that make two comments look alike without saying the same thing. */
const STOP = new Set(
  'va la cua cho voi trong thi nay do cac nhung mot co khong duoc de tu den ve theo nhu toi em chung ta ban anh chi o tai neu vi nen da se dang rat qua can phai hon nua'.split(' '),
);

/** Folded syllables of a text, in order. */
export function words(text: string): string[] {
  return tokenize(text).map(fold);
}

/** The set of content syllables and adjacent-syllable bigrams. */
export function shingles(text: string): Set<string> {
  const ws = words(text);
  const out = new Set<string>();
  for (let i = 0; i < ws.length; i++) {
    if (!STOP.has(ws[i])) out.add(ws[i]);
    if (i + 1 < ws.length) out.add(`${ws[i]} ${ws[i + 1]}`);
  }
  return out;
}

/** |A ∩ B| / |A ∪ B|; 1 for two empty sets. */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let both = 0;
  for (const x of small) if (large.has(x)) both++;
  return both / (a.size + b.size - both);
}

/**
 * The same comment however it is typed (case, diacritics, spacing, punctuation): the key that
 * counts a copied text sent by many people as one position.
 */
export function fingerprint(text: string): string {
  return createHash('sha256').update(words(text).join(' ')).digest('hex').slice(0, 32);
}
