import { z } from 'zod';
import type { DailyQuestionCount, FeedbackCount, QuestionText, ReportStore } from '../ports.ts';
import { type ChannelName, CHANNELS } from '../../domain/channel.ts';
import { normalizeQuestion } from './question-text.ts';
import type { ResolvedRange } from './range.ts';
import { durationStats, share } from './stats.ts';

/**
 * The summary report: how many questions, what became of them, how fast spokespeople
 * answered, how satisfied citizens were, and which questions keep coming back.
 */

const ratio = z.number().nullable().describe('0..1, null when there is nothing to divide by');

const outcomeCounts = z.object({
  questions: z.number().int(),
  answeredByBot: z.number().int(),
  escalated: z.number().int(),
  /** Escalated and answered (reply delivered). */
  answeredBySpokesperson: z.number().int(),
  closedWithoutReply: z.number().int(),
  unanswered: z.number().int().describe('Escalated, no reply delivered yet (open or claimed)'),
  personRequests: z.number().int().describe('"Gặp cán bộ" requests, not counted in questions'),
});

const shares = z.object({ answeredByBot: ratio, escalated: ratio, unanswered: ratio });

const feedbackStats = z.object({
  replies: z.number().int(),
  up: z.number().int(),
  down: z.number().int(),
  rated: z.number().int(),
  satisfaction: ratio.describe('up / (up + down)'),
  ratedShare: ratio.describe('(up + down) / replies'),
  downReasons: z
    .object({ wrong: z.number().int(), incomplete: z.number().int(), unclear: z.number().int() })
    .describe('👎 by the reason given: sai / chưa đủ / khó hiểu'),
});

const timeStats = z.object({
  count: z.number().int().describe('Escalations created in the period whose reply was delivered'),
  medianSeconds: z.number().nullable(),
  p90Seconds: z.number().nullable(),
});

export const summarySchema = z.object({
  range: z.object({ from: z.string(), to: z.string(), days: z.number().int(), timezone: z.string(), channel: z.enum(CHANNELS).optional() }),
  totals: outcomeCounts,
  shares,
  perDay: z.array(
    z.object({ day: z.string(), questions: z.number().int(), answeredByBot: z.number().int(), escalated: z.number().int(), unanswered: z.number().int(), byChannel: z.record(z.string(), z.number().int()) }),
  ),
  perChannel: z.array(
    outcomeCounts.extend({ channel: z.enum(CHANNELS), shares, satisfaction: feedbackStats, responseTime: timeStats }),
  ),
  responseTime: timeStats,
  satisfaction: feedbackStats.extend({ bot: feedbackStats, spokesperson: feedbackStats }),
  escalations: z.object({
    total: z.number().int(),
    byReason: z.object({ abstained: z.number().int(), requested: z.number().int(), error: z.number().int() }),
    open: z.number().int(),
  }),
  repeats: z.object({
    repeatedQuestions: z.number().int().describe('Distinct questions (normalised) asked by at least 2 citizens'),
    askings: z.number().int().describe('Questions that were one of those'),
    share: ratio,
    top: z.array(z.object({ question: z.string(), normalized: z.string(), times: z.number().int(), users: z.number().int(), channels: z.array(z.enum(CHANNELS)) })),
  }),
});
export type Summary = z.infer<typeof summarySchema>;
type OutcomeCounts = z.infer<typeof outcomeCounts>;
type FeedbackStats = z.infer<typeof feedbackStats>;

const emptyOutcomes = (): OutcomeCounts => ({
  questions: 0,
  answeredByBot: 0,
  escalated: 0,
  answeredBySpokesperson: 0,
  closedWithoutReply: 0,
  unanswered: 0,
  personRequests: 0,
});

function addCounts(into: OutcomeCounts, r: DailyQuestionCount): void {
  into.questions += r.questions;
  into.answeredByBot += r.answered;
  into.escalated += r.escalated;
  into.answeredBySpokesperson += r.escalatedAnswered;
  into.closedWithoutReply += r.escalatedClosed;
  into.unanswered += r.unanswered;
  into.personRequests += r.personRequests;
}

const sharesOf = (c: OutcomeCounts) => ({
  answeredByBot: share(c.answeredByBot, c.questions),
  escalated: share(c.escalated, c.questions),
  unanswered: share(c.unanswered, c.questions),
});

function feedbackOf(rows: readonly FeedbackCount[]): FeedbackStats {
  const replies = rows.reduce((n, r) => n + r.replies, 0);
  const up = rows.reduce((n, r) => n + r.up, 0);
  const down = rows.reduce((n, r) => n + r.down, 0);
  const sum = (k: 'wrong' | 'incomplete' | 'unclear') => rows.reduce((n, r) => n + r[k], 0);
  const downReasons = { wrong: sum('wrong'), incomplete: sum('incomplete'), unclear: sum('unclear') };
  return { replies, up, down, rated: up + down, satisfaction: share(up, up + down), ratedShare: share(up + down, replies), downReasons };
}

/** The same question asked by several citizens: by normalised text, most citizens first. */
export function repeatedQuestions(questions: readonly QuestionText[], top = 10): Summary['repeats'] {
  const groups = new Map<string, { texts: Map<string, number>; users: Set<string>; channels: Set<ChannelName>; times: number }>();
  // The same wording comes back often: normalise each once.
  const normalized = new Map<string, string>();
  for (const q of questions) {
    let key = normalized.get(q.text);
    if (key === undefined) normalized.set(q.text, (key = normalizeQuestion(q.text)));
    if (!key) continue;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { texts: new Map(), users: new Set(), channels: new Set(), times: 0 }));
    g.times++;
    g.users.add(`${q.channel}:${q.userId}`);
    g.channels.add(q.channel);
    g.texts.set(q.text.trim(), (g.texts.get(q.text.trim()) ?? 0) + 1);
  }
  const repeated = [...groups.entries()].filter(([, g]) => g.users.size >= 2);
  const askings = repeated.reduce((n, [, g]) => n + g.times, 0);
  const ranked = repeated.sort(([ka, a], [kb, b]) => b.users.size - a.users.size || b.times - a.times || ka.localeCompare(kb));
  return {
    repeatedQuestions: repeated.length,
    askings,
    share: share(askings, questions.length),
    top: ranked.slice(0, top).map(([normalized, g]) => ({
      // The wording most citizens used.
      question: [...g.texts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0],
      normalized,
      times: g.times,
      users: g.users.size,
      channels: [...g.channels].sort(),
    })),
  };
}

/** Builds the summary report for the period from the report store. */
export async function buildSummary(store: ReportStore, range: ResolvedRange): Promise<Summary> {
  const q = range.query;
  const [counts, feedback, times, escalations, questions] = await Promise.all([
    store.questionCounts(q),
    store.feedbackCounts(q),
    store.responseTimes(q),
    store.escalationCounts(q),
    store.questionTexts(q),
  ]);

  const totals = emptyOutcomes();
  const perChannelCounts = new Map<ChannelName, OutcomeCounts>();
  const perDay = new Map(range.days.map((day) => [day, { day, questions: 0, answeredByBot: 0, escalated: 0, unanswered: 0, byChannel: {} as Record<string, number> }]));
  for (const r of counts) {
    addCounts(totals, r);
    let c = perChannelCounts.get(r.channel);
    if (!c) perChannelCounts.set(r.channel, (c = emptyOutcomes()));
    addCounts(c, r);
    const d = perDay.get(r.day);
    if (!d) continue;
    d.questions += r.questions;
    d.answeredByBot += r.answered;
    d.escalated += r.escalated;
    d.unanswered += r.unanswered;
    if (r.questions) d.byChannel[r.channel] = (d.byChannel[r.channel] ?? 0) + r.questions;
  }

  const channels = new Set<ChannelName>([...perChannelCounts.keys(), ...feedback.map((f) => f.channel), ...times.map((t) => t.channel)]);
  const perChannel = [...channels].sort().map((channel) => {
    const c = perChannelCounts.get(channel) ?? emptyOutcomes();
    return {
      channel,
      ...c,
      shares: sharesOf(c),
      satisfaction: feedbackOf(feedback.filter((f) => f.channel === channel)),
      responseTime: durationStats(times.filter((t) => t.channel === channel).map((t) => t.seconds)),
    };
  });

  const byReason = { abstained: 0, requested: 0, error: 0 };
  let open = 0;
  for (const e of escalations) {
    byReason[e.reason] += e.count;
    if (e.status === 'open' || e.status === 'claimed') open += e.count;
  }

  return {
    range: { from: range.from, to: range.to, days: range.days.length, timezone: range.timezone, ...(range.channel ? { channel: range.channel } : {}) },
    totals,
    shares: sharesOf(totals),
    perDay: [...perDay.values()],
    perChannel,
    responseTime: durationStats(times.map((t) => t.seconds)),
    satisfaction: {
      ...feedbackOf(feedback),
      bot: feedbackOf(feedback.filter((f) => f.replyKind === 'answer')),
      spokesperson: feedbackOf(feedback.filter((f) => f.replyKind === 'spokesperson_reply')),
    },
    escalations: { total: byReason.abstained + byReason.requested + byReason.error, byReason, open },
    repeats: repeatedQuestions(questions),
  };
}
