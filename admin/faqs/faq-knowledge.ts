import type { AdminRuntime } from '../ports.ts';

/**
 * Approved FAQs reach the bot as one synthetic knowledge document, which the knowledge
 * library (knowledge/library/) owns; the FAQ and document modules ask it to resync.
 */
export {
  FAQ_DOCUMENT_ID,
  FAQ_DOCUMENT_SOURCE,
  FAQ_SECTION,
  FAQ_BASIS_LABEL,
  faqUnitId,
  faqDocumentTitle,
  faqUnit,
  buildFaqDocument,
} from '../../knowledge/library/faq-document.ts';

/** Keeps the synthetic FAQ document in step with the approved FAQs. */
export interface FaqKnowledge {
  /**
   * Rewrites (or removes) the FAQ document from the approved FAQs, then refreshes the bot's
   * index. Resolves false when the index could not be refreshed (the change is stored; the
   * periodic refresh picks it up).
   */
  sync(): Promise<boolean>;
}

/** The FAQ knowledge syncer of a runtime: its library's (one per runtime, syncs run one after another). */
export function faqKnowledge(runtime: Pick<AdminRuntime, 'library'>): FaqKnowledge {
  return { sync: () => runtime.library.syncFaqs() };
}
