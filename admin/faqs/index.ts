/** The FAQ console module and what other modules use of it. */
export { faqModule, createFaqFromEscalation, createFaqFromAnswer, type AnswerDraftInput } from './routes.ts';
export { reviewFaqsCitingDocument, citesDocument, type CitedDocument } from './review.ts';
export { faqKnowledge, FAQ_DOCUMENT_ID, FAQ_DOCUMENT_SOURCE, faqUnitId, faqDocumentTitle } from './faq-knowledge.ts';
