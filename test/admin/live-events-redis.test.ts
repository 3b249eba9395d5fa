import { afterEach, describe, expect, it } from 'vitest';
import { createTempSchema, TEST_REDIS_URL, usePostgres, useRedis, type TempSchema } from '../support/services.ts';
import { citizenAsks, loginAdmin, openSse, startTestLoa, type TestLoa } from './harness.ts';

const available = (await usePostgres()) && (await useRedis());

describe.runIf(available)('console live events across instances (Redis)', () => {
  const instances: TestLoa[] = [];
  let schema: TempSchema | undefined;
  afterEach(async () => {
    for (const i of instances.splice(0)) await i.stop();
    await schema?.drop();
    schema = undefined;
  });

  it("an escalation arriving on instance B reaches instance A's stream, and A's claim reaches B's", async () => {
    schema = await createTempSchema();
    const env = { LOA_SAMPLE_KNOWLEDGE: 'false', DATABASE_URL: schema.url, REDIS_URL: TEST_REDIS_URL };
    const a = await startTestLoa(env);
    instances.push(a);
    const b = await startTestLoa(env);
    instances.push(b);
    const officerA = await loginAdmin(a);
    const officerB = await loginAdmin(b);
    const streamA = await openSse(officerA.url('/events'), { cookie: officerA.cookie });
    const streamB = await openSse(officerB.url('/events'), { cookie: officerB.cookie });
    try {
      const { escalationId: id } = await citizenAsks(b, 'hỏi về cấp lại căn cước');
      const created = await streamA.waitFor((e) => e.event === 'escalation.created' && e.data.id === id);
      expect(created.data).toMatchObject({ status: 'open', channel: 'webchat', question: expect.stringContaining('căn cước') });

      expect((await officerA.post(`/escalations/${id}/claim`)).status).toBe(200);
      const claimed = await streamB.waitFor((e) => e.event === 'escalation.updated' && e.data.id === id);
      expect(claimed.data).toMatchObject({ status: 'claimed', assignee: officerA.user.email });
      // Each stream got the event once (its own instance's, or the other's through Redis).
      expect(streamA.events.filter((e) => e.event === 'escalation.created' && e.data.id === id)).toHaveLength(1);
      expect(streamB.events.filter((e) => e.event === 'escalation.created' && e.data.id === id)).toHaveLength(1);
    } finally {
      streamA.close();
      streamB.close();
    }
  }, 60_000);
});
