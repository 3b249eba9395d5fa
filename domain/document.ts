/**
 * The shapes of official knowledge once it is inside Loa: documents, their metadata and
 * their citable units. Every module (retrieval, bots, admin, storage) sees documents only
 * through these types.
 */
import { z } from 'zod';

export const DOCUMENT_STATUSES = ['in_force', 'amended', 'superseded', 'expired', 'unknown'] as const;
/** Legal status of a document. Superseded/expired documents stay searchable but are never cited as current law. */
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

/** Metadata of an official document (from front matter, a sidecar file or the text itself). */
export interface DocumentMeta {
  /** Số hiệu, e.g. "68/2020/QH14". */
  number?: string;
  /** Loại văn bản: "Luật", "Nghị định", "Thông tư", "Quyết định", "Tóm tắt" … */
  docType?: string;
  /** Cơ quan ban hành. */
  issuer?: string;
  /** Ngày ban hành, ISO yyyy-mm-dd. */
  issuedDate?: string;
  /** Ngày hiệu lực, ISO yyyy-mm-dd. */
  effectiveDate?: string;
  status: DocumentStatus;
  /** Number or title of the document that replaces or amends this one. */
  supersededBy?: string;
  /** Where the official text can be read. */
  url?: string;
  /** True for plain-language summaries written by the agency: never presented as official text. */
  isSummary?: boolean;
  /** For summaries: the official provisions summarised, e.g. "Điều 20 Luật Cư trú 68/2020/QH14". */
  legalBasis?: string[];
  /** Other names citizens use for the document: "BLDS", "luật cư trú". */
  aliases?: string[];
}

/** What a unit is: a whole article, one clause of it, a passage of unstructured text, or an approved FAQ. */
export type UnitKind = 'article' | 'clause' | 'passage' | 'faq';

/** One citable unit of a document. */
export interface KnowledgeUnit {
  /**
   * Stable citation id. For JSONL corpora it is the line's `id` (so evaluation can compare
   * with gold ids); for parsed documents `${docId}::${articleNo}` for an article and
   * `${docId}::${articleNo}.${clauseNo}` for a clause.
   */
  id: string;
  docId: string;
  kind: UnitKind;
  /** For a clause: the citation id of its article (articles are ranked by their best clause). */
  parentId?: string;
  /** Human-readable location, e.g. "Chương II, Điều 20, Khoản 2". */
  section: string;
  articleNo?: string;
  clauseNo?: string;
  pointNo?: string;
  /** Article heading, e.g. "Điều kiện đăng ký thường trú". */
  heading?: string;
  /** The unit's own text, NFC-normalised. For an article: its full body including clauses. */
  text: string;
}

/** A document as stored: identity, provenance, metadata and its units. */
export interface KnowledgeDocument {
  /** Stable id: derived from the source path (files) or the JSONL law id. */
  id: string;
  title: string;
  /** Where it came from: a file path, or `jsonl:<file>#<law_id>`. */
  source: string;
  /** sha256 of the source bytes: re-ingesting unchanged bytes is a no-op. */
  contentHash: string;
  meta: DocumentMeta;
  units: KnowledgeUnit[];
  /** ISO timestamp. */
  ingestedAt: string;
}

/** DocumentMeta as a schema: its fields and their types (the console's API documents it with this). */
export const documentMetaShape = z.object({
  number: z.string().optional(),
  docType: z.string().optional(),
  issuer: z.string().optional(),
  issuedDate: z.string().optional(),
  effectiveDate: z.string().optional(),
  status: z.enum(DOCUMENT_STATUSES),
  supersededBy: z.string().optional(),
  url: z.string().optional(),
  isSummary: z.boolean().optional(),
  legalBasis: z.array(z.string()).optional(),
  aliases: z.array(z.string()).optional(),
});

/** The stored shape of DocumentMeta, checked when read back from a database; a status this version does not know reads as `unknown`. */
export const documentMetaSchema = documentMetaShape.extend({ status: z.enum(DOCUMENT_STATUSES).catch('unknown') });
