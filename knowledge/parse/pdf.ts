import { extractText, getDocumentProxy, getMeta } from 'unpdf';
import { normalizeText } from './normalize.ts';
import { UnreadableDocumentError, type ExtractedText } from './extracted.ts';

const PAGE_NUMBER = /^\s*(?:Trang\s*)?\d{1,4}(?:\s*\/\s*\d{1,4})?\s*$/iu;

/** Drops a page number printed as the first or last line of a page: it would otherwise land inside an article. */
function dropPageNumbers(page: string): string {
  const lines = page.split('\n');
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  if (lines.length > 0 && PAGE_NUMBER.test(lines[lines.length - 1])) lines.pop();
  if (lines.length > 0 && PAGE_NUMBER.test(lines[0])) lines.shift();
  return lines.join('\n');
}

/**
 * PDF via unpdf (PDF.js). Text keeps PDF.js's line ends, so headings such as "Điều 20." stay
 * on their own lines. Scanned PDFs have no text layer and are reported, not guessed at.
 */
export async function parsePdf(bytes: Uint8Array): Promise<ExtractedText> {
  if (!Buffer.from(bytes.subarray(0, 1024)).includes('%PDF-')) throw new UnreadableDocumentError('not a PDF file');
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    // PDF.js takes ownership of (detaches) the buffer it is given: hand it a copy.
    pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
  } catch (e) {
    const err = e as Error;
    if (err.name === 'PasswordException') throw new UnreadableDocumentError('encrypted PDF (password protected)');
    throw new UnreadableDocumentError(`broken PDF: ${err.message}`);
  }
  try {
    const { text: pages } = await extractText(pdf, { mergePages: false });
    let title: string | undefined;
    try {
      const meta = await getMeta(pdf);
      const t: unknown = meta.info?.Title;
      if (typeof t === 'string' && t.trim()) title = normalizeText(t);
    } catch {
      // Metadata is optional; the text still counts.
    }
    return { text: normalizeText(pages.map(dropPageNumbers).join('\n\n')), headings: 'none', title };
  } catch (e) {
    throw new UnreadableDocumentError(`broken PDF: ${(e as Error).message}`);
  } finally {
    await pdf.destroy();
  }
}
