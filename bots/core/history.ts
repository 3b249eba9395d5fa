import type { ContextTurn } from '../../storage/escalation-store.ts';
import type { ConversationTurn } from './ports.ts';

/** Which earlier questions count as the context of a follow-up. */
export interface HistoryPolicy {
  /** At most this many earlier questions are passed to the answerer. */
  maxQuestions: number;
  /** Questions older than this are another conversation. */
  windowMs: number;
}

export const DEFAULT_HISTORY_POLICY: HistoryPolicy = { maxQuestions: 3, windowMs: 30 * 60_000 };

/** Turns read to build history and escalation context. */
export const RECENT_TURNS = 10;

/** Turns shown to the spokesperson with an escalated question. */
const CONTEXT_TURNS = 6;

/**
 * The citizen's recent questions, newest last, so the answerer can read "còn trường hợp
 * con dưới 18 tuổi thì sao" as a follow-up. Declined messages ("cảm ơn") are no topic.
 */
export function recentQuestions(turns: ConversationTurn[], now: Date, policy: HistoryPolicy): string[] {
  return turns
    .filter((t) => t.intent === 'question' && t.outcome !== 'decline' && t.userText && now.getTime() - Date.parse(t.createdAt) <= policy.windowMs)
    .slice(-policy.maxQuestions)
    .map((t) => t.userText as string);
}

/** The last turns as the officer sees them next to an escalated question. */
export function escalationContext(turns: ConversationTurn[]): ContextTurn[] {
  return turns
    .filter((t) => t.userText || t.replyText)
    .slice(-CONTEXT_TURNS)
    .map((t) => ({ at: t.createdAt, userText: t.userText, replyText: t.replyText }));
}
