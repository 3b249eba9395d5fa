import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import type { KnowledgeStore } from './ports.ts';
import type { IngestSummary } from './types.ts';
import type { KnowledgeDocument } from '../domain/document.ts';
import { buildDocument } from './build-document.ts';
import { documentIdFromPath } from './document-id.ts';
import { extractText, formatOf } from './formats.ts';
import { parseFileMeta, parseSidecar, readSidecar, type ExplicitMeta } from './metadata.ts';
import { UnreadableDocumentError } from './parse/extracted.ts';
import { DEFAULT_PARSE_LIMITS, extractIsolated, type ParseLimits } from './parse/isolated-extract.ts';
import { parseJsonlCorpus } from './parse/jsonl.ts';
import { decodeText } from './parse/normalize.ts';
import { versionConflicts } from './succession.ts';
import { collectFiles } from './walk.ts';

/** What ingestion needs from a store (a staging collector works too, e.g. for atomic seeding). */
export type IngestTarget = Pick<KnowledgeStore, 'putDocument' | 'findBySource'>;

/**
 * Bumped when parsing changes in a way that changes units: the content hash includes it, so
 * the next ingest re-parses files whose bytes did not change.
 */
export const PARSER_VERSION = 'loa-ingest-1';

/** What happened to one input file. */
export type IngestOutcome = 'added' | 'replaced' | 'unchanged' | 'skipped';

/** Reported after each file, for progress bars and log lines. */
export interface IngestProgress {
  done: number;
  total: number;
  /** The file (relative to the folder given) or upload name. */
  source: string;
  /** For JSONL corpora, the outcome of the file as a whole: 'added' if any document was added, etc. */
  outcome: IngestOutcome;
  /** Skip reason, or a short description ("12 articles"). */
  detail: string;
}

/** The subset of a pino logger ingestion writes to. */
export interface IngestLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface IngestOptions {
  /** Larger files are skipped (LOA_MAX_FILE_MB). */
  maxFileBytes: number;
  onProgress?: (progress: IngestProgress) => void;
  logger?: IngestLogger;
  /** Largest passage for documents without articles, in characters. */
  maxPassageChars?: number;
  /** Time and memory for parsing one DOCX or PDF, which runs in a worker thread (LOA_PARSE_TIMEOUT_S, LOA_PARSE_MEMORY_MB). */
  parseLimits?: ParseLimits;
}

export interface IngestBufferOptions extends IngestOptions {
  /** Provenance recorded on the document; default `upload:<name>`. */
  source?: string;
  /** Raw snake_case metadata, as in a sidecar file (validated here). */
  metadata?: unknown;
}

/** Collects counts for the summary while files are processed. */
class SummaryBuilder {
  readonly summary: IngestSummary = { documents: { added: 0, replaced: 0, unchanged: 0 }, articles: 0, units: 0, skipped: [], warnings: [] };
  /** Document ids written in this run, so two files claiming the same id are caught. */
  readonly idsThisRun = new Map<string, string>();

  count(outcome: Exclude<IngestOutcome, 'skipped'>, articles: number, units: number): void {
    this.summary.documents[outcome]++;
    this.summary.articles += articles;
    this.summary.units += units;
  }

  skip(source: string, reason: string): void {
    this.summary.skipped.push({ source, reason });
  }
}

interface FileInput {
  /** Name shown to the operator (relative path or upload name). */
  name: string;
  /** Provenance stored on the document. */
  source: string;
  bytes: Uint8Array;
  defaultId: string;
  sidecar?: { name: string; bytes: Uint8Array } | { meta: unknown };
}

const articlesOf = (doc: KnowledgeDocument) => doc.units.filter((u) => u.kind === 'article').length;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** Combines several per-document outcomes of one file into the file's outcome. */
function fileOutcome(outcomes: IngestOutcome[]): IngestOutcome {
  for (const o of ['added', 'replaced', 'unchanged'] as const) if (outcomes.includes(o)) return o;
  return 'skipped';
}

/** Stores a parsed document, refusing a second file that claims an id already written in this run. */
async function storeDocument(
  doc: KnowledgeDocument,
  input: FileInput,
  store: IngestTarget,
  acc: SummaryBuilder,
): Promise<Exclude<IngestOutcome, 'skipped'>> {
  const owner = acc.idsThisRun.get(doc.id);
  if (owner !== undefined && owner !== input.source) {
    throw new UnreadableDocumentError(`document id "${doc.id}" is already used by ${owner} in this run: give one of them its own id in its metadata`);
  }
  acc.idsThisRun.set(doc.id, input.source);
  const outcome = await store.putDocument(doc);
  acc.count(outcome, articlesOf(doc), doc.units.length);
  return outcome;
}

async function ingestJsonl(input: FileInput, store: IngestTarget, acc: SummaryBuilder): Promise<{ outcome: IngestOutcome; detail: string }> {
  const { documents, errors } = parseJsonlCorpus(decodeText(input.bytes), input.name);
  for (const e of errors) acc.skip(`${input.name}:${e.line}`, e.reason);
  if (documents.length === 0) {
    const reason = errors.length > 0 ? `no valid lines (${errors.length} invalid)` : 'no documents in the file';
    acc.skip(input.name, reason);
    return { outcome: 'skipped', detail: reason };
  }
  const outcomes: IngestOutcome[] = [];
  let articles = 0;
  for (const doc of documents) {
    try {
      outcomes.push(await storeDocument(doc, input, store, acc));
      articles += articlesOf(doc);
    } catch (e) {
      if (!(e instanceof UnreadableDocumentError)) throw e;
      acc.skip(`${input.name}#${doc.id}`, e.message);
      outcomes.push('skipped');
    }
  }
  const invalid = errors.length > 0 ? `, ${errors.length} invalid lines` : '';
  return { outcome: fileOutcome(outcomes), detail: `${documents.length} documents, ${articles} articles${invalid}` };
}

/** Parses and stores one file; throws UnreadableDocumentError for anything the operator must fix. */
async function ingestOne(
  input: FileInput,
  store: IngestTarget,
  acc: SummaryBuilder,
  opts: IngestOptions,
): Promise<{ outcome: IngestOutcome; detail: string }> {
  if (input.bytes.length === 0) throw new UnreadableDocumentError('empty file');
  if (input.bytes.length > opts.maxFileBytes) {
    throw new UnreadableDocumentError(`file too large (${mb(input.bytes.length)}; the limit LOA_MAX_FILE_MB is ${mb(opts.maxFileBytes)})`);
  }
  const kind = formatOf(input.name);
  if ('unsupported' in kind) throw new UnreadableDocumentError(kind.unsupported);
  if (kind.format === 'jsonl') return ingestJsonl(input, store, acc);

  const hash = createHash('sha256').update(PARSER_VERSION).update('\u0000').update(input.bytes);
  let sidecar: ExplicitMeta | undefined;
  if (input.sidecar && 'bytes' in input.sidecar) {
    hash.update('\u0000').update(input.sidecar.bytes);
    sidecar = parseSidecar(input.sidecar.name, input.sidecar.bytes);
  } else if (input.sidecar) {
    hash.update('\u0000').update(JSON.stringify(input.sidecar.meta) ?? '');
    sidecar = parseFileMeta(input.sidecar.meta, 'the metadata sent with the upload');
  }
  const contentHash = hash.digest('hex');

  // Unchanged bytes (and metadata): nothing to parse.
  const previous = await store.findBySource(input.source);
  if (previous && previous.contentHash === contentHash) {
    acc.idsThisRun.set(previous.id, input.source);
    acc.count('unchanged', previous.articleCount, previous.unitCount);
    return { outcome: 'unchanged', detail: 'unchanged' };
  }
  // DOCX and PDF can ask for unbounded work from a small file: parsed in a bounded worker.
  const extracted =
    kind.format === 'docx' || kind.format === 'pdf'
      ? await extractIsolated(kind.format, input.bytes, opts.parseLimits ?? DEFAULT_PARSE_LIMITS)
      : await extractText(kind.format, input.bytes);
  if (!extracted.text.trim()) {
    throw new UnreadableDocumentError(kind.format === 'pdf' ? 'no text layer (a scanned PDF needs OCR first)' : 'no text in the file');
  }
  // A file already known keeps its id even when ingested from another folder level.
  const defaultId = previous?.id ?? input.defaultId;
  const doc = buildDocument({ extracted, name: input.name, source: input.source, contentHash, defaultId, sidecar, maxPassageChars: opts.maxPassageChars });
  const outcome = await storeDocument(doc, input, store, acc);
  const articles = articlesOf(doc);
  return { outcome, detail: articles > 0 ? `${articles} articles, ${doc.units.length} units` : `${doc.units.length} passages` };
}

/** Runs one file through ingestOne, turning unreadable files into skip entries. Store errors propagate. */
async function processFile(
  load: () => Promise<FileInput>,
  name: string,
  store: IngestTarget,
  acc: SummaryBuilder,
  opts: IngestOptions,
): Promise<{ outcome: IngestOutcome; detail: string }> {
  try {
    const input = await load();
    const r = await ingestOne(input, store, acc, opts);
    opts.logger?.info({ source: name, outcome: r.outcome }, `${r.outcome} ${name}: ${r.detail}`);
    return r;
  } catch (e) {
    if (!(e instanceof UnreadableDocumentError) && !isFileError(e)) throw e;
    const reason = e instanceof UnreadableDocumentError ? e.message : `cannot read: ${(e as Error).message}`;
    acc.skip(name, reason);
    opts.logger?.warn({ source: name, reason }, `skipped ${name}: ${reason}`);
    return { outcome: 'skipped', detail: reason };
  }
}

const isFileError = (e: unknown) => typeof (e as NodeJS.ErrnoException)?.code === 'string' && (e as NodeJS.ErrnoException).syscall !== undefined;

/**
 * Ingests files and folders (recursively) into the knowledge store. Unchanged files are
 * no-ops, changed files replace their previous version, and unreadable files are skipped
 * with a reason while whatever the store already holds stays as it was.
 *
 * @example
 * const summary = await ingestPaths(['docs/'], store, { maxFileBytes: 50 * 1024 * 1024 });
 */
export async function ingestPaths(paths: string[], store: IngestTarget, opts: IngestOptions): Promise<IngestSummary> {
  const acc = new SummaryBuilder();
  const { files, missing } = await collectFiles(paths);
  for (const m of missing) {
    acc.skip(m.source, m.reason);
    opts.logger?.warn(m, `skipped ${m.source}: ${m.reason}`);
  }
  let done = 0;
  for (const f of files) {
    const name = f.relative || f.path;
    const r = await processFile(
      async () => {
        // Check the size before reading: an oversized file is never loaded into memory.
        const st = await stat(f.path);
        if (st.size === 0) throw new UnreadableDocumentError('empty file');
        if (st.size > opts.maxFileBytes) {
          throw new UnreadableDocumentError(`file too large (${mb(st.size)}; the limit LOA_MAX_FILE_MB is ${mb(opts.maxFileBytes)})`);
        }
        const kind = formatOf(f.path);
        if ('unsupported' in kind) throw new UnreadableDocumentError(kind.unsupported);
        const sidecar = kind.format === 'jsonl' ? undefined : await readSidecar(f.path);
        return { name, source: f.path, bytes: await readFile(f.path), defaultId: documentIdFromPath(f.relative), sidecar };
      },
      name,
      store,
      acc,
      opts,
    );
    done++;
    opts.onProgress?.({ done, total: files.length, source: name, outcome: r.outcome, detail: r.detail });
  }
  return withVersionWarnings(acc.summary, store, opts);
}

/** Adds a warning for each document whose versions are all marked in force (flagged to staff at ingest). */
async function withVersionWarnings(summary: IngestSummary, store: IngestTarget | KnowledgeStore, opts: IngestOptions): Promise<IngestSummary> {
  // A staging target (the sample knowledge base, stored in one transaction) has nothing to compare with.
  if (!('listDocuments' in store)) return summary;
  summary.warnings.push(...versionConflicts(await store.listDocuments()));
  for (const w of summary.warnings) opts.logger?.warn({ event: 'version_conflict' }, w);
  return summary;
}

/**
 * Ingests one uploaded file (the admin console). `name` decides the format and the default
 * id; `metadata` is the same snake_case object a sidecar file would hold.
 */
export async function ingestBuffer(name: string, bytes: Buffer, store: IngestTarget & Pick<KnowledgeStore, 'listDocuments'>, opts: IngestBufferOptions): Promise<IngestSummary> {
  const acc = new SummaryBuilder();
  const r = await processFile(
    async () => ({
      name,
      source: opts.source ?? `upload:${name}`,
      bytes,
      defaultId: documentIdFromPath(name),
      sidecar: opts.metadata === undefined ? undefined : { meta: opts.metadata },
    }),
    name,
    store,
    acc,
    opts,
  );
  opts.onProgress?.({ done: 1, total: 1, source: name, outcome: r.outcome, detail: r.detail });
  return withVersionWarnings(acc.summary, store, opts);
}
