/**
 * The agency's everyday → legal vocabulary.
 * Declared by the console, which owns this port (admin/ports.ts);
 * re-exported here for storage's implementations.
 */
export { phraseKey } from '../admin/ports.ts';
export type { AgencySynonym, SynonymInput, SynonymChange, SynonymStore } from '../admin/ports.ts';
