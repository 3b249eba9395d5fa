import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setupZalo } from '../../../bots/zalo/index.ts';
import { FakeZaloApi, signZaloEvent, zaloMessageEvent } from '../../fakes/zalo-api.ts';
import { waitFor } from '../../e2e/support.ts';
import { EARLY_RETIREMENT, PASSPORT_MORE } from '../core/support.ts';
import { startCoreHarness, type CoreHarness } from '../support/core-harness.ts';
import { APP_ID, APP_SECRET, OA_SECRET_KEY } from './harness.ts';

const USER = 'zalo-user-9';

let fake: FakeZaloApi;
let h: CoreHarness;
let seq = 0;

beforeEach(async () => {
  fake = await FakeZaloApi.start({ appId: APP_ID, appSecret: APP_SECRET, accessToken: 'access-0', refreshToken: 'refresh-0' });
  h = await startCoreHarness(setupZalo, {
    ZALO_APP_ID: APP_ID,
    ZALO_APP_SECRET: APP_SECRET,
    ZALO_OA_SECRET_KEY: OA_SECRET_KEY,
    ZALO_ACCESS_TOKEN: 'access-0',
    ZALO_REFRESH_TOKEN: 'refresh-0',
    ZALO_API_BASE: fake.url,
    ZALO_OAUTH_BASE: fake.url,
  });
});

afterEach(async () => {
  await h.close();
  await fake.close();
});

async function say(text: string): Promise<void> {
  const msgId = `zmsg-${++seq}`;
  fake.addUserMessage(msgId, USER);
  const signed = signZaloEvent(zaloMessageEvent('user_send_text', { appId: APP_ID, userId: USER, msgId, text }), APP_ID, OA_SECRET_KEY);
  const res = await fetch(`${h.baseUrl}/webhooks/zalo`, { method: 'POST', headers: signed.headers, body: signed.body });
  expect(res.status).toBe(200);
}

const nthText = (n: number) => waitFor(() => fake.sent.length >= n && fake.sent[n - 1].text, `Zalo message ${n}`);

describe('Zalo: the four outcomes as numbered text', () => {
  it('shows a clarifying question with numbered options; replying "2" answers from option 2', async () => {
    await say('bao nhieu tuoi thi dc nghi huu');
    const clarify = await nthText(1);
    expect(clarify).toBe(
      [
        'Có phải bạn hỏi về:',
        '',
        '1. Tuổi nghỉ hưu hiện nay — Bộ luật Lao động',
        '2. Nghỉ hưu trước tuổi — Bộ luật Lao động',
        '3. Không phải — gặp cán bộ',
        'Nhắn số (1, 2, 3) để chọn.',
      ].join('\n'),
    );
    await say('2');
    const answer = await nthText(2);
    expect(answer).toContain(EARLY_RETIREMENT.quote);
    expect(answer).toContain('Nguồn:');
    expect(h.answerer.answerFromCalls).toEqual([{ question: 'bao nhieu tuoi thi dc nghi huu', unitId: EARLY_RETIREMENT.id }]);
    expect((await h.stores.examples.list()).map((e) => [e.unitId, e.channel])).toEqual([[EARLY_RETIREMENT.id, 'zalo']]);
  });

  it('replying "3" (Không phải — gặp cán bộ) escalates', async () => {
    await say('bao nhieu tuoi thi dc nghi huu');
    await nthText(1);
    await say('3');
    await nthText(2);
    expect((await h.stores.escalations.list()).map((e) => e.candidates.length)).toEqual([2]);
  });

  it('offers "xem thêm" by keyword and sends the rest when typed', async () => {
    await say('làm hộ chiếu cần gì');
    expect(await nthText(1)).toContain('Gõ “xem thêm” để đọc tiếp.');
    await say('xem thêm');
    expect(await nthText(2)).toBe(PASSPORT_MORE);
  });

  it('after 👎 lists the reasons as numbers and records the one typed', async () => {
    await say('làm hộ chiếu cần gì');
    await nthText(1);
    await say('👎');
    expect(await nthText(2)).toContain('1. Sai\n2. Chưa đủ\n3. Khó hiểu');
    await say('2');
    await nthText(3);
    const [answer] = (await h.stores.conversations.recentTurns('zalo', USER, 10)).filter((t) => t.answerId);
    expect(answer).toMatchObject({ feedback: 'down', feedbackReason: 'incomplete' });
  });

  it('a decline says how to reach a person and escalates nothing', async () => {
    await say('cảm ơn');
    expect(await nthText(1)).toContain('Nhắn “gặp cán bộ” nếu bạn cần cán bộ phát ngôn hỗ trợ.');
    expect(await h.stores.escalations.list()).toEqual([]);
  });
});
