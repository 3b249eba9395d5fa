/**
 * Typo repair: a query syllable the corpus never uses is replaced by a corpus syllable one
 * edit away (insertion, deletion, substitution, transposition, or different diacritics),
 * chosen by how often the candidate follows/precedes its neighbours in the corpus.
 */
import { fold } from '../domain/fold.ts';

/** What typo repair needs to know about the corpus. */
export interface TypoModel {
  /** Accented vocabulary, its folded forms and frequencies. */
  syllables: readonly string[];
  foldedForms: readonly string[];
  frequency(accentedId: number): number;
  foldedFrequency(foldedId: number): number;
  /** How strongly the corpus supports the pair (e.g. document frequency of the bigram). */
  pairScore(left: string, right: string, accented: boolean): number;
}

function deletions(word: string): string[] {
  const chars = [...word];
  const out: string[] = [];
  for (let i = 0; i < chars.length; i++) out.push(chars.slice(0, i).join('') + chars.slice(i + 1).join(''));
  return out;
}

/** Damerau-Levenshtein distance ≤ 1 on code points. */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const x = [...a];
  const y = [...b];
  if (Math.abs(x.length - y.length) > 1) return false;
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  if (x.length === y.length) {
    if (x.slice(i + 1).join('') === y.slice(i + 1).join('')) return true; // substitution
    return x[i] === y[i + 1] && x[i + 1] === y[i] && x.slice(i + 2).join('') === y.slice(i + 2).join('');
  }
  const [long, short] = x.length > y.length ? [x, y] : [y, x];
  return long.slice(i + 1).join('') === short.slice(i).join('');
}

/** A symmetric-deletion index over one vocabulary (SymSpell with distance 1). */
class DeletionIndex {
  private readonly map = new Map<string, number[]>();
  constructor(private readonly words: readonly string[]) {
    words.forEach((w, id) => {
      for (const k of new Set([w, ...deletions(w)])) {
        const list = this.map.get(k);
        if (list) list.push(id);
        else this.map.set(k, [id]);
      }
    });
  }
  candidates(word: string): number[] {
    const out = new Set<number>();
    for (const k of new Set([word, ...deletions(word)])) {
      for (const id of this.map.get(k) ?? []) if (withinOneEdit(word, this.words[id])) out.add(id);
    }
    return [...out];
  }
}

export class TypoRepairer {
  private accentedIndex?: DeletionIndex;
  private foldedIndex?: DeletionIndex;
  private accentedByFold?: Map<string, number[]>;

  constructor(private readonly model: TypoModel) {}

  /**
   * Candidates for an unknown syllable, best first. `accented` says whether to repair in the
   * accented vocabulary (query typed with diacritics) or in the folded one.
   */
  candidates(token: string, left: string | undefined, right: string | undefined, accented: boolean): string[] {
    const scored: { word: string; score: number }[] = [];
    const score = (word: string, freq: number) => {
      let s = 0.05 * Math.log1p(freq);
      if (left) s += Math.log1p(this.model.pairScore(left, word, accented));
      if (right) s += Math.log1p(this.model.pairScore(word, right, accented));
      scored.push({ word, score: s });
    };
    if (accented) {
      this.accentedIndex ??= new DeletionIndex(this.model.syllables);
      if (!this.accentedByFold) {
        this.accentedByFold = new Map();
        this.model.syllables.forEach((s, id) => {
          const f = fold(s);
          const l = this.accentedByFold!.get(f);
          if (l) l.push(id);
          else this.accentedByFold!.set(f, [id]);
        });
      }
      const ids = new Set([...this.accentedIndex.candidates(token), ...(this.accentedByFold.get(fold(token)) ?? [])]);
      for (const id of ids) score(this.model.syllables[id], this.model.frequency(id));
    } else {
      this.foldedIndex ??= new DeletionIndex(this.model.foldedForms);
      for (const id of this.foldedIndex.candidates(token)) score(this.model.foldedForms[id], this.model.foldedFrequency(id));
    }
    return scored.sort((a, b) => b.score - a.score).map((c) => c.word);
  }

  /** The best repair, or undefined when nothing in the corpus is one edit away. */
  repair(token: string, left: string | undefined, right: string | undefined, accented: boolean): string | undefined {
    return this.candidates(token, left, right, accented)[0];
  }
}
