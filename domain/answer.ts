/** What Loa decides for a question (`AskResult`): the JSON contract of `loa ask --json` and `POST /api/ask`. */
import type { Citation } from './citation.ts';

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
