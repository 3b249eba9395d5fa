/**
 * Approved answers and their drafts (the console's FAQs).
 * Declared by the console, which owns this port (admin/ports.ts);
 * re-exported here for storage's implementations.
 */
export { FAQ_STATUSES } from '../admin/ports.ts';
export type { FaqStatus, Faq, NewFaq, FaqPatch, FaqFilter, FaqChange, FaqStore } from '../admin/ports.ts';
