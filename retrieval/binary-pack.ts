/**
 * Packs named typed arrays into one file (JSON header + 8-byte-aligned raw data) and reads
 * them back as views over a single buffer, so loading an index is a read, not a rebuild.
 * Arrays are written and read in place: no second copy of the index is ever held.
 */
import { open } from 'node:fs/promises';

export type Packable = Int32Array | Uint32Array | Uint16Array | Uint8Array | Float32Array | Float64Array;

const CTORS = { Int32Array, Uint32Array, Uint16Array, Uint8Array, Float32Array, Float64Array } as const;
type CtorName = keyof typeof CTORS;

interface HeaderEntry {
  type: CtorName;
  offset: number;
  length: number;
}

const MAGIC = 'LOAPACK2';
const PREFIX = 16; // magic (8) + header length (4) + padding (4)

function typeName(a: Packable): CtorName {
  const name = a.constructor.name;
  if (!(name in CTORS)) throw new Error(`cannot pack ${name}`);
  return name as CtorName;
}

const align = (n: number) => Math.ceil(n / 8) * 8;

export async function writePack(file: string, arrays: Record<string, Packable>): Promise<void> {
  const header: Record<string, HeaderEntry> = {};
  let offset = 0;
  for (const [name, a] of Object.entries(arrays)) {
    header[name] = { type: typeName(a), offset, length: a.length };
    offset += align(a.byteLength);
  }
  const head = Buffer.from(JSON.stringify(header), 'utf8');
  const dataStart = align(PREFIX + head.length);
  const prefix = Buffer.alloc(dataStart);
  prefix.write(MAGIC, 0, 'latin1');
  prefix.writeUInt32LE(head.length, 8);
  head.copy(prefix, PREFIX);
  const fh = await open(file, 'w');
  try {
    await fh.write(prefix, 0, prefix.length, 0);
    for (const [name, a] of Object.entries(arrays)) {
      const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
      if (bytes.length > 0) await fh.write(bytes, 0, bytes.length, dataStart + header[name].offset);
    }
    // Make the file as long as its last aligned array says.
    await fh.truncate(dataStart + offset);
  } finally {
    await fh.close();
  }
}

export async function readPack(file: string): Promise<Map<string, Packable>> {
  const fh = await open(file, 'r');
  try {
    const pre = Buffer.alloc(PREFIX);
    await fh.read(pre, 0, PREFIX, 0);
    if (pre.toString('latin1', 0, 8) !== MAGIC) throw new Error(`${file} is not an index pack`);
    const headSize = pre.readUInt32LE(8);
    const headBuf = Buffer.alloc(headSize);
    await fh.read(headBuf, 0, headSize, PREFIX);
    const header = JSON.parse(headBuf.toString('utf8')) as Record<string, HeaderEntry>;
    const dataStart = align(PREFIX + headSize);
    const { size } = await fh.stat();
    // One buffer of its own (offset 0, so every array view is aligned), filled in chunks.
    const data = new Uint8Array(size - dataStart);
    const CHUNK = 64 * 1024 * 1024;
    for (let at = 0; at < data.length; ) {
      const { bytesRead } = await fh.read(data, at, Math.min(CHUNK, data.length - at), dataStart + at);
      if (bytesRead === 0) throw new Error(`${file} is truncated`);
      at += bytesRead;
    }
    const out = new Map<string, Packable>();
    for (const [name, h] of Object.entries(header)) {
      const Ctor = CTORS[h.type];
      if (h.offset + h.length * Ctor.BYTES_PER_ELEMENT > data.length) throw new Error(`${file} is truncated`);
      out.set(name, new Ctor(data.buffer, h.offset, h.length));
    }
    return out;
  } finally {
    await fh.close();
  }
}
