import type { z } from 'zod';
import type { Citation } from '../../domain/citation.ts';
import type { KnowledgeDocument } from '../../domain/document.ts';
import type { KnowledgeStore } from '../../knowledge/ports.ts';
import type { citationInputSchema } from '../escalations/schemas.ts';

export type CitationInput = z.output<typeof citationInputSchema>;

/** A citation the officer attached that cannot be used; the message is for the officer. */
export class CitationError extends Error {}

/** Long articles are cited by their opening: the full text is one click away in the console. */
const QUOTE_CHARS = 1000;

/**
 * Completes the citations an officer attached to an FAQ. A bare id is looked up in the
 * knowledge store (parsed documents cite `<docId>::<article>[.<clause>]`), so the FAQ
 * carries the document's title, number, status and the quoted text; fields the officer
 * gave win. An id that is not found needs at least a title and a section.
 */
export async function resolveCitations(inputs: readonly CitationInput[], store: KnowledgeStore): Promise<Citation[]> {
  const docs = new Map<string, KnowledgeDocument | undefined>();
  const out: Citation[] = [];
  for (const input of inputs) {
    if (input.id.startsWith('faq::') || input.kind === 'faq') {
      throw new CitationError(`Câu trả lời đã duyệt (${input.id}) không thể làm căn cứ cho câu trả lời khác; hãy dẫn văn bản gốc.`);
    }
    const docId = input.id.includes('::') ? input.id.slice(0, input.id.indexOf('::')) : input.id;
    if (!docs.has(docId)) docs.set(docId, await store.getDocument(docId));
    const doc = docs.get(docId);
    const unit = doc?.units.find((u) => u.id === input.id);
    if (!doc || !unit) {
      if (!input.title || !input.section) {
        throw new CitationError(`Không tìm thấy điều khoản "${input.id}" trong kho văn bản; hãy ghi rõ tên văn bản và điều, khoản.`);
      }
    }
    const citation: Citation = {
      id: input.id,
      title: input.title ?? doc?.title ?? input.id,
      section: input.section ?? unit?.section ?? '',
      status: input.status ?? doc?.meta.status ?? 'unknown',
      quote: input.quote ?? (unit ? unit.text.slice(0, QUOTE_CHARS) : ''),
      score: input.score ?? 1,
      kind: 'document',
    };
    const number = input.number ?? doc?.meta.number;
    const url = input.url ?? doc?.meta.url;
    const isSummary = input.isSummary ?? doc?.meta.isSummary;
    if (number) citation.number = number;
    if (url) citation.url = url;
    if (isSummary !== undefined) citation.isSummary = isSummary;
    out.push(citation);
  }
  // The same provision attached twice is cited once.
  return out.filter((c, i) => out.findIndex((o) => o.id === c.id) === i);
}
