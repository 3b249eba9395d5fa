/**
 * What the knowledge library needs from the outside, declared here so `storage/` implements
 * it (and tests can pass a real store) without the library importing any backend.
 */
import type { DocumentMeta, KnowledgeDocument } from '../domain/document.ts';

/** A document without its units, for listings and change detection. */
export interface LibraryDocumentSummary {
  id: string;
  title: string;
  source: string;
  contentHash: string;
  meta: DocumentMeta;
  unitCount: number;
  articleCount: number;
  ingestedAt: string;
}

/**
 * The document store as the library uses it (storage's `KnowledgeStore` satisfies it).
 * Every write is atomic and raises `revision()`.
 */
export interface LibraryStore {
  putDocument(doc: KnowledgeDocument): Promise<'added' | 'replaced' | 'unchanged'>;
  getDocument(id: string): Promise<KnowledgeDocument | undefined>;
  findBySource(source: string): Promise<LibraryDocumentSummary | undefined>;
  listDocuments(): Promise<LibraryDocumentSummary[]>;
  updateMeta(id: string, meta: DocumentMeta): Promise<boolean>;
  removeDocument(id: string): Promise<boolean>;
  /** Increases on every change; an index records the revision it was built from. */
  revision(): Promise<number>;
}

/** An approved FAQ as the synthetic FAQ document needs it. */
export interface ApprovedFaq {
  id: string;
  questions: string[];
  answer: string;
  citations: { title: string; number?: string; section: string }[];
}

/** Where approved FAQs come from (storage's `FaqStore` satisfies it). */
export interface ApprovedFaqSource {
  list(filter: { status: 'approved'; limit: number; offset: number }): Promise<ApprovedFaq[]>;
}

/**
 * How instances sharing one database hear of each other's knowledge changes at once
 * (PostgreSQL LISTEN/NOTIFY; in-process for SQLite, which has one instance). The revision
 * poll stays as a slow fallback for a lost notification.
 */
export interface KnowledgeChangeFeed {
  /** Tells every instance (this one included) that the knowledge store reached `revision`. */
  announce(revision: number): Promise<void>;
  /** Calls `listener` for every announced change; returns the unsubscribe function. */
  subscribe(listener: (revision: number) => void): () => void;
  /** True when announcements reach other processes (the poll can then be slow). */
  readonly crossInstance: boolean;
  close(): Promise<void>;
}

// ── The whole document store (storage/sqlite/ and storage/postgres/knowledge-store.ts; ingestion
// and the index build use it; `LibraryStore` above is the library's narrower view) ──

/** A document without its units, for listings. */
export interface DocumentSummary {
  id: string;
  title: string;
  source: string;
  contentHash: string;
  meta: DocumentMeta;
  unitCount: number;
  articleCount: number;
  ingestedAt: string;
}

/**
 * Where official documents live. SQLite by default; PostgreSQL for multi-instance
 * deployments. Every write is atomic: a replaced document never leaves half its units.
 */
export interface KnowledgeStore {
  /** Adds, replaces (same id, different hash) or leaves unchanged (same hash) a document. */
  putDocument(doc: KnowledgeDocument): Promise<'added' | 'replaced' | 'unchanged'>;
  /** Several documents in one transaction: all stored, or (on any failure) none. */
  putDocuments(docs: KnowledgeDocument[]): Promise<Array<'added' | 'replaced' | 'unchanged'>>;
  getDocument(id: string): Promise<KnowledgeDocument | undefined>;
  /** The document previously ingested from this source, if any. */
  findBySource(source: string): Promise<DocumentSummary | undefined>;
  listDocuments(): Promise<DocumentSummary[]>;
  /** All documents with their units, for building the retrieval index. */
  allDocuments(): Promise<KnowledgeDocument[]>;
  updateMeta(id: string, meta: DocumentMeta): Promise<boolean>;
  removeDocument(id: string): Promise<boolean>;
  /** Increases on every change; the retrieval index records the revision it was built from. */
  revision(): Promise<number>;
}
