/**
 * The knowledge library: the one place that changes the knowledge (uploads, metadata and
 * status, deletion, the synthetic FAQ document) and keeps the bot's index in step with it.
 * Builds run in a worker (index-builder.ts); the serving index is swapped in one assignment
 * once the new one is loaded, so questions are answered from the old index until then.
 * Every change is announced on the change feed, so other instances rebuild at once.
 */
import type { Logger } from 'pino';
import type { LexiconEntry, Retriever } from '../../retrieval/index.ts';
import { ingestBuffer } from '../ingest.ts';
import type { ParseLimits } from '../parse/isolated-extract.ts';
import type { ApprovedFaqSource, KnowledgeChangeFeed, LibraryDocumentSummary, LibraryStore } from '../ports.ts';
import type { IngestSummary } from '../types.ts';
import type { DocumentMeta, KnowledgeDocument } from '../../domain/document.ts';
import { allApprovedFaqs, buildFaqDocument, FAQ_DOCUMENT_ID, FAQ_DOCUMENT_SOURCE, isFaqDocument } from './faq-document.ts';
import type { BuildProgress, IndexBuilder } from './index-builder.ts';
import { IndexStatusTracker, type IndexStatus } from './index-status.ts';

/** The agency's vocabulary and the synonym revision it reflects (query-time only: no rebuild). */
export interface Vocabulary {
  revision: number;
  lexicon: readonly LexiconEntry[];
}

export interface KnowledgeLibraryOptions {
  store: LibraryStore;
  faqs: ApprovedFaqSource;
  feed: KnowledgeChangeFeed;
  agencyName: string;
  logger: Logger;
  ingest: { maxFileBytes: number; parseLimits: ParseLimits };
  /** The index serving at start (loaded or built before the server listens). */
  initial: Retriever;
  builder: IndexBuilder;
  /** Loads the index the builder saved, with this lexicon; undefined when it is not that revision. */
  load(revision: number, lexicon: readonly LexiconEntry[]): Promise<Retriever | undefined>;
  /** Saves a patched serving index where `load` and the next start read it. */
  save(retriever: Retriever): Promise<void>;
  synonyms: { revision(): Promise<number>; vocabulary(): Promise<Vocabulary> };
  vocabulary: Vocabulary;
  /** How long a change waits for the new index before its caller goes on (ms; the build continues). */
  waitForIndexMs?: number;
}

/** Why a document cannot be changed through the library's document operations. */
export type Unchangeable = 'not_found' | 'managed_by_faqs';

/** What an upload did: the ingest summary and the documents it wrote, with their previous state. */
export interface UploadOutcome {
  summary: IngestSummary;
  /** Documents added or replaced by this upload. */
  written: LibraryDocumentSummary[];
  /** Every document as it was before the upload, by id. */
  before: ReadonlyMap<string, LibraryDocumentSummary>;
  /** True when the file claimed the FAQ document's id: it was refused and the FAQs put back. */
  reservedId: boolean;
}

/** Metadata the index holds nothing derived from but the citation (status, link) or nothing at all. */
const PATCHABLE: ReadonlySet<keyof DocumentMeta> = new Set(['status', 'supersededBy', 'url', 'issuer', 'issuedDate', 'effectiveDate']);

export class KnowledgeLibrary {
  private current: Retriever;
  private vocab: Vocabulary;
  private readonly tracker: IndexStatusTracker;
  // Refreshes run one after another, so two changes in quick succession never race; a change
  // landing during a build is picked up by the next refresh in the chain.
  private refreshing: Promise<boolean> = Promise.resolve(false);
  private faqQueue: Promise<unknown> = Promise.resolve();
  private readonly unsubscribe: () => void;

  constructor(private readonly o: KnowledgeLibraryOptions) {
    this.current = o.initial;
    this.vocab = o.vocabulary;
    this.tracker = new IndexStatusTracker(o.initial.revision, o.initial.units);
    this.unsubscribe = o.feed.subscribe(() => {
      this.refresh().catch((err: unknown) => o.logger.error({ err }, 'knowledge refresh after a change notification failed'));
    });
  }

  /** The index answering questions now. */
  retriever(): Retriever {
    return this.current;
  }

  /** Build status for the console: idle, building (with progress) or failed (with the reason). */
  status(): IndexStatus {
    return this.tracker.snapshot();
  }

  /**
   * Brings the serving index up to the store: rebuilds (in the worker) when documents changed,
   * swaps in the agency's synonyms when only they changed. Resolves true when it did either;
   * rejects when the build failed (the old index keeps serving and the status says why).
   */
  refresh(): Promise<boolean> {
    // A failed build must not poison the chain: the next call tries again.
    this.refreshing = this.refreshing.catch(() => false).then(() => this.refreshNow());
    return this.refreshing;
  }

  private async refreshNow(): Promise<boolean> {
    const { store, synonyms, builder, load, logger } = this.o;
    const revision = await store.revision();
    const synonymRevision = await synonyms.revision();
    if (revision === this.current.revision && synonymRevision === this.vocab.revision) return false;
    if (synonymRevision !== this.vocab.revision) this.vocab = await synonyms.vocabulary();
    if (revision === this.current.revision) {
      this.current = this.current.withLexicon(this.vocab.lexicon);
      return true;
    }
    this.tracker.building(revision);
    try {
      const built = await builder.build((p: BuildProgress) => this.tracker.progress(p));
      this.tracker.progress({ stage: 'loading', done: 0, total: 1 });
      const next = await load(built.revision, this.vocab.lexicon);
      if (!next) throw new Error(`the saved index is not revision ${built.revision}`);
      this.current = next;
      this.tracker.built(next.revision, next.units, built.ms);
      logger.info({ event: 'index_swapped', revision: next.revision, units: next.units, ms: built.ms }, 'retrieval index rebuilt in the worker and swapped in');
      return true;
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      this.tracker.failed(reason);
      logger.error({ err, revision }, 'index build failed; the previous index keeps serving');
      throw err;
    }
  }

  /** After a write: tells the other instances, then waits (a bounded time) for the new index. */
  private async changed(o: { refresh: boolean } = { refresh: true }): Promise<void> {
    const { feed, store, logger } = this.o;
    try {
      await feed.announce(await store.revision());
    } catch (err) {
      logger.warn({ err }, 'announcing a knowledge change failed; other instances follow on their next poll');
    }
    if (o.refresh) await this.refreshWithin();
  }

  /**
   * Refreshes, waiting at most `waitForIndexMs` (a big corpus builds for minutes; the build
   * goes on and the status shows it). False when the build failed within the wait.
   */
  private async refreshWithin(): Promise<boolean> {
    const refresh = this.refresh().then(
      () => true,
      (err: unknown) => {
        this.o.logger.error({ err }, 'refreshing the index after a knowledge change failed');
        return false;
      },
    );
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), this.o.waitForIndexMs ?? 30_000)));
    const ok = await Promise.race([refresh, waited]);
    clearTimeout(timer);
    return ok;
  }

  /** The document when documents routes may change it: not the synthetic FAQ document. */
  async changeable(id: string): Promise<KnowledgeDocument | Unchangeable> {
    const doc = await this.o.store.getDocument(id);
    if (!doc) return 'not_found';
    return isFaqDocument(doc) ? 'managed_by_faqs' : doc;
  }

  /** Stores an uploaded file (replacing an earlier upload of the same name) and refreshes the index. */
  async upload(name: string, bytes: Buffer): Promise<UploadOutcome> {
    const { store, logger, ingest } = this.o;
    const before = new Map((await store.listDocuments()).map((d) => [d.id, d]));
    const summary = await ingestBuffer(name, bytes, store, { maxFileBytes: ingest.maxFileBytes, logger, parseLimits: ingest.parseLimits });
    const after = await store.listDocuments();
    const written = after.filter((d) => before.get(d.id)?.contentHash !== d.contentHash || before.get(d.id)?.ingestedAt !== d.ingestedAt);
    // Front matter may claim the FAQ document's id: put the FAQs back and refuse the file.
    const reservedId = written.some((d) => d.id === FAQ_DOCUMENT_ID && d.source !== FAQ_DOCUMENT_SOURCE);
    if (reservedId) {
      await store.removeDocument(FAQ_DOCUMENT_ID);
      await this.syncFaqs();
      return { summary, written: written.filter((d) => d.id !== FAQ_DOCUMENT_ID), before, reservedId };
    }
    if (written.length > 0) await this.changed();
    return { summary, written, before, reservedId };
  }

  /**
   * Applies new metadata (status included); false when nothing changed (no write, no rebuild).
   * A change of legal status, link, issuer or dates only (nothing indexed depends on them) is
   * patched into the serving index at once instead of rebuilding it: superseding a document
   * takes effect in milliseconds even at 60 000 articles.
   */
  async setMeta(doc: KnowledgeDocument, meta: DocumentMeta): Promise<boolean> {
    if (JSON.stringify(meta) === JSON.stringify(doc.meta)) return false;
    const keys = new Set([...Object.keys(doc.meta), ...Object.keys(meta)] as (keyof DocumentMeta)[]);
    const patchable = [...keys].every((k) => JSON.stringify(doc.meta[k]) === JSON.stringify(meta[k]) || PATCHABLE.has(k));
    const before = await this.o.store.revision();
    await this.o.store.updateMeta(doc.id, meta);
    const patched = patchable && (await this.patchStatus(doc.id, meta, before));
    await this.changed({ refresh: !patched });
    return true;
  }

  /**
   * Patches one document's status into the serving index when it is exactly one write behind
   * the store (this one); false otherwise (a build then follows). Runs in the refresh chain, so
   * it never interleaves with a build; resolves once the patch serves, while the patched index
   * is saved behind it (a restart then loads it instead of rebuilding).
   */
  private patchStatus(docId: string, meta: DocumentMeta, before: number): Promise<boolean> {
    const { store, save, logger } = this.o;
    return new Promise<boolean>((resolve) => {
      this.refreshing = this.refreshing
        .catch(() => false)
        .then(async () => {
          try {
            const after = await store.revision();
            const patched = before === this.current.revision && after === before + 1 ? this.current.withDocumentStatus(docId, meta, after) : undefined;
            if (!patched) return false;
            this.current = patched;
            this.tracker.patched(after);
            resolve(true);
            await save(patched).catch((err: unknown) => logger.warn({ err }, 'saving the patched index failed; the next start rebuilds it'));
            return true;
          } finally {
            resolve(false);
          }
        });
    });
  }

  /** Deletes a document and refreshes the index. */
  async remove(id: string): Promise<boolean> {
    const removed = await this.o.store.removeDocument(id);
    if (removed) await this.changed();
    return removed;
  }

  /**
   * Rewrites (or removes) the FAQ document from the approved FAQs, then refreshes the index
   * (waiting at most `waitForIndexMs`). Resolves false when the build failed (the change is
   * stored; the next refresh picks it up). Syncs run one after another: each reads the approved set when it
   * starts, so two overlapping syncs never store an older set over a newer one.
   */
  syncFaqs(): Promise<boolean> {
    const run = () => this.syncFaqsNow();
    const next = this.faqQueue.then(run, run);
    this.faqQueue = next.catch(() => undefined);
    return next;
  }

  private async syncFaqsNow(): Promise<boolean> {
    const { store, faqs, agencyName, logger } = this.o;
    const doc = buildFaqDocument(await allApprovedFaqs(faqs), agencyName, new Date());
    let wrote = false;
    if (doc) wrote = (await store.putDocument(doc)) !== 'unchanged';
    else {
      const existing = await store.getDocument(FAQ_DOCUMENT_ID);
      // Only our own document: a file someone ingested under this id is not ours to delete.
      if (existing && isFaqDocument(existing)) wrote = await store.removeDocument(FAQ_DOCUMENT_ID);
    }
    if (wrote) {
      try {
        await this.o.feed.announce(await store.revision());
      } catch (err) {
        logger.warn({ err }, 'announcing an FAQ change failed; other instances follow on their next poll');
      }
    }
    return this.refreshWithin();
  }

  /** Stops listening for changes and stops the index worker (the feed itself belongs to whoever opened it). */
  async close(): Promise<void> {
    this.unsubscribe();
    await this.o.builder.close();
  }
}
