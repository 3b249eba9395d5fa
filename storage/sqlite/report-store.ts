import type { AbstainReason, Outcome } from '../../domain/answer.ts';
import type { ChannelName } from '../../domain/channel.ts';
import type { Citation } from '../../domain/citation.ts';
import type { FeedbackReason, FeedbackValue } from '../conversation-store.ts';
import type { EscalationReason, EscalationStatus } from '../escalation-store.ts';
import type {
  CitationUsage,
  DailyQuestionCount,
  EscalationCount,
  FeedbackCount,
  QuestionRecord,
  QuestionText,
  ReportCitation,
  ReportRange,
  ReportStore,
  ResponseTime,
} from '../report-store.ts';
import { migrate, type SqliteDatabase } from './database.ts';

/**
 * Reports find the spokesperson's reply to an escalated question by escalation id; this
 * index keeps that lookup from scanning every turn. It is the reports' own concern, so it
 * lives in their migration scope.
 */
const MIGRATIONS = [
  `CREATE INDEX IF NOT EXISTS conversation_turns_escalation ON conversation_turns (escalation_id) WHERE escalation_id IS NOT NULL;`,
];

interface QuestionRow {
  id: string;
  created_at: string;
  channel: string;
  user_id: string;
  user_text: string | null;
  escalated: number;
  abstained: number;
  abstain_reason: string | null;
  confidence: number | null;
  citations: string | null;
  escalation_id: string | null;
  feedback: string | null;
  feedback_reason: string | null;
  outcome: string | null;
  escalation_status: string | null;
  candidates: string | null;
  reply_feedback: string | null;
}

/** Only what reports show of a citation: the quote stays out of report memory. */
function reportCitations(json: string | null): ReportCitation[] {
  if (!json) return [];
  const parsed = JSON.parse(json) as unknown;
  if (!Array.isArray(parsed)) return [];
  const out: ReportCitation[] = [];
  for (const c of parsed as Partial<Citation>[]) {
    if (typeof c?.id !== 'string') continue;
    out.push({
      id: c.id,
      title: typeof c.title === 'string' ? c.title : c.id,
      section: typeof c.section === 'string' ? c.section : '',
      ...(c.kind === 'faq' || c.kind === 'document' ? { kind: c.kind } : {}),
    });
  }
  return out;
}

/** The agency's calendar day of a UTC instant. */
const localDay = (iso: string, offsetMinutes: number) => new Date(Date.parse(iso) + offsetMinutes * 60_000).toISOString().slice(0, 10);

function toQuestion(row: QuestionRow, offsetMinutes: number): QuestionRecord {
  const q: QuestionRecord = {
    turnId: row.id,
    createdAt: row.created_at,
    day: localDay(row.created_at, offsetMinutes),
    channel: row.channel as ChannelName,
    userId: row.user_id,
    text: row.user_text ?? '',
    escalated: row.escalated === 1,
    abstained: row.abstained === 1,
    citations: reportCitations(row.citations),
    candidates: reportCitations(row.candidates),
  };
  if (row.abstain_reason !== null) q.abstainReason = row.abstain_reason as AbstainReason;
  if (row.confidence !== null) q.confidence = row.confidence;
  if (row.escalation_id !== null) q.escalationId = row.escalation_id;
  if (row.escalation_status !== null) q.escalationStatus = row.escalation_status as EscalationStatus;
  if (row.feedback !== null) q.feedback = row.feedback as FeedbackValue;
  if (row.feedback_reason !== null) q.feedbackReason = row.feedback_reason as FeedbackReason;
  if (row.outcome !== null) q.outcome = row.outcome as Outcome;
  if (row.reply_feedback !== null) q.replyFeedback = row.reply_feedback as FeedbackValue;
  return q;
}

/** `datetime()` modifier that moves a UTC instant to the agency's wall clock. */
const shift = (range: ReportRange) => `${range.utcOffsetMinutes >= 0 ? '+' : ''}${Math.trunc(range.utcOffsetMinutes)} minutes`;

/** The period (and channel) condition on a table's `created_at` and `channel`. */
function rangeWhere(range: ReportRange, alias: string): { sql: string; params: Record<string, string> } {
  const params: Record<string, string> = { from: range.from, to: range.to, shift: shift(range) };
  let sql = `${alias}.created_at >= @from AND ${alias}.created_at < @to`;
  if (range.channel) {
    sql += ` AND ${alias}.channel = @channel`;
    params.channel = range.channel;
  }
  return { sql, params };
}

/**
 * Only the fields reports show of each citation, picked inside SQLite: copying the stored
 * quotes into JavaScript would cost several times more than the whole query.
 */
const slimCitations = (column: string) =>
  `(SELECT json_group_array(json_object('id', json_extract(c.value, '$.id'), 'title', json_extract(c.value, '$.title'),
     'section', json_extract(c.value, '$.section'), 'kind', json_extract(c.value, '$.kind'))) FROM json_each(${column}) c)`;

/** Parameters per statement stay far below SQLite's limit. */
const USAGE_CHUNK = 400;

/**
 * Report queries over the `conversation_turns` and `escalations` tables in SQLite. Needs
 * both tables: open it after the conversation and escalation stores.
 */
export class SqliteReportStore implements ReportStore {
  private readonly db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.db = db;
    migrate(db, 'reports', MIGRATIONS);
  }

  async questionCounts(range: ReportRange): Promise<DailyQuestionCount[]> {
    const { sql, params } = rangeWhere(range, 't');
    const q = "t.intent = 'question'";
    const rows = this.db
      .prepare(
        `SELECT substr(datetime(t.created_at, @shift), 1, 10) AS day, t.channel AS channel,
           SUM(${q}) AS questions,
           SUM(${q} AND t.escalated = 0) AS answered,
           SUM(${q} AND t.escalated = 1) AS escalated,
           SUM(${q} AND t.escalated = 1 AND e.status = 'answered') AS escalatedAnswered,
           SUM(${q} AND t.escalated = 1 AND e.status = 'closed') AS escalatedClosed,
           SUM(${q} AND t.escalated = 1 AND e.status IN ('open', 'claimed')) AS unanswered,
           SUM(t.intent = 'human') AS personRequests
         FROM conversation_turns t LEFT JOIN escalations e ON e.id = t.escalation_id
         WHERE t.intent IN ('question', 'human') AND ${sql}
         GROUP BY day, t.channel ORDER BY day, t.channel`,
      )
      .all(params) as (Omit<DailyQuestionCount, 'channel'> & { channel: string })[];
    return rows.map((r) => ({ ...r, channel: r.channel as ChannelName }));
  }

  async feedbackCounts(range: ReportRange): Promise<FeedbackCount[]> {
    const { sql, params } = rangeWhere(range, 't');
    const rows = this.db
      .prepare(
        `SELECT t.channel AS channel, t.reply_kind AS replyKind, COUNT(*) AS replies,
           SUM(t.feedback = 'up') AS up, SUM(t.feedback = 'down') AS down,
           SUM(t.feedback_reason IS 'wrong') AS wrong, SUM(t.feedback_reason IS 'incomplete') AS incomplete,
           SUM(t.feedback_reason IS 'unclear') AS unclear
         FROM conversation_turns t
         WHERE t.reply_kind IN ('answer', 'spokesperson_reply') AND t.answer_id IS NOT NULL AND ${sql}
         GROUP BY t.channel, t.reply_kind ORDER BY t.channel, t.reply_kind`,
      )
      .all(params) as (Omit<FeedbackCount, 'channel' | 'replyKind'> & { channel: string; replyKind: string })[];
    return rows.map((r) => ({ ...r, channel: r.channel as ChannelName, replyKind: r.replyKind as FeedbackCount['replyKind'] }));
  }

  async responseTimes(range: ReportRange): Promise<ResponseTime[]> {
    const { sql, params } = rangeWhere(range, 'e');
    const rows = this.db
      .prepare(
        `SELECT e.channel AS channel, (julianday(e.delivered_at) - julianday(e.created_at)) * 86400.0 AS seconds
         FROM escalations e WHERE e.delivered_at IS NOT NULL AND ${sql} ORDER BY seconds`,
      )
      .all(params) as { channel: string; seconds: number }[];
    // julianday has millisecond-ish precision: round so equal durations compare equal.
    return rows.map((r) => ({ channel: r.channel as ChannelName, seconds: Math.round(r.seconds * 1000) / 1000 }));
  }

  async escalationCounts(range: ReportRange): Promise<EscalationCount[]> {
    const { sql, params } = rangeWhere(range, 'e');
    const rows = this.db
      .prepare(
        `SELECT e.channel AS channel, e.reason AS reason, e.status AS status, COUNT(*) AS count
         FROM escalations e WHERE ${sql} GROUP BY e.channel, e.reason, e.status ORDER BY e.channel, e.reason, e.status`,
      )
      .all(params) as { channel: string; reason: string; status: string; count: number }[];
    return rows.map((r) => ({
      channel: r.channel as ChannelName,
      reason: r.reason as EscalationReason,
      status: r.status as EscalationStatus,
      count: r.count,
    }));
  }

  async questions(range: ReportRange, opts: { limit?: number; newest?: boolean } = {}): Promise<QuestionRecord[]> {
    const { sql, params } = rangeWhere(range, 't');
    delete params.shift;
    const limit = Math.max(1, Math.trunc(opts.limit ?? 100_000));
    const order = opts.newest ? 'DESC' : 'ASC';
    const rows = this.db
      .prepare(
        `SELECT t.id, t.created_at, t.channel, t.user_id, t.user_text,
           t.escalated, t.abstained, t.abstain_reason, t.confidence, t.escalation_id, t.feedback, t.feedback_reason, t.outcome,
           CASE WHEN t.citation_count = 0 THEN NULL ELSE ${slimCitations('t.citations')} END AS citations,
           e.status AS escalation_status,
           CASE WHEN e.candidates IS NULL OR e.candidates = '[]' THEN NULL ELSE ${slimCitations('e.candidates')} END AS candidates,
           (SELECT r.feedback FROM conversation_turns r
             WHERE r.escalation_id = t.escalation_id AND r.intent = 'spokesperson_reply' AND r.feedback IS NOT NULL
             ORDER BY r.seq DESC LIMIT 1) AS reply_feedback
         FROM conversation_turns t LEFT JOIN escalations e ON e.id = t.escalation_id
         WHERE t.intent = 'question' AND ${sql}
         ORDER BY t.created_at ${order}, t.seq ${order} LIMIT ${limit}`,
      )
      .all(params) as QuestionRow[];
    if (opts.newest) rows.reverse();
    return rows.map((r) => toQuestion(r, range.utcOffsetMinutes));
  }

  async questionTexts(range: ReportRange): Promise<QuestionText[]> {
    const { sql, params } = rangeWhere(range, 't');
    delete params.shift;
    const rows = this.db
      .prepare(`SELECT t.channel AS channel, t.user_id AS userId, t.user_text AS text FROM conversation_turns t WHERE t.intent = 'question' AND ${sql}`)
      .all(params) as { channel: string; userId: string; text: string | null }[];
    return rows.map((r) => ({ channel: r.channel as ChannelName, userId: r.userId, text: r.text ?? '' }));
  }

  async citationUsage(items: readonly { citationId: string; since: string }[]): Promise<Map<string, CitationUsage>> {
    const out = new Map<string, CitationUsage>();
    for (let i = 0; i < items.length; i += USAGE_CHUNK) {
      const chunk = items.slice(i, i + USAGE_CHUNK);
      const values = chunk.map(() => '(?, ?)').join(', ');
      const minSince = chunk.reduce((m, it) => (it.since < m ? it.since : m), chunk[0].since);
      const rows = this.db
        .prepare(
          `WITH wanted (id, since) AS (VALUES ${values})
           SELECT w.id AS id, COUNT(DISTINCT t.seq) AS n, MAX(t.created_at) AS lastAt
           FROM conversation_turns t, json_each(t.citations) c
             JOIN wanted w ON w.id = json_extract(c.value, '$.id')
           WHERE t.created_at >= ? AND t.citation_count > 0 AND t.created_at >= w.since
           GROUP BY w.id`,
        )
        .all(...chunk.flatMap((it) => [it.citationId, it.since]), minSince) as { id: string; n: number; lastAt: string }[];
      for (const r of rows) out.set(r.id, { count: r.n, lastAt: r.lastAt });
    }
    return out;
  }
}
