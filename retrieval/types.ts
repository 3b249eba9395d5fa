import type { AskResult } from '../domain/answer.ts';

// The answer and citation shapes live in domain/; re-exported for retrieval's modules.
export { ABSTAIN_REASONS, OUTCOMES } from '../domain/answer.ts';
export type { AbstainReason, AskResult, ClarifyOption, Outcome } from '../domain/answer.ts';
export type { Citation } from '../domain/citation.ts';

/** A ranked unit from search, before answer composition. */
export interface SearchHit {
  /** Citation id of the article-level (or passage/faq) unit. */
  id: string;
  score: number;
  /** Best-matching clause inside the article, when there is one. */
  bestClauseId?: string;
}

export interface AskOptions {
  /** Earlier questions of the same conversation, newest last, for follow-ups. */
  history?: string[];
}

/** What the conversation core and the CLI use. Knows nothing of channels. */
export interface Answerer {
  ask(question: string, options?: AskOptions): Promise<AskResult>;
  /**
   * Answers `question` from the unit the citizen chose among clarify options (its citation
   * id), as an `answer` outcome; a `handoff` when the id is unknown (e.g. the document was
   * deleted since).
   */
  answerFrom(question: string, unitId: string): Promise<AskResult>;
}
