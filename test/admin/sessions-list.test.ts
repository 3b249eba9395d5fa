import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, loginAdmin, loginAs, startTestLoa, TEST_PASSWORD, type StaffClient, type TestLoa } from './harness.ts';

let t: TestLoa;
let admin: StaffClient;
beforeAll(async () => {
  t = await startTestLoa({ LOA_SAMPLE_KNOWLEDGE: 'false' });
  admin = await loginAdmin(t);
});
afterAll(async () => {
  await t?.stop();
});

interface SessionItem {
  id: string;
  current: boolean;
  lastSeenAt: string;
}

describe('my active sessions', () => {
  it('lists them and signs one out (a lost phone), audited; another user’s session cannot be touched', async () => {
    const laptop = await loginAs(t, 'spokesperson', admin);
    const phone = await login(t.url, laptop.user.email, TEST_PASSWORD);
    const list = await laptop.get<{ items: SessionItem[] }>('/me/sessions');
    expect(list.status).toBe(200);
    expect(list.body.items.filter((s) => s.current)).toHaveLength(1);
    expect(list.body.items.length).toBeGreaterThanOrEqual(2);
    const fromPhone = await phone.get<{ items: SessionItem[] }>('/me/sessions');
    const phoneId = fromPhone.body.items.find((s) => s.current)?.id as string;

    // Another user cannot see or end it.
    expect((await admin.delete(`/me/sessions/${phoneId}`)).status).toBe(404);
    expect((await phone.get('/session')).status).toBe(200);

    expect((await laptop.delete(`/me/sessions/${phoneId}`)).status).toBe(204);
    expect((await phone.get('/session')).status).toBe(401);
    expect((await laptop.get('/session')).status).toBe(200);
    const after = await laptop.get<{ items: SessionItem[] }>('/me/sessions');
    expect(after.body.items.map((s) => s.id)).not.toContain(phoneId);
    expect((await laptop.delete('/me/sessions/not-a-hash')).status).toBe(400);
    const audit = await admin.get<{ items: { action: string }[] }>(`/audit?action=auth.session_revoked&target=user:${laptop.user.id}`);
    expect(audit.body.items).toHaveLength(1);
  });
});
