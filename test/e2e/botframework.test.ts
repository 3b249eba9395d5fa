import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEEDBACK_BUTTONS } from '../../bots/botframework/send-message.ts';
import { startTestLoa, type TestLoa } from '../admin/harness.ts';
import { startFakeConnector, type CapturedActivity, type FakeConnector } from '../fakes/botframework-connector.ts';
import { answeredQuestion, waitFor, type AnsweredQuestion } from './support.ts';

/**
 * Bot Framework through the whole product: the real server on loopback (no Microsoft app
 * credentials, as for the Emulator), replies going to a fake connector named by the
 * activity's `serviceUrl`.
 */

let connector: FakeConnector;
let t: TestLoa;
let answered: AnsweredQuestion;

beforeAll(async () => {
  connector = await startFakeConnector();
  // No Microsoft credentials here: the Emulator-style endpoint needs the explicit development flag.
  t = await startTestLoa({ LOA_BOTFRAMEWORK_DEV_UNAUTHENTICATED: 'true' });
  answered = await answeredQuestion(t.runtime);
});

afterAll(async () => {
  await t?.stop();
  await connector?.close();
});

function activity(conversationId: string, id: string, text: string): Record<string, unknown> {
  return {
    type: 'message',
    id,
    timestamp: new Date().toISOString(),
    channelId: 'emulator',
    serviceUrl: connector.serviceUrl,
    from: { id: `user-${conversationId}`, name: 'Lan' },
    recipient: { id: 'loa-bot', name: 'Loa' },
    conversation: { id: conversationId },
    locale: 'vi-VN',
    text,
  };
}

async function postActivity(body: Record<string, unknown>): Promise<number> {
  const res = await fetch(`${t.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  await res.body?.cancel();
  return res.status;
}

const repliesIn = (conversationId: string): CapturedActivity[] => connector.activities.filter((a) => a.conversationId === conversationId);

interface HeroCard {
  text?: string;
  buttons?: { title: string; value: { fb: string; v: string } }[];
}

describe('Bot Framework end to end', () => {
  it('answers an activity on /api/messages through the connector, with the citation and a feedback card', async () => {
    expect(await postActivity(activity('conv-e2e-1', 'act-1', answered.sample.question))).toBe(200);

    const [reply] = await waitFor(() => repliesIn('conv-e2e-1').length > 0 && repliesIn('conv-e2e-1'), 'a reply on the connector');
    const a = reply.activity;
    expect(a.type).toBe('message');
    expect(a.recipient).toMatchObject({ id: 'user-conv-e2e-1' });
    expect(a.conversation).toMatchObject({ id: 'conv-e2e-1' });
    const text = String(a.text);
    expect(text).toContain(answered.result.citations[0].quote.split('\n')[0]);
    expect(text).toContain('Nguồn:');
    expect(text).toContain(`[1] ${answered.title}`);

    const card = (a.attachments as { contentType: string; content: HeroCard }[] | undefined)?.[0];
    expect(card?.contentType).toBe('application/vnd.microsoft.card.hero');
    expect(card?.content.buttons?.map((b) => b.title)).toEqual([FEEDBACK_BUTTONS.up, FEEDBACK_BUTTONS.down]);

    // Pressing 👍 on the card records feedback on that answer.
    const answerId = card?.content.buttons?.[0].value.fb as string;
    expect(await postActivity({ ...activity('conv-e2e-1', 'act-2', '👍'), value: { fb: answerId, v: 'up' } })).toBe(200);
    await waitFor(async () => (await t.runtime.storage.conversations.findByAnswerId(answerId))?.feedback === 'up', 'feedback recorded');
  });

  it('answers a redelivered activity once', async () => {
    const a = activity('conv-e2e-2', 'act-dup', answered.sample.question);
    expect(await postActivity(a)).toBe(200);
    expect(await postActivity(a)).toBe(200);
    await waitFor(() => repliesIn('conv-e2e-2').length > 0, 'the reply');
    await t.loa.core.drain();
    expect(repliesIn('conv-e2e-2')).toHaveLength(1);
  });
});
