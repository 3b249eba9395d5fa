import type { AbstainReason, Outcome } from '../domain/answer.ts';
import type { ChannelName } from '../domain/channel.ts';
import type { EscalationReason, EscalationStatus } from './escalation-store.ts';
import type { FeedbackReason, FeedbackValue } from './conversation-store.ts';

/**
 * A report period: instants `[from, to)` (ISO, UTC) and the agency's offset from UTC, so
 * that "days" start at the agency's midnight rather than UTC's.
 */
export interface ReportRange {
  from: string;
  to: string;
  /** Minutes east of UTC (Việt Nam: 420). */
  utcOffsetMinutes: number;
  channel?: ChannelName;
}

/** Citizen questions of one local day on one channel. */
export interface DailyQuestionCount {
  /** yyyy-mm-dd in the agency's time zone. */
  day: string;
  channel: ChannelName;
  /** Turns with intent `question`. */
  questions: number;
  /** Answered by the bot (not escalated). */
  answered: number;
  /** Handed to a spokesperson. */
  escalated: number;
  /** Escalated, and a spokesperson's reply reached the citizen. */
  escalatedAnswered: number;
  /** Escalated, then closed without a reply. */
  escalatedClosed: number;
  /** Escalated and still waiting (open or claimed: no reply delivered yet). */
  unanswered: number;
  /** Requests for a person ("gặp cán bộ"), counted apart from questions. */
  personRequests: number;
}

/** 👍/👎 on the replies of one kind on one channel (by the time of the reply). */
export interface FeedbackCount {
  channel: ChannelName;
  /** Who replied: the bot (`answer`) or a spokesperson (`spokesperson_reply`). */
  replyKind: 'answer' | 'spokesperson_reply';
  replies: number;
  up: number;
  down: number;
  /** 👎 by the reason the citizen gave (the rest gave none). */
  wrong: number;
  incomplete: number;
  unclear: number;
}

/** Seconds from an escalation's creation to the delivery of the spokesperson's reply. */
export interface ResponseTime {
  channel: ChannelName;
  seconds: number;
}

/** Escalations created in the range, by reason and current status. */
export interface EscalationCount {
  channel: ChannelName;
  reason: EscalationReason;
  status: EscalationStatus;
  count: number;
}

/** A cited (or candidate) source of a question, as reports need it. */
export interface ReportCitation {
  id: string;
  title: string;
  section: string;
  kind?: 'document' | 'faq';
}

/** One citizen question with what became of it: topics, repeats and the CSV export read these. */
export interface QuestionRecord {
  turnId: string;
  createdAt: string;
  /** yyyy-mm-dd in the agency's time zone. */
  day: string;
  channel: ChannelName;
  userId: string;
  text: string;
  escalated: boolean;
  abstained: boolean;
  abstainReason?: AbstainReason;
  confidence?: number;
  /** Sources of the bot's answer, best first. */
  citations: ReportCitation[];
  /** For escalated questions: what retrieval found but was not sure about, best first. */
  candidates: ReportCitation[];
  escalationId?: string;
  escalationStatus?: EscalationStatus;
  feedback?: FeedbackValue;
  /** Why 👎 (sai / chưa đủ / khó hiểu), when the citizen said. */
  feedbackReason?: FeedbackReason;
  /** What retrieval decided: answer, clarify, handoff or decline. */
  outcome?: Outcome;
  /** The spokesperson's reply feedback, for escalated questions. */
  replyFeedback?: FeedbackValue;
}

/** Who asked what: enough to find the same question asked by several citizens. */
export interface QuestionText {
  channel: ChannelName;
  userId: string;
  text: string;
}

/** How often an approved FAQ (or any unit) was cited since a moment. */
export interface CitationUsage {
  count: number;
  lastAt?: string;
}

/**
 * Read-only aggregate queries over conversation turns and escalations for the console's
 * reports. Kept apart from the stores that write those tables so that report SQL does not
 * leak into them (and a PostgreSQL backend can implement the same questions its own way).
 */
export interface ReportStore {
  questionCounts(range: ReportRange): Promise<DailyQuestionCount[]>;
  feedbackCounts(range: ReportRange): Promise<FeedbackCount[]>;
  /** For escalations created in the range whose reply was delivered. */
  responseTimes(range: ReportRange): Promise<ResponseTime[]>;
  escalationCounts(range: ReportRange): Promise<EscalationCount[]>;
  /**
   * Questions in the range, oldest first: at most `limit` (default 100 000), the oldest ones,
   * or with `newest` the newest ones.
   */
  questions(range: ReportRange, opts?: { limit?: number; newest?: boolean }): Promise<QuestionRecord[]>;
  /** The text of every question in the range with who asked it (lighter than `questions`). */
  questionTexts(range: ReportRange): Promise<QuestionText[]>;
  /**
   * How many conversation turns cited each citation id at or after its `since` instant:
   * e.g. an approved FAQ's unit `faq::12` since its approval.
   */
  citationUsage(items: readonly { citationId: string; since: string }[]): Promise<Map<string, CitationUsage>>;
}
