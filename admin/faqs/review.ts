import type { AdminDeps } from '../types.ts';
import type { Faq } from '../ports.ts';
import { faqKnowledge } from './faq-knowledge.ts';

/** Which citations a change touches: every provision of a document, or only some of them. */
export interface CitedDocument {
  docId: string;
  /**
   * Citation ids that belong to the document but do not start with `<docId>::` (JSONL
   * corpora use their own ids). Optional.
   */
  unitIds?: ReadonlySet<string>;
  /** When set, only these citation ids are affected (e.g. provisions dropped by a new version). */
  only?: (citationId: string) => boolean;
}

/** True when an FAQ cites the document (or the affected part of it). */
export function citesDocument(faq: Faq, doc: CitedDocument): boolean {
  return faq.citations.some((c) => {
    const inDoc = c.id.startsWith(`${doc.docId}::`) || c.id === doc.docId || (doc.unitIds?.has(c.id) ?? false);
    return inDoc && (doc.only ? doc.only(c.id) : true);
  });
}

/**
 * Moves approved FAQs that cite `doc` to `needs_review` (one audit entry each, by `actor`),
 * and takes them out of the bot's knowledge until an administrator approves them again: an
 * answer resting on superseded law must not keep reaching citizens as the agency's answer.
 * Returns the ids marked.
 */
export async function reviewFaqsCitingDocument(deps: AdminDeps, doc: CitedDocument, reason: string, actor: string): Promise<string[]> {
  const { faqs } = deps.runtime.storage;
  const marked: string[] = [];
  const page = 1000;
  const approved: Faq[] = [];
  for (let offset = 0; ; offset += page) {
    const batch = await faqs.list({ status: 'approved', limit: page, offset });
    approved.push(...batch);
    if (batch.length < page) break;
  }
  const now = new Date();
  for (const faq of approved.filter((f) => citesDocument(f, doc))) {
    const change = await faqs.markNeedsReview(faq.id, reason, now);
    if (!change.ok) continue;
    marked.push(faq.id);
    await deps.audit.record({ actor, action: 'faq.needs_review', target: `faq:${faq.id}`, details: { documentId: doc.docId, reason } });
  }
  if (marked.length) await faqKnowledge(deps.runtime).sync();
  return marked;
}
