/**
 * What knowledge/ needs from outside: a store of documents and their units (implemented in
 * storage/, SQLite or PostgreSQL). Ingestion writes through it; retrieval's index is built
 * from what it holds.
 */
import type { DocumentMeta, KnowledgeDocument } from '../domain/document.ts';

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
