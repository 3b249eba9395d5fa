import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { httpUrlSchema } from './http-url.ts';
import { DOCUMENT_STATUSES, type DocumentMeta } from './types.ts';
import { isoDate } from './parse/detect-metadata.ts';
import { UnreadableDocumentError } from './parse/extracted.ts';

/**
 * Metadata an administrator writes about a document: Markdown front matter or a sidecar
 * file `<file>.meta.yaml` / `<file>.meta.json` next to it. Keys are snake_case; see
 * docs/DOCUMENTS.md. Unknown keys are rejected so that a typo does not silently lose a value.
 */

/** yyyy-mm-dd, dd/mm/yyyy, or a YAML date, to ISO yyyy-mm-dd. */
const dateField = z
  .union([z.string().trim(), z.date()])
  .transform((v, ctx) => {
    if (v instanceof Date) return v.toISOString().slice(0, 10);
    const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/u.exec(v);
    const vn = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/u.exec(v);
    const out = iso ? isoDate(iso[3], iso[2], iso[1]) : vn ? isoDate(vn[1], vn[2], vn[3]) : undefined;
    if (!out) {
      ctx.addIssue({ code: 'custom', message: `not a date (use yyyy-mm-dd): ${v}` });
      return z.NEVER;
    }
    return out;
  });

const text = z.string().trim().min(1);
/** A list, or a single string for a one-item list. */
const textList = z.union([text.transform((s) => [s]), z.array(text)]);

export const fileMetaSchema = z.strictObject({
  id: text
    .max(200)
    .refine((s) => !s.includes('::') && ![...s].some((c) => c.charCodeAt(0) < 32), 'must not contain "::" or control characters')
    .optional(),
  title: text.optional(),
  number: text.optional(),
  doc_type: text.optional(),
  issuer: text.optional(),
  issued_date: dateField.optional(),
  effective_date: dateField.optional(),
  status: z.enum(DOCUMENT_STATUSES).optional(),
  superseded_by: text.optional(),
  url: httpUrlSchema.optional(),
  summary: z.boolean().optional(),
  legal_basis: textList.optional(),
  aliases: textList.optional(),
});

export type FileMeta = z.infer<typeof fileMetaSchema>;

/** Explicit metadata in the shape the rest of ingestion uses. */
export interface ExplicitMeta {
  id?: string;
  title?: string;
  meta: Partial<DocumentMeta>;
}

const nfc = (s: string | undefined) => s?.normalize('NFC');

/** Validates raw metadata (already parsed from YAML/JSON); throws a readable error naming `where`. */
export function parseFileMeta(raw: unknown, where: string): ExplicitMeta {
  if (raw === null || raw === undefined) return { meta: {} };
  const r = fileMetaSchema.safeParse(raw);
  if (!r.success) {
    const issues = r.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
    throw new UnreadableDocumentError(`invalid metadata in ${where}: ${issues}`);
  }
  const m = r.data;
  const meta: Partial<DocumentMeta> = {
    number: nfc(m.number),
    docType: nfc(m.doc_type),
    issuer: nfc(m.issuer),
    issuedDate: m.issued_date,
    effectiveDate: m.effective_date,
    status: m.status,
    supersededBy: nfc(m.superseded_by),
    url: m.url,
    isSummary: m.summary,
    legalBasis: m.legal_basis?.map((s) => s.normalize('NFC')),
    aliases: m.aliases?.map((s) => s.normalize('NFC')),
  };
  for (const key of Object.keys(meta) as (keyof DocumentMeta)[]) if (meta[key] === undefined) delete meta[key];
  return { id: nfc(m.id), title: nfc(m.title), meta };
}

/** Names a sidecar may have, in the order they are looked for. */
export const SIDECAR_SUFFIXES = ['.meta.yaml', '.meta.yml', '.meta.json'] as const;

/** True for sidecar files, which describe a document and are not documents themselves. */
export function isSidecar(path: string): boolean {
  const lower = path.toLowerCase();
  return SIDECAR_SUFFIXES.some((s) => lower.endsWith(s));
}

/** Parses the bytes of a sidecar file (YAML or JSON by its name). */
export function parseSidecar(name: string, bytes: Uint8Array): ExplicitMeta {
  const source = new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/u, '');
  let raw: unknown;
  try {
    raw = name.toLowerCase().endsWith('.json') ? JSON.parse(source) : parseYaml(source);
  } catch (e) {
    throw new UnreadableDocumentError(`invalid metadata in ${name}: ${(e as Error).message.split('\n')[0]}`);
  }
  return parseFileMeta(raw, name);
}

/** The sidecar next to `file`, if there is one: its name and bytes. */
export async function readSidecar(file: string): Promise<{ name: string; bytes: Buffer } | undefined> {
  for (const suffix of SIDECAR_SUFFIXES) {
    try {
      return { name: `${file}${suffix}`, bytes: await readFile(`${file}${suffix}`) };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
  return undefined;
}

export { documentMetaSchema, documentMetaShape } from '../domain/document.ts';
