import type { DocumentStatus } from '../knowledge/types.ts';

/** One cited source in an answer. `id` is the unit's citation id. */
export interface Citation {
  id: string;
  /** Document title, e.g. "Luật Cư trú". */
  title: string;
  /** "Điều 20, Khoản 2". */
  section: string;
  /** Số hiệu when known. */
  number?: string;
  url?: string;
  status: DocumentStatus;
  /** The exact passage the answer relies on. */
  quote: string;
  score: number;
  /** True when the source is a plain-language summary or an approved FAQ, not official text. */
  isSummary?: boolean;
  /** 'faq' when the citation is an approved agency answer. */
  kind?: 'document' | 'faq';
}

export const ABSTAIN_REASONS = [
  'no_knowledge',
  'empty_question',
  'out_of_scope',
  'low_confidence',
  'prompt_injection',
  'personal_case',
] as const;
export type AbstainReason = (typeof ABSTAIN_REASONS)[number];

/** The JSON contract of `loa ask --json` and `POST /api/ask`. */
export interface AskResult {
  answer: string;
  citations: Citation[];
  /** 0..1, calibrated so that abstention happens below a configured threshold. */
  confidence: number;
  abstained: boolean;
  reason?: AbstainReason;
  /**
   * On an abstention for weak evidence (`low_confidence`): the passages retrieval found
   * nearest, best first (up to 5, with quotes), for the spokesperson the question goes to.
   * Never shown to the citizen: `citations` stays empty when Loa abstains.
   */
  candidates?: Citation[];
}

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
}
