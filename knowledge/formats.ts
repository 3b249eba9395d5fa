import { extname } from 'node:path';
import type { ExtractedText } from './parse/extracted.ts';
import { parseDocx } from './parse/docx.ts';
import { parseHtml } from './parse/html.ts';
import { parseMarkdown } from './parse/markdown.ts';
import { parsePdf } from './parse/pdf.ts';
import { parseText } from './parse/text.ts';

/** The document formats ingestion understands. */
export type DocumentFormat = 'markdown' | 'text' | 'html' | 'docx' | 'pdf' | 'jsonl';

const BY_EXTENSION: Record<string, DocumentFormat> = {
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.txt': 'text',
  '.text': 'text',
  '.html': 'html',
  '.htm': 'html',
  '.xhtml': 'html',
  '.docx': 'docx',
  '.pdf': 'pdf',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
};

/** Advice for formats people often have but that cannot be read directly. */
const UNSUPPORTED_HINTS: Record<string, string> = {
  '.doc': 'old Word .doc format: save it as .docx',
  '.rtf': 'RTF: save it as .docx',
  '.odt': 'OpenDocument: save it as .docx',
  '.json': 'JSON: use JSONL (one article per line) or add a sidecar as <file>.meta.json next to a document',
};

/** The format of a file by its extension, or the reason it is not supported. */
export function formatOf(name: string): { format: DocumentFormat } | { unsupported: string } {
  const ext = extname(name).toLowerCase();
  const format = BY_EXTENSION[ext];
  if (format) return { format };
  return { unsupported: UNSUPPORTED_HINTS[ext] ?? `unsupported file type${ext ? ` (${ext})` : ' (no extension)'}` };
}

/** Bytes → text for one document format (JSONL corpora are handled separately: one file, many documents). */
export async function extractText(format: Exclude<DocumentFormat, 'jsonl'>, bytes: Uint8Array): Promise<ExtractedText> {
  switch (format) {
    case 'markdown':
      return parseMarkdown(bytes);
    case 'text':
      return parseText(bytes);
    case 'html':
      return parseHtml(bytes);
    case 'docx':
      return parseDocx(bytes);
    case 'pdf':
      return parsePdf(bytes);
  }
}
