import { createHmac } from 'node:crypto';
import { z } from 'zod';
import type { QuestionRecord } from '../ports.ts';
import { REASON_LABELS } from '../../bots/core/menus.ts';
import { serverKey } from '../auth/server-keys.ts';
import { ApiError } from '../../http/errors.ts';
import { ANY_ROLE, adminRoute, routeModule } from '../route.ts';
import { currentUser, type AdminDeps, type AdminModule } from '../types.ts';
import { toCsv, type CsvValue } from './csv.ts';
import { reportQuerySchema, resolveRange, type ResolvedRange } from './range.ts';
import { buildSummary, summarySchema } from './summary.ts';
import { analyseTopics, gapTopics, risingTopics, type Topic } from './topics.ts';

/** Topic analysis reads at most this many questions (the newest are kept). */
const MAX_ANALYSED = 50_000;

const topicsQuerySchema = reportQuerySchema.extend({
  limit: z.coerce.number().int().min(1).max(100).default(20).describe('Topics per list'),
});

const exportQuerySchema = reportQuerySchema.extend({
  kind: z.enum(['questions', 'summary']).default('questions').describe('questions: one row per question; summary: one row per day and channel'),
});

const topicSchema = z.object({
  id: z.string(),
  label: z.string(),
  terms: z.array(z.string()),
  basis: z.enum(['citation', 'candidate', 'keywords']),
  questions: z.number().int(),
  users: z.number().int(),
  share: z.number(),
  firstHalf: z.number().int(),
  secondHalf: z.number().int(),
  growth: z.number().nullable(),
  answered: z.number().int(),
  escalated: z.number().int(),
  unanswered: z.number().int(),
  up: z.number().int(),
  down: z.number().int(),
  documents: z.array(z.object({ id: z.string(), title: z.string(), section: z.string(), count: z.number().int() })),
  examples: z.array(z.string()),
});

const topicsSchema = z.object({
  range: summarySchema.shape.range,
  totalQuestions: z.number().int(),
  analysedQuestions: z.number().int().describe(`At most ${MAX_ANALYSED}, the newest`),
  topics: z.array(topicSchema).describe('Most asked first'),
  rising: z.array(topicSchema).describe('Asked more (per day) in the second half of the period than in the first'),
  gaps: z.array(topicSchema).describe('Most escalations and 👎 first: where documents or FAQs are missing'),
});

/** Secret-store name of the key behind the CSV pseudonyms. */
const PSEUDONYM_KEY = 'reports.pseudonym_key';

/**
 * Same citizen, same code; the export does not carry channel user ids. Keyed (HMAC with a
 * secret kept in the secret store): an unkeyed hash of a Zalo or Telegram id is reversed
 * in seconds by hashing every plausible id.
 */
const pseudonym = (key: Buffer, q: QuestionRecord) => createHmac('sha256', key).update(`${q.channel}\n${q.userId}`).digest('hex').slice(0, 12);

/** Viewers see aggregates only: no citizen's words (topic examples, nor a label taken from one). */
function withoutCitizenWords(topic: Topic): Topic {
  const examples = new Set(topic.examples);
  const label = examples.has(topic.label) ? (topic.documents[0]?.title ?? 'Chủ đề khác') : topic.label;
  return { ...topic, label, examples: [] };
}

function outcome(q: QuestionRecord): string {
  if (!q.escalated) return 'Bot trả lời';
  if (q.escalationStatus === 'answered') return 'Chuyển cán bộ – đã trả lời';
  if (q.escalationStatus === 'closed') return 'Chuyển cán bộ – đã đóng';
  return 'Chuyển cán bộ – chưa trả lời';
}

const feedbackLabel = (v: string | undefined) => (v === 'up' ? '👍' : v === 'down' ? '👎' : '');
/** "👎 (Chưa đủ)": the reason the citizen gave with a 👎. */
const feedbackWithReason = (q: QuestionRecord) =>
  q.escalated ? feedbackLabel(q.replyFeedback) : `${feedbackLabel(q.feedback)}${q.feedbackReason ? ` (${REASON_LABELS[q.feedbackReason]})` : ''}`;

const rangeJson = (r: ResolvedRange) => ({ from: r.from, to: r.to, days: r.days.length, timezone: r.timezone, ...(r.channel ? { channel: r.channel } : {}) });

/** The newest questions of the period (at most MAX_ANALYSED), oldest first, and how many there were. */
async function recentQuestions(deps: AdminDeps, range: ResolvedRange): Promise<{ questions: QuestionRecord[]; total: number }> {
  const store = deps.runtime.storage.reports;
  const counts = await store.questionCounts(range.query);
  const total = counts.reduce((n, c) => n + c.questions, 0);
  return { questions: await store.questions(range.query, { limit: MAX_ANALYSED, newest: true }), total };
}

/**
 * Reports on policy communication (every role): `GET /reports/summary`, `GET /reports/topics`
 * and `GET /reports/export.csv`, each over `from`..`to` (days in LOA_TIMEZONE, inclusive;
 * default the last 30 days) and optionally one `channel`.
 */
export function reportModule(deps: AdminDeps): AdminModule {
  let pseudonymKey: Promise<Buffer> | undefined;
  const timezone = deps.config.LOA_TIMEZONE;

  const rangeOf = (q: z.infer<typeof reportQuerySchema>): ResolvedRange => {
    const r = resolveRange(q, timezone, new Date());
    if ('error' in r) throw new ApiError(400, 'invalid_range', r.error);
    return r;
  };

  const tags = ['reports'];
  const invalid = { codes: ['invalid_range'], description: 'Invalid dates or a period longer than 366 days' };
  return routeModule([
    adminRoute({
      method: 'get',
      path: '/reports/summary',
      summary: 'Questions, outcomes, response times, satisfaction and repeats',
      description:
        'Questions are citizen messages the bot treated as questions (requests for a person are counted apart). Response time: escalation created → reply delivered, for escalations created in the period. Satisfaction: 👍/👎 on replies sent in the period.',
      tags,
      roles: ANY_ROLE,
      query: reportQuerySchema,
      responses: { 200: { description: 'The summary', schema: summarySchema } },
      errors: { 400: invalid },
      handler: async ({ query }) => ({ status: 200, body: await buildSummary(deps.runtime.storage.reports, rangeOf(query)) }),
    }),
    adminRoute({
      method: 'get',
      path: '/reports/topics',
      summary: 'What citizens ask about: top, rising and under-served topics',
      description:
        'Questions are grouped by the article the answer cited (or the best candidate of an escalation), the rest by shared words; each topic is labelled with its characteristic words (tf-idf against the whole period) and the documents it hits. Viewers get aggregates only: `examples` is empty for them.',
      tags,
      roles: ANY_ROLE,
      query: topicsQuerySchema,
      responses: { 200: { description: 'Topics', schema: topicsSchema } },
      errors: { 400: invalid },
      handler: async ({ query, res }) => {
        const range = rangeOf(query);
        const { questions, total } = await recentQuestions(deps, range);
        const { topics } = analyseTopics(questions, { days: range.days });
        const shown = currentUser(res).role === 'viewer' ? withoutCitizenWords : (tp: Topic) => tp;
        return {
          status: 200,
          body: {
            range: rangeJson(range),
            totalQuestions: total,
            analysedQuestions: questions.length,
            topics: topics.slice(0, query.limit).map(shown),
            rising: risingTopics(topics, range.days.length).slice(0, query.limit).map(shown),
            gaps: gapTopics(topics).slice(0, query.limit).map(shown),
          },
        };
      },
    }),
    adminRoute({
      method: 'get',
      path: '/reports/export.csv',
      summary: 'Export as CSV (Excel-ready)',
      description:
        "UTF-8 with BOM, CRLF, RFC 4180 quoting, Vietnamese header row. Citizens are shown by a pseudonymous code (HMAC of the channel id with a server secret), not their channel id; cells starting with = + - @ are prefixed with an apostrophe. `kind=questions` (the citizens' words) is for administrators and spokespeople; viewers get 403 and may export `kind=summary`.",
      tags,
      roles: ANY_ROLE,
      query: exportQuerySchema,
      responses: { 200: { description: 'The CSV file', schema: z.string(), contentType: 'text/csv' } },
      errors: { 400: invalid },
      handler: async ({ query, res }) => {
        const range = rangeOf(query);
        const store = deps.runtime.storage.reports;
        let csv: string;
        if (query.kind === 'summary') {
          const counts = await store.questionCounts(range.query);
          csv = toCsv(
            ['Ngày', 'Kênh', 'Số câu hỏi', 'Bot trả lời', 'Chuyển cán bộ', 'Cán bộ đã trả lời', 'Đóng không trả lời', 'Chưa trả lời', 'Yêu cầu gặp cán bộ'],
            counts.map((c): CsvValue[] => [c.day, c.channel, c.questions, c.answered, c.escalated, c.escalatedAnswered, c.escalatedClosed, c.unanswered, c.personRequests]),
          );
        } else {
          // Every question in the citizens' own words: not for viewers, who get the daily summary.
          if (currentUser(res).role === 'viewer') {
            throw new ApiError(403, 'forbidden', 'Vai trò xem báo cáo chỉ tải được bảng tổng hợp (kind=summary), không có lời của người dân.');
          }
          pseudonymKey ??= serverKey(deps.runtime.storage.secrets, PSEUDONYM_KEY);
          const key = await pseudonymKey;
          const questions = await store.questions(range.query);
          const { topics, topicOf } = analyseTopics(questions, { days: range.days });
          const labels = new Map(topics.map((t) => [t.id, t.label]));
          csv = toCsv(
            ['Thời điểm (UTC)', 'Ngày', 'Kênh', 'Người hỏi (mã ẩn danh)', 'Câu hỏi', 'Kết quả', 'Độ tin cậy', 'Nguồn trích dẫn', 'Đánh giá', 'Mã chuyển cán bộ', 'Chủ đề'],
            questions.map((q): CsvValue[] => [
              q.createdAt,
              q.day,
              q.channel,
              pseudonym(key, q),
              q.text,
              outcome(q),
              q.confidence === undefined ? '' : Math.round(q.confidence * 100) / 100,
              (q.escalated ? [] : q.citations).map((c) => [c.title, c.section].filter(Boolean).join(', ')).join('; '),
              feedbackWithReason(q),
              q.escalationId,
              labels.get(topicOf.get(q.turnId) ?? ''),
            ]),
          );
        }
        const name = `loa-${query.kind === 'summary' ? 'tong-hop' : 'cau-hoi'}_${range.from}_${range.to}${range.channel ? `_${range.channel}` : ''}.csv`;
        res.set({ 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${name}"` });
        res.send(csv);
      },
    }),
  ]);
}
