import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Citation } from '../../../retrieval/types.ts';
import { ChannelSendError, type ChannelSender, type OutgoingMessage } from '../../../bots/core/types.ts';
import { BOTFRAMEWORK_MESSAGES_PATH, setupBotFramework } from '../../../bots/botframework/index.ts';
import { BOTFRAMEWORK_MAX_CHARS, FEEDBACK_BUTTONS } from '../../../bots/botframework/send-message.ts';
import { startFakeConnector, type FakeConnector } from '../../fakes/botframework-connector.ts';
// The channel-neutral harness (Express app, recording receiver) lives with the Telegram tests.
import { startHarness, type Harness } from '../telegram/harness.ts';

let connector: FakeConnector;
let h: Harness;

beforeEach(async () => {
  connector = await startFakeConnector();
  h = await startHarness(setupBotFramework, { LOA_BOTFRAMEWORK_DEV_UNAUTHENTICATED: 'true' }, { loopbackOnly: true });
});

afterEach(async () => {
  await h.close();
  await connector.close();
});

function activity(fields: Record<string, unknown>) {
  return {
    type: 'message',
    id: 'act-1',
    timestamp: '2025-03-01T08:00:00.000Z',
    channelId: 'emulator',
    serviceUrl: connector.serviceUrl,
    from: { id: 'user-1', name: 'Lan' },
    recipient: { id: 'bot-1', name: 'Loa' },
    conversation: { id: 'conv-1' },
    ...fields,
  };
}

function post(body: string | object, baseUrl = h.baseUrl, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${baseUrl}${BOTFRAMEWORK_MESSAGES_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const citation: Citation = {
  id: 'nd-01:d5',
  title: 'Nghị định về căn cước',
  section: 'Điều 5',
  number: '70/2024/NĐ-CP',
  url: 'https://vbpl.vn/nd-70-2024',
  status: 'in_force',
  quote: '…',
  score: 0.8,
};

function sender(): ChannelSender {
  if (!h.handle) throw new Error('channel not set up');
  return h.handle.sender;
}

describe('Bot Framework endpoint', () => {
  it('turns a message activity into an IncomingMessage addressed by its conversation reference', async () => {
    const res = await post(activity({ text: 'Làm căn cước cần giấy tờ gì?' }));
    expect(res.status).toBe(200);
    expect(h.receiver.messages).toEqual([
      {
        channel: 'botframework',
        channelMessageId: 'act-1',
        from: {
          channel: 'botframework',
          userId: 'user-1',
          address: {
            activityId: 'act-1',
            user: { id: 'user-1', name: 'Lan' },
            bot: { id: 'bot-1', name: 'Loa' },
            conversation: { id: 'conv-1' },
            channelId: 'emulator',
            serviceUrl: connector.serviceUrl,
          },
        },
        kind: 'text',
        text: 'Làm căn cước cần giấy tờ gì?',
        sentAt: '2025-03-01T08:00:00.000Z',
        userName: 'Lan',
      },
    ]);
  });

  it('turns a feedback card press (messageBack value) into feedback', async () => {
    await post(activity({ id: 'act-2', text: '👎', value: { fb: 'ans-9', v: 'down' } }));
    expect(h.receiver.messages[0]).toMatchObject({ kind: 'feedback', channelMessageId: 'act-2', feedback: { answerId: 'ans-9', value: 'down' } });
  });

  it('turns a conversationUpdate adding the citizen into one follow, ignoring the bot itself', async () => {
    const res = await post(
      activity({ type: 'conversationUpdate', id: 'cu-1', membersAdded: [{ id: 'bot-1', name: 'Loa' }, { id: 'user-1', name: 'Lan' }] }),
    );
    expect(res.status).toBe(200);
    expect(h.receiver.messages).toHaveLength(1);
    expect(h.receiver.messages[0]).toMatchObject({ kind: 'follow', from: { userId: 'user-1', address: { conversation: { id: 'conv-1' } } } });
  });

  it('ignores typing activities and answers 400 to malformed JSON', async () => {
    expect((await post(activity({ type: 'typing', id: 'ty-1' }))).status).toBe(200);
    expect((await post('{"type": "message",')).status).toBe(400);
    expect(h.receiver.messages).toHaveLength(0);
  });

  it('answers 500 when the core cannot store the activity', async () => {
    h.receiver.failNext();
    expect((await post(activity({ text: 'a' }))).status).toBe(500);
    expect(h.receiver.messages).toHaveLength(0);
  });
});

describe('Bot Framework sender', () => {
  async function addressOfCitizen() {
    await post(activity({ text: 'xin chào' }));
    return h.receiver.messages[0].from;
  }

  it('delivers an answer proactively to the connector, with citations and a feedback card', async () => {
    const to = await addressOfCitizen();
    const message: OutgoingMessage = { kind: 'answer', answerId: 'ans-1', text: 'Bạn cần mang giấy khai sinh.', citations: [citation] };
    const result = await sender().send(to, message);
    expect(result.channelMessageIds).toEqual(['activity-1']);
    expect(connector.activities).toHaveLength(1);
    const [{ conversationId, replyToId, authorization, activity: sent }] = connector.activities;
    expect(conversationId).toBe('conv-1');
    expect(replyToId).toBeTruthy();
    expect(authorization).toBeUndefined(); // no credentials configured: no token is fetched or sent
    expect(sent).toMatchObject({ type: 'message', textFormat: 'markdown', recipient: { id: 'user-1' }, from: { id: 'bot-1' } });
    const text = String(sent.text);
    expect(text).toContain('Bạn cần mang giấy khai sinh.');
    expect(text).toContain('[1] Nghị định về căn cước (70/2024/NĐ-CP), Điều 5 – https://vbpl.vn/nd-70-2024');
    expect(sent.attachments).toEqual([
      {
        contentType: 'application/vnd.microsoft.card.hero',
        content: expect.objectContaining({
          buttons: [
            expect.objectContaining({ type: 'messageBack', title: FEEDBACK_BUTTONS.up, value: { fb: 'ans-1', v: 'up' } }),
            expect.objectContaining({ type: 'messageBack', title: FEEDBACK_BUTTONS.down, value: { fb: 'ans-1', v: 'down' } }),
          ],
        }),
      },
    ]);
  });

  it('splits a long answer, with the card only on the last part', async () => {
    const to = await addressOfCitizen();
    const text = Array.from({ length: 120 }, (_, i) => `Câu ${i + 1} hướng dẫn thủ tục cấp đổi căn cước cho công dân.`).join(' ');
    await sender().send(to, { kind: 'answer', answerId: 'ans-2', text, citations: [citation] });
    const sent = connector.activities.map((a) => a.activity);
    expect(sent.length).toBeGreaterThan(1);
    for (const a of sent) expect(String(a.text).replace(/ {2}\n/g, '\n').length).toBeLessThanOrEqual(BOTFRAMEWORK_MAX_CHARS);
    expect(sent.slice(0, -1).every((a) => a.attachments === undefined)).toBe(true);
    expect(sent.at(-1)?.attachments).toHaveLength(1);
    const numbers = sent.flatMap((a) => [...String(a.text).matchAll(/Câu (\d+) /g)].map((m) => Number(m[1])));
    expect(numbers).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
  });

  it('sends notices without a card', async () => {
    const to = await addressOfCitizen();
    await sender().send(to, { kind: 'escalated', text: 'Câu hỏi đã được chuyển tới cán bộ phụ trách.' });
    expect(connector.activities[0].activity.attachments).toBeUndefined();
  });

  it('reports connector 429 as retryable (with Retry-After) and 403/404 as not', async () => {
    const to = await addressOfCitizen();
    const failWith = async (status: number, retryAfterS?: number) => {
      connector.failNext(status, 10, retryAfterS);
      const err = await sender()
        .send(to, { kind: 'notice', text: 'Xin chào.' })
        .catch((e: unknown) => e);
      connector.clearFailures();
      expect(err).toBeInstanceOf(ChannelSendError);
      return err as ChannelSendError;
    };
    expect(await failWith(429)).toMatchObject({ retryable: true, code: 429, retryAfterMs: undefined });
    expect(await failWith(429, 0)).toMatchObject({ retryable: true, code: 429, retryAfterMs: 0 });
    const before = connector.requestCount;
    expect(await failWith(403)).toMatchObject({ retryable: false, code: 403 });
    expect(await failWith(404)).toMatchObject({ retryable: false, code: 404 });
    // Client errors are not retried by the SDK either: one request each.
    expect(connector.requestCount - before).toBe(2);
    expect(connector.activities).toHaveLength(0);
  });

  it('reports a connector 5xx as retryable, after the SDK retried it itself', async () => {
    const to = await addressOfCitizen();
    connector.failNext(503, 10);
    const before = connector.requestCount;
    const err = await sender()
      .send(to, { kind: 'notice', text: 'Xin chào.' })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ retryable: true, code: 503 });
    expect(connector.requestCount - before).toBeGreaterThan(1);
  });

  it('refuses an address that is not a conversation reference', async () => {
    const err = await sender()
      .send({ channel: 'botframework', userId: 'u', address: { chatId: 1 } }, { kind: 'notice', text: 'a' })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ retryable: false, code: 'bad_address' });
  });
});

describe('Bot Framework setup', () => {
  it('is not mounted without credentials unless the development flag is set, even on a loopback bind, and says why', async () => {
    for (const loopbackOnly of [true, false]) {
      const off = await startHarness(setupBotFramework, {}, { loopbackOnly });
      try {
        expect(off.handle).toBeUndefined();
        expect((await post(activity({ text: 'a' }), off.baseUrl)).status).toBe(404);
        expect(off.receiver.messages).toHaveLength(0);
        expect(off.logLines().some((l) => l.includes('"level":40') && l.includes('LOA_BOTFRAMEWORK_DEV_UNAUTHENTICATED=true'))).toBe(true);
      } finally {
        await off.close();
      }
    }
  });

  it('with the development flag and no credentials, says loudly that the endpoint is unauthenticated', () => {
    expect(h.logLines().some((l) => l.includes('"level":40') && l.includes('WITHOUT authentication'))).toBe(true);
  });

  it('with credentials, is mounted on a public bind and rejects unauthenticated requests', async () => {
    const on = await startHarness(
      setupBotFramework,
      { MicrosoftAppId: '00000000-0000-0000-0000-000000000001', MicrosoftAppPassword: 'not-a-real-secret', MicrosoftAppType: 'MultiTenant' },
      { loopbackOnly: false },
    );
    try {
      expect(on.handle).toBeDefined();
      expect((await post(activity({ text: 'a' }), on.baseUrl)).status).toBe(401);
      expect(on.receiver.messages).toHaveLength(0);
    } finally {
      await on.close();
    }
  });

  it('refuses an app id without a password', async () => {
    const off = await startHarness(setupBotFramework, { MicrosoftAppId: 'abc' }, { loopbackOnly: true });
    try {
      expect(off.handle).toBeUndefined();
    } finally {
      await off.close();
    }
  });
});
