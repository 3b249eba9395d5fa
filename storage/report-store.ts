/**
 * Read-only report queries over turns and escalations.
 * Declared by the console, which owns this port (admin/ports.ts);
 * re-exported here for storage's implementations.
 */
export type { ReportRange, DailyQuestionCount, FeedbackCount, ResponseTime, EscalationCount, ReportCitation, QuestionRecord, QuestionText, CitationUsage, ReportStore } from '../admin/ports.ts';
