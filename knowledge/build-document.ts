import type { DocumentMeta, KnowledgeDocument } from '../domain/document.ts';
import type { ExtractedText } from './parse/extracted.ts';
import { UnreadableDocumentError } from './parse/extracted.ts';
import { detectMetadata, docTypeFromTitle } from './parse/detect-metadata.ts';
import { parseLegalStructure } from './parse/legal-structure.ts';
import { parseFileMeta, type ExplicitMeta } from './metadata.ts';
import { titleFromFileName } from './document-id.ts';

export interface BuildInput {
  extracted: ExtractedText;
  /** File name, for messages and the last-resort title. */
  name: string;
  source: string;
  contentHash: string;
  /** Id to use when the metadata does not set one. */
  defaultId: string;
  /** Metadata from a sidecar file, already validated. Wins over front matter. */
  sidecar?: ExplicitMeta;
  /** Maximum passage size for text without articles. */
  maxPassageChars?: number;
}

/**
 * Assembles a stored document from extracted text: explicit metadata (sidecar, then front
 * matter) wins over what the text says about itself, which wins over format hints.
 */
export function buildDocument(input: BuildInput): KnowledgeDocument {
  const { extracted } = input;
  if (!extracted.text.trim()) {
    throw new UnreadableDocumentError('no text in the file');
  }
  const front = parseFileMeta(extracted.embeddedMeta, `the front matter of ${input.name}`);
  const explicit: ExplicitMeta = {
    id: input.sidecar?.id ?? front.id,
    title: input.sidecar?.title ?? front.title,
    meta: { ...front.meta, ...input.sidecar?.meta },
  };
  const id = explicit.id ?? input.defaultId;
  const isSummary = explicit.meta.isSummary === true;
  // A summary quotes the numbers and dates of the laws it summarises: none of them are its own.
  const detected = isSummary ? { meta: {} } : detectMetadata(extracted.text);
  const title = explicit.title ?? detected.title ?? extracted.title ?? titleFromFileName(input.name);
  const meta: DocumentMeta = {
    ...detected.meta,
    ...explicit.meta,
    docType: explicit.meta.docType ?? (isSummary ? 'Tóm tắt' : (detected.meta.docType ?? docTypeFromTitle(title))),
    status: explicit.meta.status ?? 'unknown',
  };
  if (meta.docType === undefined) delete meta.docType;
  const { units } = parseLegalStructure(extracted.text, id, {
    headings: extracted.headings,
    maxPassageChars: input.maxPassageChars,
  });
  if (units.length === 0) throw new UnreadableDocumentError('no text in the file');
  return {
    id,
    title,
    source: input.source,
    contentHash: input.contentHash,
    meta,
    units,
    ingestedAt: new Date().toISOString(),
  };
}
