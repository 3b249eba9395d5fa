import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Citation } from '../../../retrieval/types.ts';
import { ChannelSendError } from '../../../bots/core/types.ts';
import { webchatRecipient } from '../../../bots/webchat/incoming-message.ts';
import { listWebchatMessages, openWebchatSession, postWebchatMessage } from '../../support/webchat-client.ts';
import { openEvents, startHarness, type Harness } from './harness.ts';

const citation: Citation = {
  id: 'luat-cu-tru/d20/k2',
  title: 'Luật Cư trú',
  section: 'Điều 20, Khoản 2',
  number: '68/2020/QH14',
  url: 'https://vbpl.vn/luat-cu-tru',
  status: 'in_force',
  quote: 'Công dân được đăng ký thường trú tại chỗ ở hợp pháp …',
  score: 0.9,
};

describe('web chat API', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('creates sessions with distinct ids and tokens', async () => {
    const a = await openWebchatSession(h.base);
    const b = await openWebchatSession(h.base);
    expect(a.sessionId).toMatch(/^ws_[A-Za-z0-9_-]{24}$/);
    expect(a.token.length).toBeGreaterThanOrEqual(40);
    expect(b.sessionId).not.toBe(a.sessionId);
    expect(b.token).not.toBe(a.token);
    expect(await listWebchatMessages(h.base, a)).toEqual([]);
  });

  it('turns a question into an IncomingMessage and stores it in the transcript', async () => {
    const s = await openWebchatSession(h.base);
    const res = await postWebchatMessage(h.base, s, { clientMessageId: 'c-1', text: '  Thủ tục làm CCCD?  ' });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ status: 'accepted', duplicate: false, seq: 1 });
    const [m] = h.receiver.received;
    expect(m).toMatchObject({
      channel: 'webchat',
      channelMessageId: `${s.sessionId}:c-1`,
      from: { channel: 'webchat', userId: s.sessionId, address: { sessionId: s.sessionId } },
      kind: 'text',
      text: 'Thủ tục làm CCCD?',
    });
    expect(Number.isNaN(Date.parse(m.sentAt))).toBe(false);
    const stored = await listWebchatMessages(h.base, s);
    expect(stored).toMatchObject([{ seq: 1, kind: 'user', text: 'Thủ tục làm CCCD?', clientMessageId: 'c-1', citations: [] }]);
  });

  it('maps feedback and commands; only visible buttons are echoed in the transcript', async () => {
    const s = await openWebchatSession(h.base);
    expect((await postWebchatMessage(h.base, s, { clientMessageId: 'f1', feedback: { answerId: 'a1', value: 'down' } })).status).toBe(202);
    expect((await postWebchatMessage(h.base, s, { clientMessageId: 's1', command: 'start' })).status).toBe(202);
    expect((await postWebchatMessage(h.base, s, { clientMessageId: 'h1', command: 'human' })).status).toBe(202);
    expect(h.receiver.received.map((m) => [m.kind, m.feedback ?? m.command])).toEqual([
      ['feedback', { answerId: 'a1', value: 'down' }],
      ['command', 'start'],
      ['command', 'human'],
    ]);
    expect((await listWebchatMessages(h.base, s)).map((m) => [m.kind, m.text])).toEqual([['user', 'Gặp cán bộ']]);
  });

  it('a retried clientMessageId reaches the core with the same channelMessageId and is stored once', async () => {
    const s = await openWebchatSession(h.base);
    const first = await postWebchatMessage(h.base, s, { clientMessageId: 'retry-1', text: 'Xin chào' });
    const second = await postWebchatMessage(h.base, s, { clientMessageId: 'retry-1', text: 'Xin chào' });
    expect(first.status).toBe(202);
    expect(await second.json()).toEqual({ status: 'accepted', duplicate: true, seq: 1 });
    expect(h.receiver.received).toHaveLength(2);
    expect(h.receiver.received[1].channelMessageId).toBe(h.receiver.received[0].channelMessageId);
    expect(await listWebchatMessages(h.base, s)).toHaveLength(1);
  });

  it('scopes client ids by session, so two browsers using the same id are not duplicates', async () => {
    const a = await openWebchatSession(h.base);
    const b = await openWebchatSession(h.base);
    await postWebchatMessage(h.base, a, { clientMessageId: '1', text: 'một' });
    await postWebchatMessage(h.base, b, { clientMessageId: '1', text: 'hai' });
    const [ma, mb] = h.receiver.received;
    expect(ma.channelMessageId).not.toBe(mb.channelMessageId);
  });

  it('rejects a wrong token, a missing token and an unknown session with 401', async () => {
    const s = await openWebchatSession(h.base);
    const other = await openWebchatSession(h.base);
    expect((await postWebchatMessage(h.base, s, { clientMessageId: 'x', text: 'a' }, other.token)).status).toBe(401);
    const noAuth = await fetch(`${h.base}/webchat/api/messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ sessionId: s.sessionId, clientMessageId: 'x', text: 'a' }),
    });
    expect(noAuth.status).toBe(401);
    const unknown = { sessionId: 'ws_AAAAAAAAAAAAAAAAAAAAAAAA', token: s.token };
    expect((await postWebchatMessage(h.base, unknown, { clientMessageId: 'x', text: 'a' })).status).toBe(401);
    const list = await fetch(`${h.base}/webchat/api/messages?sessionId=${s.sessionId}`, { headers: { Authorization: `Bearer ${other.token}` } });
    expect(list.status).toBe(401);
    const events = await fetch(`${h.base}/webchat/api/events?sessionId=${s.sessionId}&token=${other.token}`);
    expect(events.status).toBe(401);
    expect(h.receiver.received).toHaveLength(0);
  });

  it("maps a press of one of Loa's buttons to a choice and echoes its label", async () => {
    const s = await openWebchatSession(h.base);
    const id = '0b7c6a52-1f4e-4d8a-9a53-2f1d7c1b9e10:2';
    expect((await postWebchatMessage(h.base, s, { clientMessageId: 'c1', choice: { id, label: 'Nghỉ hưu trước tuổi' } })).status).toBe(202);
    expect(h.receiver.received.map((m) => [m.kind, m.choice])).toEqual([['choice', { id }]]);
    expect((await listWebchatMessages(h.base, s)).map((m) => [m.kind, m.text])).toEqual([['user', 'Nghỉ hưu trước tuổi']]);
  });

  it('answers malformed JSON with 400, invalid bodies with 400 and oversized bodies with 413', async () => {
    const s = await openWebchatSession(h.base);
    const send = (body: string) =>
      fetch(`${h.base}/webchat/api/messages`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${s.token}` },
        body,
      });
    const malformed = await send('{"sessionId": ');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({ error: { code: 'malformed_json', message: expect.any(String) } });
    for (const bad of [
      { clientMessageId: 'a', text: '   ' },
      { clientMessageId: 'a', text: 'x'.repeat(2001) },
      { clientMessageId: 'a', text: 'hai loại', command: 'human' },
      { clientMessageId: 'a b', text: 'id có dấu cách' },
      { clientMessageId: 'a', command: 'reboot' },
      { clientMessageId: 'a', feedback: { answerId: 'a1', value: 'meh' } },
      { clientMessageId: 'a', choice: { id: '<script>' } },
      { clientMessageId: 'a', choice: { id: 't:1', label: 'x'.repeat(101) } },
      { clientMessageId: 'a', choice: { id: 't:1', extra: true } },
    ]) {
      const res = await send(JSON.stringify({ sessionId: s.sessionId, ...bad }));
      expect(res.status, JSON.stringify(bad).slice(0, 60)).toBe(400);
    }
    const big = await send(JSON.stringify({ sessionId: s.sessionId, clientMessageId: 'a', text: 'x'.repeat(17 * 1024) }));
    expect(big.status).toBe(413);
    expect(h.receiver.received).toHaveLength(0);
  });

  it('pushes sent messages to an open event stream and lists them; reconnecting with after gets only newer', async () => {
    const s = await openWebchatSession(h.base);
    await postWebchatMessage(h.base, s, { clientMessageId: 'q1', text: 'Đăng ký thường trú cần gì?' });
    const url = `${h.base}/webchat/api/events?sessionId=${s.sessionId}&token=${s.token}&after=0`;
    const stream = await openEvents(url);
    expect(stream.status).toBe(200);
    expect(stream.contentType).toMatch(/^text\/event-stream/);
    const [backlog] = await stream.waitForCount(1);
    expect(backlog).toMatchObject({ seq: 1, kind: 'user' });
    expect(stream.raw()).toMatch(/^retry: \d+\n\n/);

    const to = webchatRecipient(s.sessionId);
    const sent = await h.handle.sender.send(to, {
      kind: 'answer',
      text: 'Cần tờ khai và giấy tờ chứng minh chỗ ở hợp pháp.',
      citations: [citation],
      answerId: 'a1',
    });
    expect(sent.channelMessageIds).toEqual([`${s.sessionId}:2`]);
    const events = await stream.waitForCount(2);
    expect(events[1]).toMatchObject({
      seq: 2,
      kind: 'answer',
      answerId: 'a1',
      citations: [{ n: 1, label: 'Luật Cư trú (68/2020/QH14), Điều 20, Khoản 2', url: 'https://vbpl.vn/luat-cu-tru', quote: citation.quote }],
    });
    expect(stream.raw()).toContain('id: 2\n');
    expect((await listWebchatMessages(h.base, s)).map((m) => m.seq)).toEqual([1, 2]);
    stream.close();

    await h.handle.sender.send(to, { kind: 'spokesperson_reply', text: 'Cán bộ trả lời: …' });
    const again = await openEvents(url.replace('after=0', 'after=2'));
    const [only] = await again.waitForCount(1);
    expect(only).toMatchObject({ seq: 3, kind: 'spokesperson_reply' });
    // A newer live message still arrives on the reconnected stream, and nothing older came.
    await h.handle.sender.send(to, { kind: 'notice', text: 'Thông báo' });
    expect((await again.waitForCount(2)).map((m) => m.seq)).toEqual([3, 4]);
    again.close();

    // EventSource reconnects with Last-Event-ID and the original URL: the header wins.
    const resumed = await openEvents(url, { 'Last-Event-ID': '3' });
    expect((await resumed.waitForCount(1))[0].seq).toBe(4);
    await h.handle.sender.send(to, { kind: 'notice', text: 'Mới nhất' });
    expect((await resumed.waitForCount(2)).map((m) => m.seq)).toEqual([4, 5]);
    resumed.close();
    expect((await listWebchatMessages(h.base, s, 3)).map((m) => m.seq)).toEqual([4, 5]);
  });

  it('delivers to every open stream of a session, and only of that session', async () => {
    const s = await openWebchatSession(h.base);
    const other = await openWebchatSession(h.base);
    const events = (x: typeof s) => openEvents(`${h.base}/webchat/api/events?sessionId=${x.sessionId}&token=${x.token}`);
    const [tab1, tab2, stranger] = await Promise.all([events(s), events(s), events(other)]);
    await h.handle.sender.send(webchatRecipient(s.sessionId), { kind: 'notice', text: 'Cho cả hai thẻ' });
    await postWebchatMessage(h.base, other, { clientMessageId: 'o1', text: 'của người khác' });
    expect((await tab1.waitForCount(1))[0].text).toBe('Cho cả hai thẻ');
    expect((await tab2.waitForCount(1))[0].text).toBe('Cho cả hai thẻ');
    expect((await stranger.waitForCount(1)).map((m) => m.text)).toEqual(['của người khác']);
    expect(tab1.events).toHaveLength(1);
    [tab1, tab2, stranger].forEach((r) => r.close());
  });

  it('pre-renders citation labels with status notes and drops non-http links', async () => {
    const s = await openWebchatSession(h.base);
    await h.handle.sender.send(webchatRecipient(s.sessionId), {
      kind: 'answer',
      text: 'Trả lời',
      answerId: 'a2',
      citations: [
        { ...citation, number: undefined, isSummary: true, url: 'javascript:alert(1)' },
        { ...citation, number: undefined, status: 'expired', url: undefined },
      ],
    });
    const [m] = await listWebchatMessages(h.base, s);
    expect(m.citations).toEqual([
      { n: 1, label: 'Luật Cư trú (bản tóm tắt), Điều 20, Khoản 2', quote: citation.quote },
      { n: 2, label: 'Luật Cư trú (đã hết hiệu lực), Điều 20, Khoản 2', quote: citation.quote },
    ]);
  });

  it('refuses to send to a session that does not exist, without retry', async () => {
    const err = await h.handle.sender
      .send(webchatRecipient('ws_doesnotexist0000000000'), { kind: 'notice', text: 'x' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChannelSendError);
    expect((err as ChannelSendError).retryable).toBe(false);
  });

  it('serves the demo page with a strict CSP and the widget with caching and cross-origin headers', async () => {
    const page = await fetch(`${h.base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('content-security-policy')).not.toContain('unsafe-inline');
    expect(await page.text()).toContain('/webchat/loa-widget.js');
    const js = await fetch(`${h.base}/webchat/loa-widget.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect(js.headers.get('cache-control')).toBe('public, max-age=3600');
    expect(js.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(js.headers.get('etag')).toBeTruthy();
    const css = await fetch(`${h.base}/webchat/loa-widget.css`);
    expect(css.headers.get('content-type')).toMatch(/text\/css/);
    expect((await fetch(`${h.base}/webchat/api/nothing`)).status).toBe(404);
  });

  it('answers CORS preflights for any origin by default', async () => {
    const res = await fetch(`${h.base}/webchat/api/messages`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://portal.example.gov.vn', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
  });
});

describe('web chat limits and origins', () => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
  });

  it('rate-limits session creation per IP', async () => {
    h = await startHarness({ LOA_WEBCHAT_SESSIONS_PER_HOUR: '2' });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await fetch(`${h.base}/webchat/api/sessions`, { method: 'POST' })).status);
    expect(statuses).toEqual([201, 201, 429]);
    const limited = await fetch(`${h.base}/webchat/api/sessions`, { method: 'POST' });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('only lets listed origins (and its own) use the API', async () => {
    h = await startHarness({ LOA_WEBCHAT_ORIGINS: 'https://portal.example.gov.vn' });
    const post = (origin: string) => fetch(`${h.base}/webchat/api/sessions`, { method: 'POST', headers: { Origin: origin } });
    const allowed = await post('https://portal.example.gov.vn');
    expect(allowed.status).toBe(201);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://portal.example.gov.vn');
    expect((await post('https://evil.example.com')).status).toBe(403);
    expect((await post(h.base)).status).toBe(201);
  });

  it('sends heartbeat comments on an idle stream', async () => {
    h = await startHarness({}, { heartbeatMs: 20 });
    const s = await openWebchatSession(h.base);
    const stream = await openEvents(`${h.base}/webchat/api/events?sessionId=${s.sessionId}&token=${s.token}`);
    await stream.waitForRaw(': ping\n\n');
    expect(stream.events).toEqual([]);
    stream.close();
  });

  it('caps open event streams per session', async () => {
    h = await startHarness({}, { maxStreamsPerSession: 1 });
    const s = await openWebchatSession(h.base);
    const url = `${h.base}/webchat/api/events?sessionId=${s.sessionId}&token=${s.token}`;
    const first = await openEvents(url);
    expect(first.status).toBe(200);
    const second = await fetch(url);
    expect(second.status).toBe(429);
    first.close();
  });
});
