import { constants, crc32, deflateRawSync } from 'node:zlib';

/**
 * A DOCX-shaped zip bomb: `word/document.xml` inflates to `inflatedMb` megabytes of valid
 * WordprocessingML paragraphs from a file about a thousandth that size. Built as a chain of
 * sync-flushed deflate blocks (each compressing the same megabyte), so making it costs
 * little time or memory. `distinct` numbers every paragraph instead, so the file compresses
 * only as well as a real document (about 20:1) and passes the zip directory limits: only
 * the parse worker's memory limit stops it.
 */
export function makeDocxZipBomb(opts: { inflatedMb: number; distinct?: boolean }): Buffer {
  const head = Buffer.from(
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>',
  );
  const tail = Buffer.from('</w:body></w:document>');
  const para = Buffer.from('<w:p><w:r><w:t>Điều 1. Nội dung lặp lại.</w:t></w:r></w:p>');
  const mib = Buffer.alloc(Math.floor((1024 * 1024) / para.length) * para.length);
  for (let i = 0; i < mib.length; i += para.length) para.copy(mib, i);

  const flushed = (b: Buffer) => deflateRawSync(b, { level: 9, finishFlush: constants.Z_SYNC_FLUSH });
  const block = flushed(mib);
  const parts = [flushed(head)];
  let crc = crc32(head);
  let n = 0;
  for (let i = 0; i < opts.inflatedMb; i++) {
    let chunk = mib;
    if (opts.distinct) {
      chunk = Buffer.alloc(mib.length, ' ');
      for (let at = 0; at + 80 <= chunk.length; at += 80) chunk.write(`<w:p><w:r><w:t>Khoản ${++n} quy định số ${n * 7919}.</w:t></w:r></w:p>`, at);
    }
    parts.push(opts.distinct ? flushed(chunk) : block);
    crc = crc32(chunk, crc);
  }
  parts.push(deflateRawSync(tail));
  crc = crc32(tail, crc);
  const size = head.length + mib.length * opts.inflatedMb + tail.length;

  const entries: ZipEntry[] = [
    stored('[Content_Types].xml', CONTENT_TYPES),
    stored('_rels/.rels', RELS),
    { name: 'word/document.xml', method: 8, data: Buffer.concat(parts), crc, size },
  ];
  return zip(entries);
}

interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflate. */
  method: number;
  data: Buffer;
  crc: number;
  /** Uncompressed size written in the headers. */
  size: number;
}

const stored = (name: string, text: string): ZipEntry => {
  const data = Buffer.from(text);
  return { name, method: 0, data, crc: crc32(data), size: data.length };
};

/** A plain zip: local headers and data, then the central directory and its end record. */
function zip(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(e.method, 8);
    local.writeUInt32LE(e.crc >>> 0, 14);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(e.size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(e.method, 10);
    central.writeUInt32LE(e.crc >>> 0, 16);
    central.writeUInt32LE(e.data.length, 20);
    central.writeUInt32LE(e.size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, e.data);
    centrals.push(central, name);
    offset += local.length + name.length + e.data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>`;

const RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>`;
