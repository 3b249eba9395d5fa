/**
 * What every format parser produces: normalised text plus whatever the format itself says
 * about the document. The legal-structure parser takes it from here.
 */
export interface ExtractedText {
  /** NFC text, one paragraph or heading per line, blank lines between blocks. */
  text: string;
  /**
   * 'markdown' when lines starting with `#` are real headings (Markdown, and HTML/DOCX
   * headings rendered as `#` lines); 'none' for plain text and PDF.
   */
  headings: 'markdown' | 'none';
  /** A title the format carries (Markdown `# h1`, HTML `<title>`, PDF info), used when the text has no official title. */
  title?: string;
  /** Raw metadata found inside the file (Markdown front matter), validated later. */
  embeddedMeta?: unknown;
}

/** A file that cannot be ingested, with a reason an operator can act on. */
export class UnreadableDocumentError extends Error {
  override readonly name = 'UnreadableDocumentError';
}
