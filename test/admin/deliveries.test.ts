import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Recipient } from '../../bots/core/types.ts';
import { loginAdmin, startTestLoa, type TestLoa } from './harness.ts';

let t: TestLoa;
beforeAll(async () => {
  t = await startTestLoa({ LOA_SAMPLE_KNOWLEDGE: 'false' });
});
afterAll(async () => {
  await t?.stop();
});

interface DeadLetter {
  id: number;
  status: string;
  reason?: string;
  unknownOutcomes: number;
  text: string;
  channel: string;
}

/** A dead letter made the way the outbox makes them: claimed, then given up on. */
async function deadLetter(key: string, how: 'failed' | 'unknown', reason: string): Promise<number> {
  const outbox = t.runtime.storage.outbox;
  const recipient: Recipient = { channel: 'telegram', userId: `u-${key}`, address: { chatId: 1 } };
  const item = await outbox.enqueue({ key, recipient, message: { kind: 'answer', text: `Trả lời ${key}`, answerId: key } }, new Date());
  await outbox.claim(item.id, { owner: 'test', until: new Date(Date.now() + 60_000) }, new Date());
  if (how === 'failed') await outbox.markFailed(item.id, reason, new Date());
  else await outbox.markUnknown(item.id, reason, new Date());
  return item.id;
}

describe('console dead letters', () => {
  it('lists undelivered messages with their reason and the counts, newest first', async () => {
    const admin = await loginAdmin(t);
    const a = await deadLetter('dl-a', 'failed', 'telegram: 403 Forbidden: bot was blocked by the user (code 403)');
    const b = await deadLetter('dl-b', 'unknown', 'no answer from the channel within 15000 ms (code timeout)');
    const res = await admin.get<{ items: DeadLetter[]; counts: Record<string, number> }>('/deliveries/dead-letters');
    expect(res.status).toBe(200);
    expect(res.body.items.slice(0, 2).map((d) => [d.id, d.status, d.unknownOutcomes])).toEqual([[b, 'unknown', 1], [a, 'failed', 0]]);
    expect(res.body.items[1]).toMatchObject({ channel: 'telegram', text: 'Trả lời dl-a', reason: expect.stringContaining('blocked') });
    expect(res.body.counts).toMatchObject({ failed: expect.any(Number), unknown: expect.any(Number) });
    expect(res.body.counts.unknown).toBeGreaterThanOrEqual(1);
    // Bad input gets a clear error.
    expect((await admin.get('/deliveries/dead-letters?limit=0')).status).toBe(400);
  });

  it('resends the chosen dead letters, skips the rest, and audits it', async () => {
    const admin = await loginAdmin(t);
    const a = await deadLetter('dl-c', 'failed', 'HTTP 502 (gave up: the telegram delivery window closed after 40 attempts)');
    const res = await admin.post<{ resent: number[]; skipped: number[] }>('/deliveries/resend', { ids: [a, 424242] });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ resent: [a], skipped: [424242] });
    const item = await t.runtime.storage.outbox.get(a);
    expect(item?.resentAt).toBeDefined();
    expect(item?.status).not.toBe('failed');
    const audit = await t.runtime.storage.audit.list({ limit: 5, offset: 0, action: 'delivery.resend' });
    expect(audit.items[0]).toMatchObject({ actor: 'admin@loa.test', action: 'delivery.resend', target: `outbox:${a}`, details: { requested: 2, resent: [a] } });
    expect((await admin.post('/deliveries/resend', { ids: [] })).status).toBe(400);
  });
});
