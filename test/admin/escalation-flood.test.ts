import { afterEach, describe, expect, it } from 'vitest';
import { openWebchat, startTestLoa, webchatSay, webchatTranscript, type Citizen, type TestLoa } from './harness.ts';

let t: TestLoa | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

const escalationsOf = async (t: TestLoa, citizen: Citizen) =>
  (await t.runtime.storage.escalations.list({ channel: 'webchat' })).filter((e) => e.recipient.userId === citizen.sessionId);

describe('escalation flooding', () => {
  it('caps escalations per citizen, and tells the citizen their questions are waiting', async () => {
    t = await startTestLoa({ LOA_SAMPLE_KNOWLEDGE: 'false', LOA_ESCALATIONS_PER_CITIZEN_PER_HOUR: '3', LOA_RATE_LIMIT_PER_MINUTE: '100' });
    const citizen = await openWebchat(t.url);
    for (let i = 1; i <= 8; i++) await webchatSay(t.url, citizen, `Cho tôi gặp cán bộ: việc số ${i}`);
    await t.loa.core.drain();
    expect(await escalationsOf(t, citizen)).toHaveLength(3);
    const bot = (await webchatTranscript(t.url, citizen)).filter((m) => m.kind !== 'user').map((m) => m.text);
    expect(bot.filter((text) => text?.includes('đã được chuyển đến cán bộ'))).toHaveLength(3);
    expect(bot.filter((text) => text?.includes('Bạn đã gửi nhiều yêu cầu gặp cán bộ trong thời gian ngắn'))).toHaveLength(5);
  });

  it('caps escalations per address across many web chat sessions, in parallel', async () => {
    t = await startTestLoa({ LOA_SAMPLE_KNOWLEDGE: 'false', LOA_ESCALATIONS_PER_CITIZEN_PER_HOUR: '2', LOA_ESCALATIONS_PER_IP_PER_HOUR: '5' });
    const citizens = await Promise.all(Array.from({ length: 6 }, () => openWebchat(t!.url)));
    await Promise.all(citizens.flatMap((c, n) => [1, 2].map((i) => webchatSay(t!.url, c, `Cho tôi gặp cán bộ: phiên ${n} việc ${i}`))));
    await t.loa.core.drain();
    const all = (await t.runtime.storage.escalations.list({ channel: 'webchat' })).length;
    expect(all).toBe(5);
  });
});
