/**
 * Approved FAQs reach the bot as one synthetic knowledge document: the retrieval index is
 * built from the knowledge store only, so an FAQ is searchable exactly like an article.
 */
import { createHash } from 'node:crypto';
import type { ApprovedFaq, ApprovedFaqSource } from '../ports.ts';
import type { KnowledgeDocument, KnowledgeUnit } from '../../domain/document.ts';

/** Id of the synthetic document; uploads may not use it. */
export const FAQ_DOCUMENT_ID = 'faq';
/** Provenance of the synthetic document, to tell it from a file that happens to have its id. */
export const FAQ_DOCUMENT_SOURCE = 'loa:faqs';
/** Section of every FAQ unit. */
export const FAQ_SECTION = 'Hỏi đáp';
/** Opens the legal-basis line at the end of an FAQ unit's text. */
export const FAQ_BASIS_LABEL = 'Căn cứ';

/** Citation id of an FAQ in answers. */
export const faqUnitId = (faqId: string): string => `faq::${faqId}`;

/** Title of the synthetic document: what citizens see next to an FAQ answer. */
export const faqDocumentTitle = (agencyName: string): string => `Câu trả lời của ${agencyName}`;

/** True for the synthetic FAQ document (not a file that merely has its id). */
export const isFaqDocument = (d: { id: string; source: string }): boolean => d.id === FAQ_DOCUMENT_ID && d.source === FAQ_DOCUMENT_SOURCE;

/** "Luật Cư trú (68/2020/QH14), Điều 20, Khoản 2". */
function basisLine(c: ApprovedFaq['citations'][number]): string {
  return [`${c.title}${c.number && !c.title.includes(c.number) ? ` (${c.number})` : ''}`, c.section].filter(Boolean).join(', ');
}

/**
 * One FAQ as a knowledge unit. Text layout (the retriever may rely on it):
 * every question variant on its own line, a blank line, the answer, and, when the FAQ has
 * citations, a blank line and `Căn cứ: <citation>; <citation>`. Every variant is in the text
 * so a citizen asking in any of those words (or without diacritics) finds it.
 */
export function faqUnit(faq: ApprovedFaq): KnowledgeUnit {
  const parts = [faq.questions.join('\n'), faq.answer];
  if (faq.citations.length) parts.push(`${FAQ_BASIS_LABEL}: ${faq.citations.map(basisLine).join('; ')}.`);
  return {
    id: faqUnitId(faq.id),
    docId: FAQ_DOCUMENT_ID,
    kind: 'faq',
    section: FAQ_SECTION,
    heading: faq.questions[0],
    text: parts.join('\n\n').normalize('NFC'),
  };
}

/** The synthetic document for these approved FAQs (oldest first, so unit order is stable), or undefined for none. */
export function buildFaqDocument(approved: readonly ApprovedFaq[], agencyName: string, now: Date): KnowledgeDocument | undefined {
  if (approved.length === 0) return undefined;
  const units = [...approved].sort((a, b) => Number(a.id) - Number(b.id)).map(faqUnit);
  const title = faqDocumentTitle(agencyName);
  const meta = { status: 'in_force' as const, docType: 'FAQ', isSummary: false };
  // Same FAQs, same hash: the store then reports "unchanged" and the index is not rebuilt.
  const contentHash = createHash('sha256').update(JSON.stringify({ title, meta, units })).digest('hex');
  return { id: FAQ_DOCUMENT_ID, title, source: FAQ_DOCUMENT_SOURCE, contentHash, meta, units, ingestedAt: now.toISOString() };
}

/** Every approved FAQ, however many. */
export async function allApprovedFaqs(source: ApprovedFaqSource): Promise<ApprovedFaq[]> {
  const out: ApprovedFaq[] = [];
  const page = 1000;
  for (let offset = 0; ; offset += page) {
    const batch = await source.list({ status: 'approved', limit: page, offset });
    out.push(...batch);
    if (batch.length < page) return out;
  }
}
