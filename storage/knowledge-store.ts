/**
 * Official documents and their units: the port is declared by knowledge/ (knowledge/ports.ts);
 * this module is its home on the storage side.
 */
export type { DocumentSummary, KnowledgeStore } from '../knowledge/ports.ts';
