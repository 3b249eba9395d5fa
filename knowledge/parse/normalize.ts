/**
 * Text clean-up shared by every format: Vietnamese NFC, no control characters, tidy
 * whitespace, line structure kept (the legal-structure parser relies on one heading per line).
 */

// C0/C1 controls except tab and newline, plus zero-width and BOM characters that break matching.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u200B-\u200D\u2060\uFEFF]/gu;
const INLINE_SPACE = /[ \t\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]+/gu;

/** Normalises extracted text: NFC, line breaks to `\n`, controls removed, spaces collapsed, at most one blank line in a row. */
export function normalizeText(input: string): string {
  const lines = input
    .normalize('NFC')
    .replace(/\r\n?|[\u2028\u2029\u0085]/gu, '\n')
    .replace(CONTROL, '')
    .split('\n')
    .map((l) => l.replace(INLINE_SPACE, ' ').trim());
  const out: string[] = [];
  for (const line of lines) {
    if (line === '' && (out.length === 0 || out[out.length - 1] === '')) continue;
    out.push(line);
  }
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out.join('\n');
}

/**
 * Decodes the bytes of a text file. UTF-8 (with or without BOM) and UTF-16 with a BOM are
 * read as such; other bytes that are not valid UTF-8 are read as Windows-1258, the legacy
 * Vietnamese code page still found in old government files.
 */
export function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1258').decode(bytes);
  }
}

/** True when the bytes look like a binary file (NUL bytes near the start) rather than text. */
export function looksBinary(bytes: Uint8Array): boolean {
  // UTF-16 text has NULs too, but it starts with a BOM that decodeText honours.
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return false;
  const n = Math.min(bytes.length, 8192);
  for (let i = 0; i < n; i++) if (bytes[i] === 0) return true;
  return false;
}
