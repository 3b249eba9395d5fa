/**
 * A large synthetic corpus for speed and memory measurements: copies of the ALQAC articles
 * with about 15% of their words swapped for other corpus words, so postings, vocabulary and
 * lengths stay realistic while no copy is identical to another.
 */
import { readFileSync } from 'node:fs';
import { parseJsonlCorpus } from '../knowledge/parse/jsonl.ts';
import type { KnowledgeDocument } from '../domain/document.ts';
import { rng } from '../retrieval/lsa.ts';

interface Line {
  id: string;
  law_id: string;
  article_id: string;
  title: string;
  text: string;
}


/** Builds about `target` article-level entries (each with its clauses) from the given JSONL corpora. */
export function syntheticCorpus(files: string[], target: number, swapRate = 0.15): { documents: KnowledgeDocument[]; entries: number; units: number } {
  const base: Line[] = files.flatMap((f) =>
    readFileSync(f, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Line),
  );
  const words = base.flatMap((l) => l.text.split(/\s+/).filter((w) => /^\p{L}+$/u.test(w)));
  const rand = rng(42);
  const out: string[] = [];
  let copy = 0;
  while (out.length < target) {
    for (const l of base) {
      if (out.length >= target) break;
      // Keep the first word of each line so clause numbering ("1.", "a)") survives.
      const text =
        copy === 0
          ? l.text
          : l.text
              .split('\n')
              .map((line) =>
                line
                  .split(' ')
                  .map((w, i) => (i > 0 && rand() < swapRate ? words[Math.floor(rand() * words.length)] : w))
                  .join(' '),
              )
              .join('\n');
      const law = copy === 0 ? l.law_id : `${l.law_id} (bản ${copy})`;
      out.push(JSON.stringify({ id: `${law}::${l.article_id}`, law_id: law, article_id: l.article_id, title: l.title, text }));
    }
    copy++;
  }
  const { documents } = parseJsonlCorpus(out.join('\n'), 'synthetic.jsonl');
  const units = documents.reduce((n, d) => n + d.units.length, 0);
  return { documents, entries: out.length, units };
}
