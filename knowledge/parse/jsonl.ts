import { createHash } from 'node:crypto';
import { markOlderVersions } from '../succession.ts';
import { z } from 'zod';
import { DOCUMENT_STATUSES, type DocumentStatus, type KnowledgeDocument, type KnowledgeUnit } from '../../domain/document.ts';
import { httpUrlOrUndefined } from '../http-url.ts';
import { splitArticleBody } from './clauses.ts';
import { docTypeFromTitle } from './detect-metadata.ts';
import { normalizeText } from './normalize.ts';

/** One line of a JSONL corpus (the format of `shared/data/*\/corpus.jsonl`). */
export const jsonlLineSchema = z.object({
  id: z.string().min(1),
  title: z.string().default(''),
  text: z.string(),
  law_id: z.string().optional(),
  article_id: z.string().optional(),
  url: z.string().optional(),
  number: z.string().optional(),
  status: z.string().optional(),
});

export interface JsonlParseResult {
  documents: KnowledgeDocument[];
  errors: { line: number; reason: string }[];
}

const nfc = (s: string) => s.normalize('NFC');
const isStatus = (s: string | undefined): s is DocumentStatus => (DOCUMENT_STATUSES as readonly string[]).includes(s ?? '');

/** "Điều 20. Đăng ký thường trú" → { no: "20", heading: "Đăng ký thường trú" } */
export function splitArticleTitle(title: string): { no?: string; heading?: string } {
  const m = /^\s*Điều\s+(\d+[a-zđ]?)\s*[.:]?\s*(.*)$/iu.exec(title);
  if (!m) return { heading: title.trim() || undefined };
  return { no: m[1], heading: m[2].trim() || undefined };
}

/**
 * Parses a JSONL corpus into one document per `law_id` (or one per file without it).
 * Each line becomes an article unit whose citation id is the line's `id`; its clauses
 * become clause units `${id}.${clauseNo}`.
 */
export function parseJsonlCorpus(text: string, source: string): JsonlParseResult {
  const byDoc = new Map<string, KnowledgeDocument>();
  const errors: JsonlParseResult['errors'] = [];
  const seen = new Set<string>();
  const statusStated = new Set<string>();
  const now = new Date().toISOString();
  text.split(/\r?\n/).forEach((raw, i) => {
    if (!raw.trim()) return;
    let parsed: z.infer<typeof jsonlLineSchema>;
    try {
      const r = jsonlLineSchema.safeParse(JSON.parse(raw));
      if (!r.success) {
        errors.push({ line: i + 1, reason: r.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ') });
        return;
      }
      parsed = r.data;
    } catch (e) {
      errors.push({ line: i + 1, reason: `invalid JSON: ${(e as Error).message}` });
      return;
    }
    const id = nfc(parsed.id);
    if (seen.has(id)) {
      errors.push({ line: i + 1, reason: `duplicate id ${id}` });
      return;
    }
    seen.add(id);
    const lawId = nfc(parsed.law_id ?? source);
    let doc = byDoc.get(lawId);
    if (isStatus(parsed.status)) statusStated.add(lawId);
    if (!doc) {
      doc = {
        id: lawId,
        title: lawId,
        source: `jsonl:${source}#${lawId}`,
        contentHash: '',
        meta: {
          status: isStatus(parsed.status) ? parsed.status : 'in_force',
          number: parsed.number,
          // A javascript: or data: link would reach citizens: http(s) only.
          url: httpUrlOrUndefined(parsed.url),
          docType: docTypeFromTitle(lawId),
        },
        units: [],
        ingestedAt: now,
      };
      byDoc.set(lawId, doc);
    }
    const title = normalizeText(parsed.title).replace(/\n+/gu, ' ');
    const { no, heading } = splitArticleTitle(title);
    const articleNo = parsed.article_id ?? no;
    const body = normalizeText(parsed.text);
    const section = articleNo ? `Điều ${articleNo}` : title || id;
    const article: KnowledgeUnit = { id, docId: lawId, kind: 'article', section, articleNo, heading, text: body };
    doc.units.push(article);
    for (const c of splitArticleBody(body).clauses) {
      doc.units.push({
        id: `${id}.${c.no}`,
        docId: lawId,
        kind: 'clause',
        parentId: id,
        section: `${section}, Khoản ${c.no}`,
        articleNo,
        clauseNo: c.no,
        heading,
        text: c.text,
      });
    }
  });
  // A corpus that states no status holds old and new versions side by side (Labour Code 2012 and 2019).
  markOlderVersions([...byDoc.values()], (d) => statusStated.has(d.id));
  for (const doc of byDoc.values()) {
    doc.contentHash = createHash('sha256')
      .update(doc.units.map((u) => `${u.id}\u0000${u.text}`).join('\u0001'))
      .digest('hex');
  }
  return { documents: [...byDoc.values()], errors };
}
