/**
 * Validates the citizen-style evaluation set against the ALQAC 2023 corpus, and the curated
 * lexicon. Fails loudly (exit code 1) on malformed lines, unknown gold ids, inconsistent
 * scope flags or broken lexicon entries; prints counts per style.
 *
 *   node bin/run-ts.js bench/check-citizen-set.ts [--corpus <corpus.jsonl>] [--set <questions.jsonl>]
 *
 * The corpus defaults to $LOA_ALQAC2023_DIR/corpus.jsonl, else /work/shared/data/alqac2023/corpus.jsonl.
 */
import { readFileSync, existsSync } from 'node:fs';
import { resolve, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { LEXICON, ABBREVIATIONS } from '../retrieval/lexicon-data.ts';
import { fold } from '../domain/fold.ts';

const HERE = dirname(fileURLToPath(import.meta.url));

export const STYLES = [
  'accented',
  'no_diacritics',
  'abbreviations',
  'typos',
  'rambling',
  'everyday_words',
  'named_law',
  'old_tone',
  'out_of_scope',
] as const;

/** Minimum sizes promised in bench/data/README.md. */
const MIN_PER_STYLE = 12;
const MIN_IN_SCOPE = 100;
const MIN_OUT_OF_SCOPE = 40;

const questionSchema = z
  .object({
    id: z.string().regex(/^cz-\d{3}$/),
    question: z.string().min(1),
    relevant: z.array(z.string().min(1)),
    style: z.enum(STYLES),
    in_scope: z.boolean(),
    topic: z.string().min(1),
  })
  .strict();
type CitizenQuestion = z.infer<typeof questionSchema>;

const corpusLineSchema = z.object({ id: z.string().min(1) }).passthrough();

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}


/** Old tone placement (hoà, thoả, uỷ, khoẻ): the mark on the second vowel of oa/oe/uy at syllable end. */
const OLD_TONE = /(?:o[àáảãạ]|o[èéẻẽẹ]|u[ỳýỷỹỵ])(?![\p{L}])/iu;

const errors: string[] = [];
const warnings: string[] = [];
const fail = (msg: string): void => {
  errors.push(msg);
};

function readJsonl(path: string): { line: number; value: unknown }[] {
  if (!existsSync(path)) throw new Error(`file not found: ${path}`);
  const out: { line: number; value: unknown }[] = [];
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((raw, i) => {
      if (raw.trim() === '') return;
      try {
        out.push({ line: i + 1, value: JSON.parse(raw) as unknown });
      } catch {
        fail(`${path}:${i + 1}: not valid JSON`);
      }
    });
  return out;
}

const corpusPath = resolve(
  argValue('--corpus') ??
    (process.env.LOA_ALQAC2023_DIR ? join(process.env.LOA_ALQAC2023_DIR, 'corpus.jsonl') : '/work/shared/data/alqac2023/corpus.jsonl'),
);
const setPath = resolve(argValue('--set') ?? join(HERE, 'data', 'citizen-questions.jsonl'));

// Corpus ids, NFC-normalised (a few ALQAC articles store decomposed accents).
const corpusIds = new Set<string>();
for (const { line, value } of readJsonl(corpusPath)) {
  const parsed = corpusLineSchema.safeParse(value);
  if (!parsed.success) fail(`${corpusPath}:${line}: corpus line has no id`);
  else corpusIds.add(parsed.data.id.normalize('NFC'));
}
if (corpusIds.size === 0) fail(`${corpusPath}: empty corpus`);

const questions: CitizenQuestion[] = [];
for (const { line, value } of readJsonl(setPath)) {
  const parsed = questionSchema.safeParse(value);
  if (!parsed.success) {
    fail(`${setPath}:${line}: malformed: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    continue;
  }
  questions.push(parsed.data);
}

const seenIds = new Set<string>();
const seenText = new Map<string, string>();
for (const q of questions) {
  const where = `${q.id}`;
  if (seenIds.has(q.id)) fail(`${where}: duplicate id`);
  seenIds.add(q.id);
  if (q.question !== q.question.normalize('NFC')) fail(`${where}: question is not NFC`);
  if (q.question !== q.question.trim()) fail(`${where}: question has leading/trailing spaces`);
  const key = fold(q.question.toLowerCase()).replace(/\s+/g, ' ');
  const dup = seenText.get(key);
  if (dup) fail(`${where}: same question text as ${dup}`);
  seenText.set(key, q.id);

  const outOfScope = q.style === 'out_of_scope';
  if (outOfScope !== !q.in_scope) fail(`${where}: style "${q.style}" disagrees with in_scope=${q.in_scope}`);
  if (q.in_scope && q.relevant.length === 0) fail(`${where}: in-scope question without gold articles`);
  if (!q.in_scope && q.relevant.length > 0) fail(`${where}: out-of-scope question with gold articles`);
  if (new Set(q.relevant).size !== q.relevant.length) fail(`${where}: repeated gold id`);
  for (const id of q.relevant) {
    if (!corpusIds.has(id.normalize('NFC'))) fail(`${where}: unknown corpus id "${id}"`);
  }
  if (q.style === 'no_diacritics' && fold(q.question) !== q.question) fail(`${where}: no_diacritics question has diacritics`);
  if (q.style === 'old_tone' && !OLD_TONE.test(q.question)) fail(`${where}: old_tone question has no old tone placement`);
  if (q.style === 'accented' && fold(q.question) === q.question) fail(`${where}: accented question has no diacritics`);
}

// Counts
const perStyle = new Map<string, number>(STYLES.map((s) => [s, 0]));
for (const q of questions) perStyle.set(q.style, (perStyle.get(q.style) ?? 0) + 1);
const inScope = questions.filter((q) => q.in_scope).length;
const outScope = questions.length - inScope;
for (const s of STYLES) {
  if (s !== 'out_of_scope' && (perStyle.get(s) ?? 0) < MIN_PER_STYLE) fail(`style ${s}: ${perStyle.get(s)} questions, need ≥ ${MIN_PER_STYLE}`);
}
if (inScope < MIN_IN_SCOPE) fail(`${inScope} in-scope questions, need ≥ ${MIN_IN_SCOPE}`);
if (outScope < MIN_OUT_OF_SCOPE) fail(`${outScope} out-of-scope questions, need ≥ ${MIN_OUT_OF_SCOPE}`);
const multiGold = questions.filter((q) => q.relevant.length > 1).length;
const goldArticles = new Set(questions.flatMap((q) => q.relevant));
const topics = new Set(questions.filter((q) => q.in_scope).map((q) => q.topic));
const laws = new Set([...goldArticles].map((id) => id.split('::')[0]));

// Lexicon sanity: the matcher folds `everyday` phrases, so two entries sharing a folded phrase
// would fire together; keys must be lower-case NFC.
const everydaySeen = new Map<string, number>();
LEXICON.forEach((entry, i) => {
  const where = `LEXICON[${i}] (${entry.everyday[0] ?? '?'})`;
  if (entry.everyday.length === 0 || entry.legal.length === 0) fail(`${where}: empty everyday or legal list`);
  for (const phrase of [...entry.everyday, ...entry.legal]) {
    if (phrase !== phrase.normalize('NFC')) fail(`${where}: "${phrase}" is not NFC`);
    if (phrase.trim() !== phrase || phrase === '') fail(`${where}: "${phrase}" has stray spaces`);
  }
  for (const phrase of entry.everyday) {
    if (phrase !== phrase.toLowerCase()) fail(`${where}: everyday "${phrase}" is not lower-case`);
    const folded = fold(phrase);
    const other = everydaySeen.get(folded);
    if (other !== undefined && other !== i) warnings.push(`${where}: everyday "${phrase}" folds like a phrase of LEXICON[${other}]`);
    everydaySeen.set(folded, i);
  }
});
for (const [key, value] of Object.entries(ABBREVIATIONS)) {
  if (key !== key.toLowerCase() || key !== key.normalize('NFC') || /\s/.test(key)) fail(`ABBREVIATIONS: bad key "${key}"`);
  if (value.trim() === '' || value !== value.normalize('NFC')) fail(`ABBREVIATIONS: bad value for "${key}"`);
}

console.log(`citizen set: ${setPath}`);
console.log(`corpus:      ${corpusPath} (${corpusIds.size} articles)`);
console.log('');
console.log('style            count');
for (const s of STYLES) console.log(`${s.padEnd(16)} ${String(perStyle.get(s)).padStart(5)}`);
console.log(`${'total'.padEnd(16)} ${String(questions.length).padStart(5)}  (in scope ${inScope}, out of scope ${outScope})`);
console.log('');
console.log(`in-scope topics: ${topics.size}; gold articles: ${goldArticles.size} from ${laws.size} laws; questions with several gold: ${multiGold}`);
console.log(`lexicon: ${LEXICON.length} entries, ${LEXICON.reduce((n, e) => n + e.everyday.length, 0)} everyday phrases; abbreviations: ${Object.keys(ABBREVIATIONS).length}`);
for (const w of warnings) console.log(`warning: ${w}`);
if (errors.length > 0) {
  console.error('');
  for (const e of errors) console.error(`ERROR: ${e}`);
  console.error(`${errors.length} error(s)`);
  process.exit(1);
}
console.log('OK');
