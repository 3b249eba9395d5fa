import { decodeText, looksBinary, normalizeText } from './normalize.ts';
import { UnreadableDocumentError, type ExtractedText } from './extracted.ts';

/** Plain text (.txt): decoded, normalised, no heading markup. */
export function parseText(bytes: Uint8Array): ExtractedText {
  if (looksBinary(bytes)) throw new UnreadableDocumentError('binary data, not a text file');
  return { text: normalizeText(decodeText(bytes)), headings: 'none' };
}
