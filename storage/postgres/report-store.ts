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
import { iso, migrate, query, type PgParam, type PgPool } from './database.ts';

/**
 * The reports' own indexes: the spokesperson's reply of an escalated question is found by
 * escalation id, and citation usage by containment in the citations array (GIN).
 */
const MIGRATIONS = [
  `CREATE INDEX IF NOT EXISTS conversation_turns_escalation ON conversation_turns (escalation_id) WHERE escalation_id IS NOT NULL;
   CREATE INDEX IF NOT EXISTS conversation_turns_citations ON conversation_turns USING gin (citations jsonb_path_ops)
     WHERE citation_count > 0;`,
];

interface QuestionRow {
  id: string;
  created_at: Date;
  day: string;
  channel: string;
  user_id: string;
  user_text: string | null;
  escalated: boolean;
  abstained: boolean;
  abstain_reason: string | null;
  confidence: number | null;
  citations: unknown;
  escalation_id: string | null;
  feedback: string | null;
  feedback_reason: string | null;
  outcome: string | null;
  escalation_status: string | null;
  candidates: unknown;
  reply_feedback: string | null;
}

/** Only what reports show of a citation: the quote stays out of report memory. */
function reportCitations(json: unknown): ReportCitation[] {
  if (!Array.isArray(json)) return [];
  const out: ReportCitation[] = [];
  for (const c of json as Partial<Citation>[]) {
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

function toQuestion(row: QuestionRow): QuestionRecord {
  const q: QuestionRecord = {
    turnId: row.id,
    createdAt: iso(row.created_at),
    day: row.day,
    channel: row.channel as ChannelName,
    userId: row.user_id,
    text: row.user_text ?? '',
    escalated: row.escalated,
    abstained: row.abstained,
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

/** Adds a parameter and returns its placeholder. */
function param(params: PgParam[], value: PgParam): string {
  params.push(value);
  return `$${params.length}`;
}

/** The period (and channel) condition on a table's `created_at` and `channel`. */
function inRange(range: ReportRange, alias: string, params: PgParam[]): string {
  let sql = `${alias}.created_at >= ${param(params, range.from)}::timestamptz AND ${alias}.created_at < ${param(params, range.to)}::timestamptz`;
  if (range.channel) sql += ` AND ${alias}.channel = ${param(params, range.channel)}`;
  return sql;
}

/** The agency's local day (yyyy-mm-dd) of an instant, whatever the session's time zone. */
function localDay(range: ReportRange, column: string, params: PgParam[]): string {
  return `to_char((${column} AT TIME ZONE 'UTC') + make_interval(mins => ${param(params, Math.trunc(range.utcOffsetMinutes))}::int), 'YYYY-MM-DD')`;
}

/**
 * Report queries over `conversation_turns` and `escalations` in PostgreSQL, with the same
 * results as the SQLite version. Needs both tables: open it after their stores.
 */
export class PostgresReportStore implements ReportStore {
  private constructor(private readonly pool: PgPool) {}

  static async open(pool: PgPool): Promise<PostgresReportStore> {
    await migrate(pool, 'reports', MIGRATIONS);
    return new PostgresReportStore(pool);
  }

  async questionCounts(range: ReportRange): Promise<DailyQuestionCount[]> {
    const q = "t.intent = 'question'";
    const params: PgParam[] = [];
    const day = localDay(range, 't.created_at', params);
    const { rows } = await query<Omit<DailyQuestionCount, 'channel'> & { channel: string }>(
      this.pool,
      `SELECT ${day} AS day, t.channel AS channel,
         count(*) FILTER (WHERE ${q})::int AS questions,
         count(*) FILTER (WHERE ${q} AND NOT t.escalated)::int AS answered,
         count(*) FILTER (WHERE ${q} AND t.escalated)::int AS escalated,
         count(*) FILTER (WHERE ${q} AND t.escalated AND e.status = 'answered')::int AS "escalatedAnswered",
         count(*) FILTER (WHERE ${q} AND t.escalated AND e.status = 'closed')::int AS "escalatedClosed",
         count(*) FILTER (WHERE ${q} AND t.escalated AND e.status IN ('open', 'claimed'))::int AS unanswered,
         count(*) FILTER (WHERE t.intent = 'human')::int AS "personRequests"
       FROM conversation_turns t LEFT JOIN escalations e ON e.id = t.escalation_id
       WHERE t.intent IN ('question', 'human') AND ${inRange(range, 't', params)}
       GROUP BY 1, 2 ORDER BY 1, t.channel COLLATE "C"`,
      params,
    );
    return rows.map((r) => ({ ...r, channel: r.channel as ChannelName }));
  }

  async feedbackCounts(range: ReportRange): Promise<FeedbackCount[]> {
    const params: PgParam[] = [];
    const { rows } = await query<Omit<FeedbackCount, 'channel' | 'replyKind'> & { channel: string; replyKind: string }>(
      this.pool,
      `SELECT t.channel AS channel, t.reply_kind AS "replyKind", count(*)::int AS replies,
         count(*) FILTER (WHERE t.feedback = 'up')::int AS up, count(*) FILTER (WHERE t.feedback = 'down')::int AS down,
         count(*) FILTER (WHERE t.feedback_reason = 'wrong')::int AS wrong,
         count(*) FILTER (WHERE t.feedback_reason = 'incomplete')::int AS incomplete,
         count(*) FILTER (WHERE t.feedback_reason = 'unclear')::int AS unclear
       FROM conversation_turns t
       WHERE t.reply_kind IN ('answer', 'spokesperson_reply') AND t.answer_id IS NOT NULL AND ${inRange(range, 't', params)}
       GROUP BY 1, 2 ORDER BY t.channel COLLATE "C", t.reply_kind COLLATE "C"`,
      params,
    );
    return rows.map((r) => ({ ...r, channel: r.channel as ChannelName, replyKind: r.replyKind as FeedbackCount['replyKind'] }));
  }

  async responseTimes(range: ReportRange): Promise<ResponseTime[]> {
    const params: PgParam[] = [];
    const { rows } = await query<{ channel: string; seconds: number }>(
      this.pool,
      `SELECT e.channel AS channel, extract(epoch FROM (e.delivered_at - e.created_at))::float8 AS seconds
       FROM escalations e WHERE e.delivered_at IS NOT NULL AND ${inRange(range, 'e', params)}
       ORDER BY seconds`,
      params,
    );
    return rows.map((r) => ({ channel: r.channel as ChannelName, seconds: Math.round(r.seconds * 1000) / 1000 }));
  }

  async escalationCounts(range: ReportRange): Promise<EscalationCount[]> {
    const params: PgParam[] = [];
    const { rows } = await query<{ channel: string; reason: string; status: string; count: number }>(
      this.pool,
      `SELECT e.channel AS channel, e.reason AS reason, e.status AS status, count(*)::int AS count
       FROM escalations e WHERE ${inRange(range, 'e', params)}
       GROUP BY 1, 2, 3 ORDER BY e.channel COLLATE "C", e.reason COLLATE "C", e.status COLLATE "C"`,
      params,
    );
    return rows.map((r) => ({
      channel: r.channel as ChannelName,
      reason: r.reason as EscalationReason,
      status: r.status as EscalationStatus,
      count: r.count,
    }));
  }

  async questionTexts(range: ReportRange): Promise<QuestionText[]> {
    const params: PgParam[] = [];
    const { rows } = await query<{ channel: string; user_id: string; user_text: string | null }>(
      this.pool,
      `SELECT t.channel, t.user_id, t.user_text FROM conversation_turns t WHERE t.intent = 'question' AND ${inRange(range, 't', params)}`,
      params,
    );
    return rows.map((r) => ({ channel: r.channel as ChannelName, userId: r.user_id, text: r.user_text ?? '' }));
  }

  async questions(range: ReportRange, opts: { limit?: number; newest?: boolean } = {}): Promise<QuestionRecord[]> {
    const limit = Math.max(1, Math.trunc(opts.limit ?? 100_000));
    const order = opts.newest ? 'DESC' : 'ASC';
    const params: PgParam[] = [];
    const day = localDay(range, 't.created_at', params);
    const where = inRange(range, 't', params);
    const { rows } = await query<QuestionRow>(
      this.pool,
      `SELECT t.id, t.created_at, ${day} AS day, t.channel, t.user_id, t.user_text,
         t.escalated, t.abstained, t.abstain_reason, t.confidence, t.citations, t.escalation_id, t.feedback, t.feedback_reason, t.outcome,
         e.status AS escalation_status, e.candidates,
         (SELECT r.feedback FROM conversation_turns r
           WHERE r.escalation_id = t.escalation_id AND r.intent = 'spokesperson_reply' AND r.feedback IS NOT NULL
           ORDER BY r.seq DESC LIMIT 1) AS reply_feedback
       FROM conversation_turns t LEFT JOIN escalations e ON e.id = t.escalation_id
       WHERE t.intent = 'question' AND ${where}
       ORDER BY t.created_at ${order}, t.seq ${order} LIMIT ${param(params, limit)}`,
      params,
    );
    if (opts.newest) rows.reverse();
    return rows.map(toQuestion);
  }

  async citationUsage(items: readonly { citationId: string; since: string }[]): Promise<Map<string, CitationUsage>> {
    const out = new Map<string, CitationUsage>();
    if (!items.length) return out;
    // Containment (`@>`) uses the GIN index; a turn counts once per id even if the id is asked twice.
    const { rows } = await query<{ id: string; n: number; last_at: Date }>(
      this.pool,
      `SELECT w.id AS id, count(DISTINCT t.seq)::int AS n, max(t.created_at) AS last_at
       FROM unnest($1::text[], $2::timestamptz[]) AS w (id, since)
       JOIN conversation_turns t
         ON t.citation_count > 0 AND t.created_at >= w.since
        AND t.citations @> jsonb_build_array(jsonb_build_object('id', w.id))
       GROUP BY w.id`,
      [items.map((it) => it.citationId), items.map((it) => it.since)],
    );
    for (const r of rows) out.set(r.id, { count: r.n, lastAt: iso(r.last_at) });
    return out;
  }
}
