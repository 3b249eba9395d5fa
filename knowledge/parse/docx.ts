import mammoth from 'mammoth';
import { htmlToExtracted } from './html.ts';
import { UnreadableDocumentError, type ExtractedText } from './extracted.ts';
import { checkZipLimits } from './zip-limits.ts';

const ZIP = [0x50, 0x4b, 0x03, 0x04];
// Password-protected Office files are not zips but OLE compound files holding an "EncryptedPackage" stream.
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const startsWith = (bytes: Uint8Array, sig: number[]) => sig.every((b, i) => bytes[i] === b);

/**
 * Word (.docx) via mammoth: converted to HTML first so that Word heading styles become
 * sections, then read like any HTML page.
 */
export async function parseDocx(bytes: Uint8Array): Promise<ExtractedText> {
  if (startsWith(bytes, OLE)) {
    const encrypted = Buffer.from(bytes).includes(Buffer.from('EncryptedPackage', 'utf16le'));
    throw new UnreadableDocumentError(
      encrypted ? 'encrypted DOCX (password protected): save an unprotected copy' : 'old Word .doc format: save it as .docx',
    );
  }
  if (!startsWith(bytes, ZIP)) throw new UnreadableDocumentError('not a valid DOCX file (not a zip archive)');
  // Before mammoth inflates anything: refuse archives that would unpack to too much.
  checkZipLimits(bytes);
  let html: string;
  try {
    html = (await mammoth.convertToHtml({ buffer: Buffer.from(bytes) }, { ignoreEmptyParagraphs: true })).value;
  } catch (e) {
    throw new UnreadableDocumentError(`not a valid DOCX file: ${(e as Error).message.split('\n')[0]}`);
  }
  return htmlToExtracted(html);
}
