import { createHash } from 'node:crypto';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Summary } from '../../admin/reports/summary.ts';
import type { Topic } from '../../admin/reports/topics.ts';
import type { ChannelName } from '../../bots/core/types.ts';
import type { AbstainReason, Citation } from '../../retrieval/types.ts';
import type { Storage } from '../../storage/index.ts';
import { loginAdmin, loginAs, openWebchat, webchatSay, type StaffClient } from './harness.ts';
import { startLoaWithContent } from './faqs-support.ts';
import { officerActor, SYSTEM_ACTOR } from '../../domain/escalation.ts';

type Loa = Awaited<ReturnType<typeof startLoaWithContent>>;
interface Topics {
  totalQuestions: number;
  topics: Topic[];
  rising: Topic[];
  gaps: Topic[];
}

/** A local (Asia/Ho_Chi_Minh, UTC+7) wall-clock time as the ISO instant stores keep. */
const local = (day: string, time: string) => new Date(Date.parse(`${day}T${time}:00+07:00`)).toISOString();
const cite = (id: string, title: string, section: string): Citation => ({ id, title, section, status: 'in_force', quote: '…', score: 0.9 });
const RESIDENCE = (clause: string) => cite(`luat-cu-tru::20${clause}`, 'Luật Cư trú', `Điều 20${clause ? `, Khoản ${clause.slice(1)}` : ''}`);
const ID_CARD = (clause: string) => cite(`luat-can-cuoc::19${clause}`, 'Luật Căn cước', `Điều 19${clause ? `, Khoản ${clause.slice(1)}` : ''}`);

interface Answered {
  channel: ChannelName;
  user: string;
  at: string;
  text: string;
  citations: Citation[];
  feedback?: 'up' | 'down';
}
interface Escalated {
  channel: ChannelName;
  user: string;
  at: string;
  text: string;
  abstainReason: AbstainReason;
  candidates?: Citation[];
  /** Seconds until the spokesperson's reply was delivered; 'closed' or undefined (still open). */
  replyAfter?: number | 'closed';
  replyFeedback?: 'up' | 'down';
}

const TRICKY = 'Tiền điện tăng, có được "hỗ trợ" không?\nXin cảm ơn';
const DASHED = '-thủ tục cấp căn cước cho trẻ em';

/** Period 2025-03-01 … 2025-03-10: halves 03-01…03-05 and 03-06…03-10. */
const ANSWERED: Answered[] = [
  // Residence registration: answered from Luật Cư trú Điều 20 (clauses group under the article).
  { channel: 'zalo', user: 'u1', at: local('2025-03-02', '09:00'), text: 'Đăng ký thường trú cần giấy tờ gì?', citations: [RESIDENCE('.1')], feedback: 'up' },
  { channel: 'telegram', user: 'u2', at: local('2025-03-03', '10:00'), text: 'dang ky thuong tru can giay to gi', citations: [RESIDENCE('')], feedback: 'down' },
  { channel: 'webchat', user: 'u3', at: local('2025-03-07', '14:00'), text: 'Thủ tục đăng ký thường trú cho con mới sinh', citations: [RESIDENCE('.2')] },
  // Identity cards for children: 1 in the first half, 4 in the second (rising).
  { channel: 'zalo', user: 'u5', at: local('2025-03-01', '01:00'), text: 'Làm căn cước cho trẻ em ở đâu?', citations: [ID_CARD('.1')] },
  { channel: 'zalo', user: 'u6', at: local('2025-03-06', '08:00'), text: 'làm căn cước cho trẻ em cần gì', citations: [ID_CARD('')], feedback: 'up' },
  { channel: 'telegram', user: 'u7', at: local('2025-03-07', '09:00'), text: 'can cuoc cho tre em duoi 14 tuoi', citations: [ID_CARD('.2')], feedback: 'up' },
  { channel: 'webchat', user: 'u8', at: local('2025-03-09', '09:00'), text: DASHED, citations: [ID_CARD('')] },
  { channel: 'webchat', user: 'u9', at: local('2025-03-10', '23:30'), text: 'căn cước trẻ em có mất phí không', citations: [ID_CARD('')] },
];
const ESCALATED: Escalated[] = [
  // Not sure, but the best candidate is Điều 20: it joins the residence topic.
  { channel: 'webchat', user: 'u4', at: local('2025-03-08', '08:00'), text: 'đăng ký thường trú ở nhà thuê được không', abstainReason: 'low_confidence', candidates: [RESIDENCE('.3')] },
  // Electricity prices: outside the documents; grouped by their words.
  { channel: 'zalo', user: 'u10', at: local('2025-03-02', '10:00'), text: 'Tại sao tiền điện tháng này tăng?', abstainReason: 'out_of_scope', candidates: [RESIDENCE('.1')], replyAfter: 600, replyFeedback: 'up' },
  { channel: 'telegram', user: 'u11', at: local('2025-03-04', '10:00'), text: 'tien dien tang qua cao', abstainReason: 'out_of_scope', replyAfter: 3600, replyFeedback: 'down' },
  { channel: 'zalo', user: 'u12', at: local('2025-03-08', '10:00'), text: 'giá tiền điện tăng bao nhiêu', abstainReason: 'no_knowledge', replyAfter: 1800 },
  { channel: 'webchat', user: 'u13', at: local('2025-03-09', '10:00'), text: TRICKY, abstainReason: 'out_of_scope', replyAfter: 'closed' },
];
const RANGE = 'from=2025-03-01&to=2025-03-10';

async function seed(storage: Storage): Promise<void> {
  const { conversations, escalations } = storage;
  for (const a of ANSWERED) {
    const answerId = randomUUID();
    await conversations.recordTurn({
      channel: a.channel,
      userId: a.user,
      intent: 'question',
      userText: a.text,
      replyKind: 'answer',
      replyText: 'Theo …',
      citations: a.citations,
      answerId,
      confidence: 0.8,
      createdAt: a.at,
    });
    if (a.feedback) await conversations.recordFeedback(answerId, a.feedback, new Date(a.at));
    // The citizen who gave 👎 said why.
    if (a.feedback === 'down') await conversations.recordFeedbackReason(answerId, 'wrong', new Date(a.at));
  }
  for (const e of ESCALATED) {
    const created = new Date(e.at);
    const recipient = { channel: e.channel, userId: e.user, address: {} };
    const esc = await escalations.create({ reason: 'abstained', abstainReason: e.abstainReason, recipient, question: e.text, context: [], candidates: e.candidates ?? [] }, created);
    await conversations.recordTurn({
      channel: e.channel,
      userId: e.user,
      intent: 'question',
      userText: e.text,
      replyKind: 'escalated',
      replyText: 'Đã chuyển cán bộ.',
      abstained: true,
      abstainReason: e.abstainReason,
      confidence: 0.2,
      escalated: true,
      escalationId: esc.id,
      createdAt: e.at,
    });
    if (e.replyAfter === 'closed') await escalations.apply(esc.id, { type: 'close', reason: 'out_of_remit' }, officerActor('cb@loa.test'), new Date(created.getTime() + 60_000));
    else if (e.replyAfter !== undefined) {
      const delivered = new Date(created.getTime() + e.replyAfter * 1000);
      await escalations.apply(esc.id, { type: 'answer', text: 'Trả lời của cán bộ.', citations: [] }, officerActor('cb@loa.test'), new Date(created.getTime() + 1000));
      await escalations.apply(esc.id, { type: 'delivered' }, SYSTEM_ACTOR, delivered);
      const answerId = randomUUID();
      await conversations.recordTurn({
        channel: e.channel,
        userId: e.user,
        intent: 'spokesperson_reply',
        replyKind: 'spokesperson_reply',
        replyText: 'Trả lời của cán bộ.',
        answerId,
        escalated: true,
        escalationId: esc.id,
        createdAt: delivered.toISOString(),
      });
      if (e.replyFeedback) await conversations.recordFeedback(answerId, e.replyFeedback, delivered);
    }
  }
  // A request for a person, a greeting, and the same question again after the period (03-11 03:00 local).
  const person = await escalations.create(
    { reason: 'requested', recipient: { channel: 'webchat', userId: 'u3', address: {} }, question: 'Người dân đề nghị được gặp cán bộ.', context: [], candidates: [] },
    new Date(local('2025-03-07', '15:00')),
  );
  await conversations.recordTurn({ channel: 'webchat', userId: 'u3', intent: 'human', userText: 'gặp cán bộ', replyKind: 'escalated', escalated: true, escalationId: person.id, createdAt: local('2025-03-07', '15:00') });
  await conversations.recordTurn({ channel: 'zalo', userId: 'u1', intent: 'welcome', userText: 'xin chào', replyKind: 'notice', createdAt: local('2025-03-02', '08:59') });
  await conversations.recordTurn({ channel: 'zalo', userId: 'u1', intent: 'question', userText: 'Đăng ký thường trú cần giấy tờ gì?', replyKind: 'answer', citations: [RESIDENCE('')], answerId: randomUUID(), createdAt: '2025-03-10T20:00:00.000Z' });
}

/** RFC 4180 parser, independent of the code under test. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field || row.length) rows.push([...row, field]);
  return rows;
}

let t: Loa;
let admin: StaffClient;
let viewer: StaffClient;
let spokesperson: StaffClient;

beforeAll(async () => {
  t = await startLoaWithContent();
  admin = await loginAdmin(t);
  viewer = await loginAs(t, 'viewer', admin);
  spokesperson = await loginAs(t, 'spokesperson', admin);
  await seed(t.runtime.storage);
});
afterAll(async () => {
  await t?.stop();
});

describe('GET /reports/summary', () => {
  it('counts questions, outcomes, response times, satisfaction and repeats over local days', async () => {
    const res = await viewer.get<Summary>(`/reports/summary?${RANGE}`);
    expect(res.status).toBe(200);
    const s = res.body;
    expect(s.range).toMatchObject({ from: '2025-03-01', to: '2025-03-10', days: 10, timezone: 'Asia/Ho_Chi_Minh' });
    expect(s.totals).toEqual({
      questions: 13,
      answeredByBot: 8,
      escalated: 5,
      answeredBySpokesperson: 3,
      closedWithoutReply: 1,
      unanswered: 1,
      personRequests: 1,
    });
    expect(s.shares).toEqual({ answeredByBot: 0.6154, escalated: 0.3846, unanswered: 0.0769 });

    // Local days: 01:00 on 03-01 and 23:30 on 03-10 (16:30 UTC) are inside; 03:00 on 03-11 is not.
    expect(s.perDay).toHaveLength(10);
    expect(s.perDay[0]).toMatchObject({ day: '2025-03-01', questions: 1, byChannel: { zalo: 1 } });
    expect(s.perDay[1]).toMatchObject({ day: '2025-03-02', questions: 2, answeredByBot: 1, escalated: 1 });
    expect(s.perDay[9]).toMatchObject({ day: '2025-03-10', questions: 1, byChannel: { webchat: 1 } });
    expect(s.perDay.reduce((n, d) => n + d.questions, 0)).toBe(13);

    // Escalation created → reply delivered: 600, 1800, 3600 s.
    expect(s.responseTime).toEqual({ count: 3, medianSeconds: 1800, p90Seconds: 3240 });
    const zalo = s.perChannel.find((c) => c.channel === 'zalo');
    expect(zalo?.responseTime).toEqual({ count: 2, medianSeconds: 1200, p90Seconds: 1680 });
    expect(zalo).toMatchObject({ questions: 5, answeredByBot: 3, escalated: 2 });
    expect(zalo?.satisfaction).toMatchObject({ replies: 5, up: 3, down: 0 });

    expect(s.satisfaction).toMatchObject({ replies: 11, up: 4, down: 2, rated: 6, satisfaction: 0.6667 });
    expect(s.satisfaction.bot).toEqual({
      replies: 8, up: 3, down: 1, rated: 4, satisfaction: 0.75, ratedShare: 0.5, downReasons: { wrong: 1, incomplete: 0, unclear: 0 },
    });
    expect(s.satisfaction.spokesperson).toMatchObject({ replies: 3, up: 1, down: 1 });

    expect(s.escalations).toEqual({ total: 6, byReason: { abstained: 5, requested: 1, error: 0 }, open: 2 });

    expect(s.repeats).toMatchObject({ repeatedQuestions: 1, askings: 2, share: 0.1538 });
    expect(s.repeats.top[0]).toMatchObject({ normalized: 'dang ky thuong tru can giay to gi', times: 2, users: 2, channels: ['telegram', 'zalo'] });
  });

  it('filters by channel and validates the period', async () => {
    const zalo = await viewer.get<Summary>(`/reports/summary?${RANGE}&channel=zalo`);
    expect(zalo.body.totals.questions).toBe(5);
    expect(zalo.body.perChannel.map((c) => c.channel)).toEqual(['zalo']);
    expect(zalo.body.repeats.repeatedQuestions).toBe(0);

    expect((await viewer.get('/reports/summary?from=2025-03-10&to=2025-03-01')).status).toBe(400);
    expect((await viewer.get('/reports/summary?from=2024-01-01&to=2025-03-01')).status).toBe(400);
    expect((await viewer.get('/reports/summary?from=2025-02-30')).status).toBe(400);
    expect((await viewer.get('/reports/summary?channel=fax')).status).toBe(400);
    expect((await fetch(`${t.url}/api/admin/reports/summary`)).status).toBe(401);

    // Default: the last 30 days, today included.
    const recent = await viewer.get<Summary>('/reports/summary');
    expect(recent.body.range.days).toBe(30);
    expect(recent.body.totals.questions).toBe(0);
  });

  it('counts real web chat questions and 👍 handled by the core', async () => {
    const citizen = await openWebchat(t.url);
    await webchatSay(t.url, citizen, 'Làm thẻ căn cước cho trẻ em ở đâu?');
    await t.loa.core.drain();
    await webchatSay(t.url, citizen, '👍');
    await t.loa.core.drain();
    // Whatever the bot decided, the report must say the same as the recorded turns.
    const turns = await t.runtime.storage.conversations.recentTurns('webchat', citizen.sessionId, 10);
    const question = turns.find((tr) => tr.intent === 'question');
    expect(question).toBeDefined();
    expect(turns.map((tr) => tr.intent)).toContain('feedback');
    const s = (await viewer.get<Summary>('/reports/summary?channel=webchat')).body;
    expect(s.totals.questions).toBe(1);
    expect(s.perDay.at(-1)?.questions).toBe(1);
    if (question?.escalated) {
      expect(s.totals).toMatchObject({ answeredByBot: 0, escalated: 1, unanswered: 1 });
    } else {
      expect(s.totals).toMatchObject({ answeredByBot: 1, escalated: 0 });
      expect(s.satisfaction.bot).toMatchObject({ replies: 1, up: 1, down: 0, satisfaction: 1 });
    }
  });
});

describe('GET /reports/topics', () => {
  it('groups questions by cited article or shared words, labels them, and finds rising topics and gaps', async () => {
    const res = await admin.get<Topics>(`/reports/topics?${RANGE}`);
    expect(res.status).toBe(200);
    const { topics, rising, gaps } = res.body;
    expect(res.body.totalQuestions).toBe(13);
    expect(topics.reduce((n, tp) => n + tp.questions, 0)).toBe(13);

    const idCard = topics.find((tp) => tp.id === 'a:luat-can-cuoc::19');
    expect(idCard).toMatchObject({ basis: 'citation', questions: 5, users: 5, firstHalf: 1, secondHalf: 4, growth: 4, escalated: 0, up: 2 });
    expect(idCard?.label).toContain('căn cước');
    expect(idCard?.documents[0]).toMatchObject({ title: 'Luật Căn cước', count: 3 });

    // Three answered from Điều 20 (article and clauses) and one escalated whose best candidate was Điều 20.3.
    const residence = topics.find((tp) => tp.id === 'a:luat-cu-tru::20');
    expect(residence).toMatchObject({ basis: 'citation', questions: 4, answered: 3, escalated: 1, unanswered: 1, up: 1, down: 1 });
    expect(residence?.label).toContain('thường trú');

    // Out-of-scope questions (their candidates ignored) form one keyword topic.
    const power = topics.find((tp) => tp.basis === 'keywords');
    expect(power).toMatchObject({ questions: 4, escalated: 4, unanswered: 0, down: 1 });
    expect(power?.label).toContain('tiền điện');
    expect(power?.examples).toContain(TRICKY);
    expect(topics.filter((tp) => tp.basis === 'keywords')).toHaveLength(1);

    expect(rising.map((tp) => tp.id)).toEqual(['a:luat-can-cuoc::19']);
    expect(gaps.map((tp) => tp.id)).toEqual([power?.id, 'a:luat-cu-tru::20']);

    const webchat = await viewer.get<Topics>(`/reports/topics?${RANGE}&channel=webchat&limit=1`);
    expect(webchat.body.totalQuestions).toBe(5);
    expect(webchat.body.topics).toHaveLength(1);
  });

  it('gives viewers the same aggregates without a single citizen question', async () => {
    const res = await viewer.get<Topics>(`/reports/topics?${RANGE}`);
    expect(res.status).toBe(200);
    const all = [...res.body.topics, ...res.body.rising, ...res.body.gaps];
    expect(all.length).toBeGreaterThan(0);
    expect(all.every((tp) => tp.examples.length === 0)).toBe(true);
    expect(res.body.topics.find((tp) => tp.id === 'a:luat-can-cuoc::19')).toMatchObject({ questions: 5, users: 5 });
    const body = JSON.stringify(res.body);
    expect(body).not.toContain('Tiền điện tăng');
    expect(body).not.toContain('Đăng ký thường trú cần giấy tờ gì?');
  });
});

describe('GET /reports/export.csv', () => {
  it('exports questions as Excel-ready CSV that parses back', async () => {
    const res = await fetch(admin.url(`/reports/export.csv?${RANGE}`), { headers: { cookie: spokesperson.cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toContain('loa-cau-hoi_2025-03-01_2025-03-10.csv');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    expect(text.startsWith('\uFEFF')).toBe(true);
    const rows = parseCsv(text.slice(1));
    const [header, ...data] = rows;
    expect(header).toEqual(['Thời điểm (UTC)', 'Ngày', 'Kênh', 'Người hỏi (mã ẩn danh)', 'Câu hỏi', 'Kết quả', 'Độ tin cậy', 'Nguồn trích dẫn', 'Đánh giá', 'Mã chuyển cán bộ', 'Chủ đề']);
    expect(data).toHaveLength(13);
    expect(data.every((r) => r.length === header.length)).toBe(true);
    const col = (name: string) => header.indexOf(name);

    // Comma, quotes and a line break survive the round trip.
    const tricky = data.find((r) => r[col('Câu hỏi')] === TRICKY);
    expect(tricky?.[col('Kết quả')]).toBe('Chuyển cán bộ – đã đóng');
    expect(text).toContain('"Tiền điện tăng, có được ""hỗ trợ"" không?\nXin cảm ơn"');
    // A cell Excel would read as a formula is defused.
    expect(data.some((r) => r[col('Câu hỏi')] === `'${DASHED}`)).toBe(true);

    const first = data.find((r) => r[col('Câu hỏi')] === 'Đăng ký thường trú cần giấy tờ gì?');
    expect(first).toBeDefined();
    expect(first?.[col('Ngày')]).toBe('2025-03-02');
    expect(first?.[col('Kênh')]).toBe('zalo');
    expect(first?.[col('Nguồn trích dẫn')]).toBe('Luật Cư trú, Điều 20, Khoản 1');
    expect(first?.[col('Đánh giá')]).toBe('👍');
    expect(data.find((r) => r[col('Câu hỏi')] === 'dang ky thuong tru can giay to gi')?.[col('Đánh giá')]).toBe('👎 (Sai)');
    expect(first?.[col('Chủ đề')]).toContain('thường trú');
    // Citizens appear as a stable code, never their channel id.
    const code = first?.[col('Người hỏi (mã ẩn danh)')];
    expect(code).toMatch(/^[0-9a-f]{12}$/);
    expect(text).not.toContain(',u1,');
    // Keyed: not the unsalted hash anyone could recompute from a channel id.
    expect(code).not.toBe(createHash('sha256').update('loa-report:zalo:u1').digest('hex').slice(0, 12));
    // Stable: the same citizen has the same code in the next export.
    const again = await admin.get<string>(`/reports/export.csv?${RANGE}`);
    expect(again.body).toContain(`,${code},`);
  });

  it('refuses the per-question export (citizens\' words) to viewers', async () => {
    const res = await viewer.get<{ error: string }>(`/reports/export.csv?${RANGE}&kind=questions`);
    expect(res.status).toBe(403);
    expect((await viewer.get(`/reports/export.csv?${RANGE}`)).status).toBe(403);
  });

  it('exports the daily summary', async () => {
    const res = await viewer.get<string>(`/reports/export.csv?${RANGE}&kind=summary`);
    expect(res.status).toBe(200);
    const [header, ...data] = parseCsv(res.body.replace(/^\uFEFF/, ''));
    expect(header.slice(0, 3)).toEqual(['Ngày', 'Kênh', 'Số câu hỏi']);
    expect(data.reduce((n, r) => n + Number(r[2]), 0)).toBe(13);
    expect(data.find((r) => r[0] === '2025-03-02' && r[1] === 'zalo')?.slice(2, 5)).toEqual(['2', '1', '1']);
  });
});
