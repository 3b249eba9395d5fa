/**
 * Builds small but valid PDF files by hand for tests: one standard font whose encoding maps
 * byte codes 128–255 to the Vietnamese letters used (glyph names `uniXXXX`), so PDF.js
 * extracts real Vietnamese text without an embedded font.
 */
export interface PdfOptions {
  /** Lines per page. */
  pages: string[][];
  title?: string;
  /** Adds a standard-security /Encrypt dictionary whose user password is not empty. */
  encrypted?: boolean;
}

function encodeLine(line: string, codes: Map<string, number>): string {
  let out = '';
  for (const ch of line) {
    const cp = ch.codePointAt(0)!;
    if (cp < 128) {
      out += ch === '(' || ch === ')' || ch === '\\' ? `\\${ch}` : ch;
      continue;
    }
    let code = codes.get(ch);
    if (code === undefined) {
      code = 128 + codes.size;
      if (code > 255) throw new Error('too many distinct non-ASCII characters for one test font');
      codes.set(ch, code);
    }
    out += `\\${code.toString(8).padStart(3, '0')}`;
  }
  return out;
}

export function makePdf(opts: PdfOptions): Buffer {
  const codes = new Map<string, number>();
  const contents = opts.pages.map((lines) => {
    const body = lines.map((l, i) => `${i === 0 ? '' : 'T* '}(${encodeLine(l.normalize('NFC'), codes)}) Tj`).join('\n');
    return `BT /F1 10 Tf 14 TL 40 800 Td\n${body}\nET`;
  });
  const differences = [...codes.entries()]
    .map(([ch, code]) => `${code} /uni${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`)
    .join(' ');

  const objects: string[] = [];
  const pageCount = opts.pages.length;
  // 1 catalog, 2 pages, 3 font, 4 info, then page/content pairs, then optional encrypt.
  const pageIds = opts.pages.map((_, i) => 5 + i * 2);
  objects[1] = '<< /Type /Catalog /Pages 2 0 R >>';
  objects[2] = `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pageCount} >>`;
  objects[3] = `<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Type /Encoding /BaseEncoding /WinAnsiEncoding /Differences [${differences}] >> >>`;
  objects[4] = `<< /Producer (loa-test)${opts.title ? ` /Title (${opts.title})` : ''} >>`;
  contents.forEach((c, i) => {
    const pageId = pageIds[i];
    objects[pageId] = `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents ${pageId + 1} 0 R >>`;
    objects[pageId + 1] = `<< /Length ${Buffer.byteLength(c, 'latin1')} >>\nstream\n${c}\nendstream`;
  });
  const encryptId = objects.length;
  if (opts.encrypted) {
    const hex32 = 'A1'.repeat(32);
    objects[encryptId] = `<< /Filter /Standard /V 1 /R 2 /Length 40 /P -4 /O <${hex32}> /U <${'5C'.repeat(32)}> >>`;
  }

  let pdf = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  for (let id = 1; id < objects.length; id++) {
    offsets[id] = Buffer.byteLength(pdf, 'latin1');
    pdf += `${id} 0 obj\n${objects[id]}\nendobj\n`;
  }
  const xref = Buffer.byteLength(pdf, 'latin1');
  pdf += `xref\n0 ${objects.length}\n0000000000 65535 f \n`;
  for (let id = 1; id < objects.length; id++) pdf += `${String(offsets[id]).padStart(10, '0')} 00000 n \n`;
  const id = '<0123456789ABCDEF0123456789ABCDEF>';
  pdf += `trailer\n<< /Size ${objects.length} /Root 1 0 R /Info 4 0 R /ID [${id} ${id}]${opts.encrypted ? ` /Encrypt ${encryptId} 0 R` : ''} >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}
