/**
 * The term space shared by the article and clause indexes. Four kinds of terms:
 * accented syllables, folded syllables (diacritics removed, đ→d), accented syllable
 * bigrams and folded syllable bigrams. Term ids are dense: [accented | folded | bigrams…].
 */
import { NumericMap } from './numeric-map.ts';
import { fold } from '../domain/fold.ts';

/** Bigram keys pack two syllable ids; 2^22 syllables is far beyond any real vocabulary. */
const SHIFT = 4194304;

export class Vocabulary {
  readonly syllables: string[] = [];
  readonly foldedForms: string[] = [];
  /** Folded id of each accented syllable. */
  foldOf: Int32Array = new Int32Array(0);
  /** Corpus frequency of each accented syllable (for typo repair priors). */
  sylFreq: Uint32Array = new Uint32Array(0);
  /** Accented bigram key → term id and folded bigram key → term id. */
  bigrams = new NumericMap(1 << 16);
  foldedBigrams = new NumericMap(1 << 16);
  /** Corpus frequency of folded bigrams, by folded-bigram term id order (for typo repair). */
  termCount = 0;
  private sylIndex = new Map<string, number>();
  private foldIndex = new Map<string, number>();
  private frozen = false;

  get syllableCount(): number {
    return this.syllables.length;
  }
  get foldedCount(): number {
    return this.foldedForms.length;
  }

  /** Id of an accented (normalised) syllable, registering it while building. */
  addSyllable(s: string): number {
    let id = this.sylIndex.get(s);
    if (id === undefined) {
      if (this.frozen) return -1;
      id = this.syllables.length;
      this.syllables.push(s);
      this.sylIndex.set(s, id);
    }
    return id;
  }

  sylId(s: string): number {
    return this.sylIndex.get(s) ?? -1;
  }
  foldId(f: string): number {
    return this.foldIndex.get(f) ?? -1;
  }

  /** Ends syllable registration: computes folded forms; bigram terms are added after this. */
  freezeSyllables(freq: Uint32Array): void {
    this.frozen = true;
    this.foldOf = new Int32Array(this.syllables.length);
    this.sylFreq = freq;
    this.syllables.forEach((s, i) => {
      const f = fold(s);
      let id = this.foldIndex.get(f);
      if (id === undefined) {
        id = this.foldedForms.length;
        this.foldedForms.push(f);
        this.foldIndex.set(f, id);
      }
      this.foldOf[i] = id;
    });
    this.termCount = this.syllables.length + this.foldedForms.length;
  }

  /** Term id of an accented syllable. */
  unigramTerm(syl: number): number {
    return syl;
  }
  /** Term id of a folded syllable. */
  foldedTerm(foldedId: number): number {
    return this.syllables.length + foldedId;
  }
  bigramTerm(a: number, b: number, create = false): number {
    return this.lookup(this.bigrams, a * SHIFT + b, create);
  }
  foldedBigramTerm(fa: number, fb: number, create = false): number {
    return this.lookup(this.foldedBigrams, fa * SHIFT + fb, create);
  }

  private lookup(map: NumericMap, key: number, create: boolean): number {
    const id = map.get(key);
    if (id >= 0 || !create) return id;
    const nid = this.termCount++;
    map.set(key, nid);
    return nid;
  }

  /** Plain data for persistence. */
  toJSON(): { syllables: string[]; termCount: number } {
    return { syllables: this.syllables, termCount: this.termCount };
  }

  /** Rebuilds from persisted parts. */
  static restore(
    syllables: string[],
    sylFreq: Uint32Array,
    termCount: number,
    bigrams: NumericMap,
    foldedBigrams: NumericMap,
  ): Vocabulary {
    const v = new Vocabulary();
    for (const s of syllables) v.addSyllable(s);
    v.freezeSyllables(sylFreq);
    v.bigrams = bigrams;
    v.foldedBigrams = foldedBigrams;
    v.termCount = termCount;
    return v;
  }
}
