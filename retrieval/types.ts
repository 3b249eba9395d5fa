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

/**
 * What Loa does with a question:
 * - `answer`: confident; `answer` is the reply, with `citations`;
 * - `clarify`: a few candidates are close; ask "Có phải bạn hỏi về: ① … ② …" with `options`
 *   (channel-native buttons) and "Không phải — gặp cán bộ";
 * - `handoff`: nothing fits; a spokesperson takes it (an escalation is created);
 * - `decline`: greetings, thanks, small talk, out of scope, a personal case file, an injection
 *   attempt: a polite reply saying what Loa can do, offering "Gặp cán bộ", and no escalation.
 */
export const OUTCOMES = ['answer', 'clarify', 'handoff', 'decline'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** One choice of a clarifying question: tapping it answers from that unit at once. */
export interface ClarifyOption {
  /** Citation id of the unit the option answers from. */
  id: string;
  /** Short label shown on the button / numbered line ("Tuổi nghỉ hưu hiện nay — Bộ luật Lao động"), ≤ 60 characters. */
  label: string;
}

/** The JSON contract of `loa ask --json` and `POST /api/ask`. */
export interface AskResult {
  /** `abstained` is true for `handoff` and `decline` (and `clarify`: nothing is asserted yet). */
  outcome: Outcome;
  /** The reply. For `answer`: the short answer (about 600 characters) that fits on a phone. */
  answer: string;
  /** For `answer`: the rest ("Xem thêm"), sent when the citizen asks for it; absent when the answer is whole. */
  more?: string;
  /** For `clarify`: the candidates, best first (2–3). */
  options?: ClarifyOption[];
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
  /**
   * Answers `question` from the unit the citizen chose among clarify options (its citation
   * id), as an `answer` outcome; a `handoff` when the id is unknown (e.g. the document was
   * deleted since).
   */
  answerFrom(question: string, unitId: string): Promise<AskResult>;
}
