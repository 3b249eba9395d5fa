/**
 * Ingestion's own shapes. The document shapes (`KnowledgeDocument`, `KnowledgeUnit`,
 * `DocumentMeta`, `DocumentStatus`) live in domain/document.ts; re-exported here.
 */

export { DOCUMENT_STATUSES } from '../domain/document.ts';
export type { DocumentMeta, DocumentStatus, KnowledgeDocument, KnowledgeUnit, UnitKind } from '../domain/document.ts';

/** Result of ingesting a set of files. */
export interface IngestSummary {
  documents: { added: number; replaced: number; unchanged: number };
  articles: number;
  units: number;
  skipped: { source: string; reason: string }[];
  /** Problems for staff to look at (e.g. two versions of one document both in force). */
  warnings: string[];
}
