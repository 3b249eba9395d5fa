/**
 * The agency's own everyday → legal vocabulary ("gửi xe" → "trông giữ xe"), edited in the
 * console and added to the built-in lexicon of retrieval without a restart.
 */
import { fold } from '../domain/fold.ts';
export interface AgencySynonym {
  id: string;
  /** Everyday phrases (NFC, lower case, each unique across all entries). */
  everyday: string[];
  /** Legal phrases the documents use. */
  legal: string[];
  note?: string;
  createdBy: string;
  createdAt: string;
  updatedBy: string;
  updatedAt: string;
}

/**
 * The key that keeps an everyday phrase in one entry: lower case without diacritics, as the
 * lexicon matches it ("gui xe" is read as "gửi xe", so the two cannot point to different terms).
 */
export function phraseKey(phrase: string): string {
  return fold(phrase).toLowerCase().replace(/\s+/gu, ' ').trim();
}

export interface SynonymInput {
  everyday: string[];
  legal: string[];
  note?: string;
}

/** A write that worked, or why not: an everyday phrase belongs to another entry, or no such entry. */
export type SynonymChange =
  | { ok: true; synonym: AgencySynonym }
  | { ok: false; reason: 'duplicate'; phrase: string; otherId: string }
  | { ok: false; reason: 'not_found' };

export interface SynonymStore {
  /** Every entry, newest change first. */
  list(): Promise<AgencySynonym[]>;
  get(id: string): Promise<AgencySynonym | undefined>;
  /**
   * Adds an entry; refused when one of its everyday phrases is another entry's, compared by
   * `phraseKey` (checked atomically). The phrases of one entry must have distinct keys.
   */
  create(input: SynonymInput, by: string, at: Date): Promise<SynonymChange>;
  /** Replaces an entry's phrases and note (same duplicate rule). */
  update(id: string, input: SynonymInput, by: string, at: Date): Promise<SynonymChange>;
  /** Removes an entry; the removed entry, or undefined when there was none. */
  remove(id: string): Promise<AgencySynonym | undefined>;
  /** Grows by at least one on every change: the runtime rebuilds the retriever's lexicon when it moves. */
  revision(): Promise<number>;
}
