/** Adapts the lexical index to what typo repair needs: vocabulary, frequencies, bigram support. */
import type { LexicalIndex } from './lexical-index.ts';
import type { TypoModel } from './typo.ts';
import type { Vocabulary } from './vocabulary.ts';

export function typoModelFor(vocab: Vocabulary, index: LexicalIndex): TypoModel {
  const foldedFreq = new Float64Array(vocab.foldedCount);
  for (let i = 0; i < vocab.syllableCount; i++) foldedFreq[vocab.foldOf[i]] += vocab.sylFreq[i];
  return {
    syllables: vocab.syllables,
    foldedForms: vocab.foldedForms,
    frequency: (id) => vocab.sylFreq[id] ?? 0,
    foldedFrequency: (id) => foldedFreq[id] ?? 0,
    pairScore: (left, right, accented) => {
      if (accented) {
        const a = vocab.sylId(left);
        const b = vocab.sylId(right);
        return a >= 0 && b >= 0 ? index.df(vocab.bigramTerm(a, b)) : 0;
      }
      const a = vocab.foldId(left);
      const b = vocab.foldId(right);
      return a >= 0 && b >= 0 ? index.df(vocab.foldedBigramTerm(a, b)) : 0;
    },
  };
}
