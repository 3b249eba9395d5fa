import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ESCALATED_TEXT } from '../../bots/core/messages.ts';
import { loginAdmin, openWebchat, startTestLoa, webchatSay, webchatTranscript, type Citizen, type StaffClient, type TestLoa } from '../admin/harness.ts';
import { answeredQuestion, openWebchatStream, waitFor, type AnsweredQuestion, type WebchatStream } from './support.ts';

/**
 * The web chat over HTTP through the whole product (the browser widget has its own tests):
 * session, question, answer with citations from the real retriever on the event stream and
 * in the transcript; a request for an officer, escalation, and the officer's reply on the
 * same stream.
 */

let t: TestLoa;
let officer: StaffClient;
let answered: AnsweredQuestion;
const streams: WebchatStream[] = [];

beforeAll(async () => {
  t = await startTestLoa();
  officer = await loginAdmin(t);
  answered = await answeredQuestion(t.runtime);
});

afterAll(async () => {
  for (const s of streams) s.close();
  await t?.stop();
});

async function citizenWithStream(): Promise<{ citizen: Citizen; stream: WebchatStream }> {
  const citizen = await openWebchat(t.url);
  const stream = await openWebchatStream(t.url, citizen.sessionId, citizen.token);
  streams.push(stream);
  expect(stream.status).toBe(200);
  return { citizen, stream };
}

describe('Web chat end to end (HTTP)', () => {
  it('streams the answer with citations from the real retriever, and keeps it in the transcript', async () => {
    const { citizen, stream } = await citizenWithStream();
    await webchatSay(t.url, citizen, answered.sample.question);

    const answer = await waitFor(() => stream.messages.find((m) => m.kind === 'answer'), 'the answer on the event stream');
    expect(answer.text).toContain(answered.result.citations[0].quote.split('\n')[0]);
    expect(answer.citations.length).toBeGreaterThan(0);
    expect(answer.citations[0]).toMatchObject({ n: 1, quote: answered.result.citations[0].quote });
    expect(answer.citations[0].label.startsWith(answered.title)).toBe(true);
    expect(answer.answerId).toBeDefined();
    // The citizen's own words come first on the stream.
    expect(stream.messages[0]).toMatchObject({ kind: 'user', text: answered.sample.question });

    const transcript = await webchatTranscript(t.url, citizen);
    expect(transcript.map((m) => m.kind)).toEqual(['user', 'answer']);
    expect(transcript[1].seq).toBe(answer.seq);
  });

  it('"gặp cán bộ" escalates; the officer’s reply arrives on the stream', async () => {
    const { citizen, stream } = await citizenWithStream();
    const question = 'Tôi muốn gặp cán bộ để hỏi về hồ sơ đất đai của gia đình';
    await webchatSay(t.url, citizen, question);

    const notice = await waitFor(() => stream.messages.find((m) => m.kind === 'escalated'), 'the escalation notice');
    expect(notice.text).toContain(ESCALATED_TEXT);

    const list = await officer.get<{ items: { id: string; reason: string; recipient: { userId: string }; question: string }[] }>(
      '/escalations?channel=webchat',
    );
    const escalation = list.body.items.find((e) => e.recipient.userId === citizen.sessionId);
    expect(escalation).toMatchObject({ reason: 'requested', question });

    const text = 'Chào bạn, bạn vui lòng mang sổ đỏ bản gốc đến bộ phận một cửa của UBND xã vào giờ hành chính.';
    const reply = await officer.post<{ delivered: boolean }>(`/escalations/${escalation?.id}/reply`, { text });
    expect(reply.status).toBe(200);
    expect(reply.body.delivered).toBe(true);

    const late = await waitFor(() => stream.messages.find((m) => m.kind === 'spokesperson_reply'), 'the officer’s reply on the stream');
    expect(late.text).toContain(text);
    expect(late.text).toContain('Cán bộ phát ngôn');
    expect(stream.messages.map((m) => m.kind)).toEqual(['user', 'escalated', 'spokesperson_reply']);
  });
});
