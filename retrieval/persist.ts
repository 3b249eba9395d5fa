/**
 * Saving and loading a built index: a manifest (format version, revision, parameters), the
 * flat corpus (for quoting), the vocabulary, one binary pack of typed arrays and the
 * vector store. Saves go to a temporary folder first and are swapped in whole.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { finished } from 'node:stream/promises';
import { join } from 'node:path';
import { PRIVATE_DIR_MODE, privatizeTree } from '../storage/private-files.ts';
import { z } from 'zod';
import { DOCUMENT_STATUSES } from '../knowledge/types.ts';
import { readPack, writePack, type Packable } from './binary-pack.ts';
import type { Corpus } from './corpus.ts';
import { CorpusEmbeddings } from './corpus-embeddings.ts';
import type { EmbeddingsKind, EngineParts } from './engine.ts';
import { LexicalIndex, type LexicalParams } from './lexical-index.ts';
import { corpusFacts, corpusFactsYielding, LexicalRanker } from './lexical-ranker.ts';
import { NumericMap } from './numeric-map.ts';
import { VectorIndex } from './vector-index.ts';
import { Vocabulary } from './vocabulary.ts';
import type { Embeddings } from '@langchain/core/embeddings';

/** Bump when anything saved changes shape or meaning: older indexes are then rebuilt. */
export const INDEX_FORMAT_VERSION = 7;

const manifestSchema = z.object({
  format: z.literal('loa-retrieval'),
  version: z.number().int(),
  revision: z.number(),
  createdAt: z.string(),
  embeddings: z.object({ kind: z.enum(['corpus', 'openai', 'transformers', 'none']), model: z.string().optional(), dims: z.number().int() }),
  lexical: z.object({ k1: z.number(), b: z.number(), titleWeight: z.number(), bigrams: z.boolean(), folded: z.boolean() }),
  counts: z.object({ docs: z.number().int(), entries: z.number().int(), clauses: z.number().int(), termCount: z.number().int(), bigrams: z.number().int(), foldedBigrams: z.number().int() }),
});
export type IndexManifest = z.infer<typeof manifestSchema>;

const entrySchema = z.object({
  id: z.string(),
  doc: z.number().int(),
  kind: z.enum(['article', 'clause', 'passage', 'faq']),
  section: z.string(),
  heading: z.string().optional(),
  articleNo: z.string().optional(),
  clauseNo: z.string().optional(),
  text: z.string(),
  context: z.string().optional(),
});
const docSchema = z.object({
  id: z.string(),
  title: z.string(),
  number: z.string().optional(),
  url: z.string().optional(),
  status: z.enum(DOCUMENT_STATUSES),
  supersededBy: z.string().optional(),
  isSummary: z.boolean().optional(),
  aliases: z.array(z.string()).optional(),
  docType: z.string().optional(),
  legalBasis: z.array(z.string()).optional(),
});
/** One line of corpus.ndjson: the document list first, then entries, then clauses. */
const corpusLineSchema = z.union([
  z.object({ docs: z.array(docSchema) }),
  z.object({ e: entrySchema }),
  z.object({ c: entrySchema.extend({ parent: z.number().int() }) }),
]);

/** Writes the corpus one line per unit: no single giant string is ever built. */
async function writeCorpus(file: string, corpus: Corpus): Promise<void> {
  const out = createWriteStream(file, { encoding: 'utf8' });
  const put = async (line: unknown) => {
    if (!out.write(`${JSON.stringify(line)}\n`)) await once(out, 'drain');
  };
  await put({ docs: corpus.docs });
  for (const e of corpus.entries) await put({ e });
  for (const c of corpus.clauses) await put({ c });
  out.end();
  await finished(out);
}

/**
 * Reads corpus.ndjson back. A clause's text is usually a verbatim part of its article's: it
 * is then kept as a slice of the article's string (V8 shares the characters), which saves
 * about a third of the corpus text a serving process holds; passage contexts are shared too.
 */
async function readCorpus(file: string): Promise<Corpus> {
  const corpus: Corpus = { docs: [], entries: [], clauses: [] };
  const contexts = new Map<string, string>();
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line) continue;
    const parsed = corpusLineSchema.parse(JSON.parse(line));
    if ('docs' in parsed) corpus.docs = parsed.docs;
    else if ('e' in parsed) {
      const e = parsed.e;
      if (e.context !== undefined) {
        const shared = contexts.get(e.context);
        if (shared === undefined) contexts.set(e.context, e.context);
        else e.context = shared;
      }
      corpus.entries.push(e);
    } else {
      const c = parsed.c;
      const parent = corpus.entries[c.parent]?.text;
      const at = parent === undefined ? -1 : parent.indexOf(c.text);
      if (at >= 0) c.text = parent!.slice(at, at + c.text.length);
      corpus.clauses.push(c);
    }
  }
  return corpus;
}

const vocabSchema = z.object({ syllables: z.array(z.string()) });

function indexArrays(prefix: string, idx: LexicalIndex): Record<string, Packable> {
  const d = idx.data;
  return {
    [`${prefix}.offsets`]: d.offsets,
    [`${prefix}.docs`]: d.docs,
    [`${prefix}.impacts`]: d.impacts,
    [`${prefix}.scales`]: d.scales,
    [`${prefix}.df`]: d.df,
  };
}

/** Writes an index folder atomically (temporary folder, then rename). */
export async function saveIndex(dir: string, parts: EngineParts): Promise<void> {
  const { corpus, ranker, vectors, corpusEmbeddings, embeddingsKind, lexicalParams } = parts;
  const tmp = `${dir.replace(/\/+$/, '')}.tmp-${process.pid}-${Date.now()}`;
  await rm(tmp, { recursive: true, force: true });
  // Missing parents are created private; an existing parent is the caller's (runtime.ts tightens the data dir).
  await mkdir(tmp, { recursive: true, mode: PRIVATE_DIR_MODE });
  const { vocab, articles, clauses } = ranker.data;
  const manifest: IndexManifest = {
    format: 'loa-retrieval',
    version: INDEX_FORMAT_VERSION,
    revision: parts.revision,
    createdAt: new Date().toISOString(),
    embeddings: { kind: embeddingsKind, dims: vectors?.dims ?? 0 },
    lexical: lexicalParams,
    counts: {
      docs: corpus.docs.length,
      entries: corpus.entries.length,
      clauses: corpus.clauses.length,
      termCount: vocab.termCount,
      bigrams: vocab.bigrams.size,
      foldedBigrams: vocab.foldedBigrams.size,
    },
  };
  const arrays: Record<string, Packable> = {
    sylFreq: vocab.sylFreq,
    'bigrams.keys': vocab.bigrams.keys,
    'bigrams.values': vocab.bigrams.values,
    'foldedBigrams.keys': vocab.foldedBigrams.keys,
    'foldedBigrams.values': vocab.foldedBigrams.values,
    ...indexArrays('articles', articles),
    ...indexArrays('clauses', clauses),
    clauseParent: ranker.data.clauseParent,
    entryTokens: ranker.data.entryTokens,
    entryTokenOffsets: ranker.data.entryTokenOffsets,
  };
  if (corpusEmbeddings) {
    arrays['lsa.columnTerms'] = corpusEmbeddings.model.columnTerms;
    arrays['lsa.columnIdf'] = corpusEmbeddings.model.columnIdf;
    arrays['lsa.projection'] = corpusEmbeddings.model.projection;
    manifest.embeddings.model = `lsa-${corpusEmbeddings.model.dims}`;
  }
  await writeFile(join(tmp, 'manifest.json'), JSON.stringify(manifest, null, 2));
  await writeCorpus(join(tmp, 'corpus.ndjson'), corpus);
  await writeFile(join(tmp, 'vocab.json'), JSON.stringify({ syllables: vocab.syllables }));
  await writePack(join(tmp, 'lexical.pack'), arrays);
  if (vectors) await vectors.save(join(tmp, 'vectors'));
  // The index holds the corpus text: private like the database (0700/0600).
  privatizeTree(tmp);
  await rm(dir, { recursive: true, force: true });
  await rename(tmp, dir);
}

function need<T extends Packable>(pack: Map<string, Packable>, name: string, ctor: { new (...a: never[]): T }): T {
  const a = pack.get(name);
  if (!(a instanceof ctor)) throw new Error(`index pack lacks ${name}`);
  return a;
}

function loadIndex(pack: Map<string, Packable>, prefix: string, docCount: number, params: LexicalParams): LexicalIndex {
  return new LexicalIndex({
    docCount,
    params,
    offsets: need(pack, `${prefix}.offsets`, Uint32Array),
    docs: need(pack, `${prefix}.docs`, Uint32Array),
    impacts: need(pack, `${prefix}.impacts`, Uint8Array),
    scales: need(pack, `${prefix}.scales`, Float32Array),
    df: need(pack, `${prefix}.df`, Uint32Array),
  });
}

/** Reads the manifest, or undefined when there is no index in `dir`. */
export async function readManifest(dir: string): Promise<IndexManifest | undefined> {
  try {
    await stat(join(dir, 'manifest.json'));
  } catch {
    return undefined;
  }
  const parsed = manifestSchema.safeParse(JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')));
  return parsed.success ? parsed.data : undefined;
}

/**
 * Loads the parts of a saved index; `external` supplies embeddings for the 'openai' kind.
 * `yielding` gives the event loop a turn while deriving per-entry facts (a serving process
 * swapping in a rebuilt index keeps answering meanwhile).
 */
export async function loadIndexParts(
  dir: string,
  manifest: IndexManifest,
  external?: Embeddings,
  yielding = false,
): Promise<EngineParts> {
  const [corpus, vocabRaw, pack] = await Promise.all([
    readCorpus(join(dir, 'corpus.ndjson')),
    readFile(join(dir, 'vocab.json'), 'utf8'),
    readPack(join(dir, 'lexical.pack')),
  ]);
  const { syllables } = vocabSchema.parse(JSON.parse(vocabRaw));
  const c = manifest.counts;
  const bigrams = new NumericMap(0, need(pack, 'bigrams.keys', Float64Array), need(pack, 'bigrams.values', Int32Array), c.bigrams);
  const folded = new NumericMap(
    0,
    need(pack, 'foldedBigrams.keys', Float64Array),
    need(pack, 'foldedBigrams.values', Int32Array),
    c.foldedBigrams,
  );
  const vocab = Vocabulary.restore(syllables, need(pack, 'sylFreq', Uint32Array), c.termCount, bigrams, folded);
  const facts = yielding ? await corpusFactsYielding(vocab, corpus) : corpusFacts(vocab, corpus);
  const ranker = new LexicalRanker({
    vocab,
    articles: loadIndex(pack, 'articles', corpus.entries.length, manifest.lexical),
    clauses: loadIndex(pack, 'clauses', corpus.clauses.length, manifest.lexical),
    clauseParent: need(pack, 'clauseParent', Int32Array),
    ...facts,
    entryTokens: need(pack, 'entryTokens', Int32Array),
    entryTokenOffsets: need(pack, 'entryTokenOffsets', Uint32Array),
  });
  const kind = manifest.embeddings.kind as EmbeddingsKind;
  let corpusEmbeddings: CorpusEmbeddings | undefined;
  let vectors: VectorIndex | undefined;
  if (kind === 'corpus' && pack.has('lsa.projection')) {
    corpusEmbeddings = new CorpusEmbeddings(
      {
        dims: manifest.embeddings.dims,
        columnTerms: need(pack, 'lsa.columnTerms', Int32Array),
        columnIdf: need(pack, 'lsa.columnIdf', Float32Array),
        projection: need(pack, 'lsa.projection', Float32Array),
      },
      vocab,
    );
    vectors = await VectorIndex.load(join(dir, 'vectors'), corpusEmbeddings);
  } else if (kind === 'openai' && external && manifest.embeddings.dims > 0) {
    vectors = await VectorIndex.load(join(dir, 'vectors'), external);
  }
  return {
    corpus,
    ranker,
    lexicalParams: manifest.lexical,
    embeddingsKind: kind,
    corpusEmbeddings,
    externalEmbeddings: kind === 'openai' ? external : undefined,
    vectors,
    revision: manifest.revision,
  };
}
