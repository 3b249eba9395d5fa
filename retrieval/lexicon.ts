/**
 * The everyday → legal vocabulary mechanism. The curated data lives in `lexicon-data.ts`.
 */
import { expandShorthand } from './shorthand.ts';
import { fold, tokenize, type Phrase } from './vietnamese.ts';
import type { LexiconEntry } from './lexicon-data.ts';

// Declared with the data, which the shorthand table also reads (no import cycle).
export type { LexiconEntry } from './lexicon-data.ts';

interface CompiledEntry {
  everyday: string[][];
  legal: Phrase[];
}

/**
 * Finds everyday wording in a query and returns the legal wording the documents use
 * ("hộ khẩu" → "thường trú"). Matching is on folded syllables, so "ho khau" works too.
 */
export class LexiconMatcher {
  private readonly entries: CompiledEntry[];
  /** First folded syllable → entries that may start there, for speed. */
  private readonly byFirst = new Map<string, { entry: number; phrase: string[] }[]>();

  constructor(entries: readonly LexiconEntry[]) {
    this.entries = entries.map((e) => ({
      everyday: e.everyday.map((p) => expandShorthand(tokenize(p)).map(fold)).filter((p) => p.length > 0),
      legal: e.legal.map((p) => tokenize(p)).filter((p) => p.length > 0),
    }));
    this.entries.forEach((e, i) => {
      for (const p of e.everyday) {
        const list = this.byFirst.get(p[0]) ?? [];
        list.push({ entry: i, phrase: p });
        this.byFirst.set(p[0], list);
      }
    });
  }

  get size(): number {
    return this.entries.length;
  }

  /**
   * Legal phrases triggered by the query phrases (each entry at most once), and where the
   * everyday wording was found, with the legal alternatives of each occurrence.
   */
  expand(phrases: readonly Phrase[]): {
    legal: Phrase[];
    matched: string[];
    spans: { phrase: number; start: number; end: number; legal: Phrase[] }[];
  } {
    const hit = new Set<number>();
    const matched: string[] = [];
    const spans: { phrase: number; start: number; end: number; legal: Phrase[] }[] = [];
    phrases.forEach((phrase, pi) => {
      const folded = phrase.map(fold);
      for (let i = 0; i < folded.length; i++) {
        for (const cand of this.byFirst.get(folded[i]) ?? []) {
          if (cand.phrase.length > folded.length - i) continue;
          if (!cand.phrase.every((s, j) => folded[i + j] === s)) continue;
          spans.push({ phrase: pi, start: i, end: i + cand.phrase.length, legal: this.entries[cand.entry].legal });
          if (!hit.has(cand.entry)) {
            hit.add(cand.entry);
            matched.push(cand.phrase.join(' '));
          }
        }
      }
    });
    const legal = [...hit].flatMap((i) => this.entries[i].legal);
    return { legal, matched, spans };
  }
}
