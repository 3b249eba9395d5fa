import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BOTFRAMEWORK_MESSAGES_PATH, setupBotFramework } from '../../../bots/botframework/index.ts';
import { CLARIFY_TEXT } from '../../../bots/core/messages.ts';
import { startFakeConnector, type FakeConnector } from '../../fakes/botframework-connector.ts';
import { waitFor } from '../../e2e/support.ts';
import { PASSPORT_MORE, RETIREMENT_AGE } from '../core/support.ts';
import { startCoreHarness, type CoreHarness } from '../support/core-harness.ts';

let connector: FakeConnector;
let h: CoreHarness;
let seq = 0;

beforeEach(async () => {
  connector = await startFakeConnector();
  h = await startCoreHarness(setupBotFramework, { LOA_BOTFRAMEWORK_DEV_UNAUTHENTICATED: 'true' });
});

afterEach(async () => {
  await h.close();
  await connector.close();
});

async function post(fields: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${h.baseUrl}${BOTFRAMEWORK_MESSAGES_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      type: 'message',
      id: `act-${++seq}`,
      timestamp: new Date().toISOString(),
      channelId: 'emulator',
      serviceUrl: connector.serviceUrl,
      from: { id: 'user-1', name: 'Lan' },
      recipient: { id: 'bot-1', name: 'Loa' },
      conversation: { id: 'conv-outcomes' },
      ...fields,
    }),
  });
  await res.body?.cancel();
  expect(res.status).toBe(200);
}

interface SuggestedAction {
  type: string;
  title: string;
  text: string;
  value: { a: string };
}
const nth = (n: number) => waitFor(() => connector.activities.length >= n && connector.activities[n - 1].activity, `activity ${n}`);
const suggested = (a: Record<string, unknown>) => ((a.suggestedActions as { actions?: SuggestedAction[] } | undefined)?.actions ?? []);

describe('Bot Framework: the four outcomes as suggested actions', () => {
  it('offers clarify options as suggested actions; a postback of one answers from it', async () => {
    await post({ text: 'bao nhieu tuoi thi dc nghi huu' });
    const clarify = await nth(1);
    expect(clarify.text).toBe(CLARIFY_TEXT);
    const actions = suggested(clarify);
    expect(actions.map((a) => [a.type, a.title, a.text])).toEqual([
      ['messageBack', 'Tuổi nghỉ hưu hiện nay — Bộ luật Lao động', '1'],
      ['messageBack', 'Nghỉ hưu trước tuổi — Bộ luật Lao động', '2'],
      ['messageBack', 'Không phải — gặp cán bộ', '3'],
    ]);
    expect((clarify.suggestedActions as { to?: string[] }).to).toEqual(['user-1']);

    await post({ text: actions[0].text, value: actions[0].value });
    const answer = await nth(2);
    expect(String(answer.text)).toContain(RETIREMENT_AGE.quote.slice(0, 40));
    expect(h.answerer.answerFromCalls.map((c) => c.unitId)).toEqual([RETIREMENT_AGE.id]);
  });

  it('a channel that sends only the text ("2", imBack) is understood as well', async () => {
    await post({ text: 'bao nhieu tuoi thi dc nghi huu' });
    await nth(1);
    await post({ text: '2' });
    await nth(2);
    expect(h.answerer.answerFromCalls).toHaveLength(1);
  });

  it('"Xem thêm" is a suggested action under an answer', async () => {
    await post({ text: 'làm hộ chiếu cần gì' });
    const [more] = suggested(await nth(1));
    expect(more).toMatchObject({ title: 'Xem thêm', text: 'xem thêm' });
    await post({ text: more.text, value: more.value });
    expect(String((await nth(2)).text)).toBe(PASSPORT_MORE);
  });
});
