import { UnreadableDocumentError } from './extracted.ts';

/** What a DOCX may unpack to before any of it is inflated. */
export interface ZipLimits {
  /** Entries in the archive (a real DOCX has a few dozen, a few hundred with many images). */
  maxEntries: number;
  /** Sum of the entries' uncompressed sizes, in bytes. */
  maxUncompressedBytes: number;
  /** Largest uncompressed ÷ compressed ratio for an entry bigger than 1 MiB (text XML deflates about 10:1). */
  maxRatio: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxEntries: 2000, maxUncompressedBytes: 200 * 1024 * 1024, maxRatio: 200 };

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const ZIP64_LOCATOR = 0x07064b50;
const MIB = 1024 * 1024;

const mb = (n: number) => `${(n / MIB).toFixed(0)} MB`;

/**
 * Reads the zip's central directory (the table of contents at its end) and refuses an
 * archive that would unpack to too much: too many entries, too many bytes in total, or an
 * entry compressed suspiciously well (a zip bomb: a few KB that inflate to gigabytes). Only
 * headers are read, nothing is inflated. Sizes in the headers can lie; the parse worker's
 * memory and time limits (isolated-extract.ts) catch those.
 */
export function checkZipLimits(bytes: Uint8Array, limits: ZipLimits = DEFAULT_ZIP_LIMITS): { entries: number; uncompressedBytes: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end record is 22 bytes plus a comment of up to 64 KiB.
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new UnreadableDocumentError('not a valid DOCX file (no zip directory)');
  if (eocd >= 20 && view.getUint32(eocd - 20, true) === ZIP64_LOCATOR) {
    throw new UnreadableDocumentError('not a valid DOCX file (ZIP64 archive; Word does not write these)');
  }
  const entries = view.getUint16(eocd + 10, true);
  const dirSize = view.getUint32(eocd + 12, true);
  const dirOffset = view.getUint32(eocd + 16, true);
  if (entries > limits.maxEntries) throw new UnreadableDocumentError(`DOCX has too many parts (${entries}; the limit is ${limits.maxEntries})`);
  if (dirOffset + dirSize > eocd) throw new UnreadableDocumentError('not a valid DOCX file (broken zip directory)');

  let total = 0;
  let p = dirOffset;
  for (let n = 0; n < entries; n++) {
    if (p + 46 > eocd || view.getUint32(p, true) !== CENTRAL) throw new UnreadableDocumentError('not a valid DOCX file (broken zip directory)');
    const compressed = view.getUint32(p + 20, true);
    const uncompressed = view.getUint32(p + 24, true);
    const nameLength = view.getUint16(p + 28, true);
    const name = Buffer.from(bytes.subarray(p + 46, p + 46 + nameLength)).toString('utf8');
    if (compressed === 0xffffffff || uncompressed === 0xffffffff) {
      throw new UnreadableDocumentError('not a valid DOCX file (ZIP64 entry; Word does not write these)');
    }
    total += uncompressed;
    if (total > limits.maxUncompressedBytes) {
      throw new UnreadableDocumentError(`DOCX unpacks to more than ${mb(limits.maxUncompressedBytes)}: refused (a zip bomb, or too large to read)`);
    }
    if (uncompressed > MIB && uncompressed > limits.maxRatio * Math.max(1, compressed)) {
      throw new UnreadableDocumentError(
        `DOCX part ${JSON.stringify(name.slice(0, 100))} inflates ${Math.round(uncompressed / Math.max(1, compressed))}:1 (${mb(uncompressed)}): refused as a zip bomb`,
      );
    }
    p += 46 + nameLength + view.getUint16(p + 30, true) + view.getUint16(p + 32, true);
  }
  return { entries, uncompressedBytes: total };
}
