import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../storage/audit-store.ts';
import { loginAdmin, loginAs, openWebchat, startTestLoa, webchatSay, webchatTranscript, type StaffClient, type TestLoa } from './harness.ts';

/**
 * Announcements through the console API on the whole server: a web chat visitor subscribes
 * by typing, an officer composes, the author cannot approve, a second person does, the
 * server queues it to the outbox and the visitor finds it in the transcript; all audited.
 */

let t: TestLoa;
let admin: StaffClient;
let spokesperson: StaffClient;
let viewer: StaffClient;

beforeAll(async () => {
  t = await startTestLoa({ LOA_SAMPLE_KNOWLEDGE: 'false' });
  admin = await loginAdmin(t);
  spokesperson = await loginAs(t, 'spokesperson', admin);
  viewer = await loginAs(t, 'viewer', admin);
}, 60_000);
afterAll(async () => {
  await t?.stop();
});

interface Plan { targeted: number; channels: Record<string, { send: number; routes: Record<string, number> }> }

describe('announcements in the console', () => {
  it('compose → plan → four-eyes approval → queued through the outbox → shown to the web chat visitor; audited; CSV', async () => {
    expect((await viewer.post('/topics', { id: 'bhxh', label: 'bảo hiểm xã hội' })).status).toBe(403);
    expect((await admin.post('/topics', { id: 'BHXH!', label: 'x' })).status).toBe(400);
    expect((await admin.post('/topics', { id: 'bhxh', label: 'bảo hiểm xã hội', keywords: ['bhxh'] })).status).toBe(201);

    const citizen = await openWebchat(t.url);
    await webchatSay(t.url, citizen, 'đăng ký nhận tin bảo hiểm xã hội');
    await t.loa.core.drain();
    const texts = async () => (await webchatTranscript(t.url, citizen)).map((m) => m.text);
    expect((await texts()).at(-1)).toContain('Đã đăng ký nhận tin về "bảo hiểm xã hội"');

    expect((await spokesperson.post('/announcements', { topicId: 'bhxh', text: '' })).status).toBe(400);
    expect((await spokesperson.post('/announcements', { topicId: 'khong-co', text: 'x' })).status).toBe(400);
    const created = await spokesperson.post<{ announcement: { id: string; status: string }; plan: Plan }>('/announcements', {
      topicId: 'bhxh',
      text: 'Từ 1/7 tăng lương hưu 15%.',
      link: 'https://vbpl.vn/van-ban/1',
    });
    expect(created.status).toBe(201);
    expect(created.body.plan).toMatchObject({ targeted: 1, channels: { webchat: { send: 1, routes: { webchat_next_visit: 1 } } } });
    const id = created.body.announcement.id;

    const own = await spokesperson.post<{ error: { code: string } }>(`/announcements/${id}/approve`);
    expect(own.status).toBe(409);
    expect(own.body.error.code).toBe('own_announcement');
    expect((await admin.post(`/announcements/${id}/approve`)).status).toBe(200);
    expect((await admin.post(`/announcements/${id}/approve`)).status).toBe(409);

    // The server queues due announcements every few seconds; the visitor reads it at the next visit.
    for (let i = 0; i < 100 && !(await texts()).some((x) => x.includes('tăng lương hưu')); i++) await new Promise((r) => setTimeout(r, 100));
    expect((await texts()).some((x) => x.includes('tăng lương hưu') && x.includes('https://vbpl.vn/van-ban/1'))).toBe(true);
    await t.loa.core.drain();

    const detail = await viewer.get<{ announcement: { status: string }; stats: { sent: number } }>(`/announcements/${id}`);
    expect(detail.body.announcement.status).toBe('queued');
    expect(detail.body.stats.sent).toBe(1);
    const csv = await viewer.get<string>(`/announcements/${id}/deliveries.csv`);
    expect(csv.body).toContain(`webchat,${citizen.sessionId},sent,webchat_next_visit`);
    const audit = await admin.get<{ items: AuditEntry[] }>(`/audit?target=${encodeURIComponent(`announcement:${id}`)}`);
    expect(audit.body.items.map((e) => e.action).reverse()).toEqual(['announcement.create', 'announcement.approve', 'announcement.queue']);
  }, 30_000);

  it('claims: a rumour from the web chat is grouped; verdict by one, approval by another; the next similar message gets it', async () => {
    const first = await openWebchat(t.url);
    await webchatSay(t.url, first, 'Nghe nói từ 1/1/2026 bỏ sổ hộ khẩu giấy có thật không');
    await t.loa.core.drain();
    expect((await webchatTranscript(t.url, first)).at(-1)?.text).toContain('đã chuyển tới cơ quan');
    const claims = await viewer.get<{ items: { id: string; reports: number; status: string }[] }>('/claims');
    const claim = claims.body.items[0];
    expect(claim).toMatchObject({ reports: 1, status: 'open' });
    const verdict = { verdict: 'gay_hieu_lam', sourceTitle: 'Luật Cư trú 2020, Điều 38 khoản 3', note: 'Sổ hộ khẩu giấy đã hết giá trị từ 1/1/2023.' };
    expect((await viewer.post(`/claims/${claim?.id}/verdict`, verdict)).status).toBe(403);
    expect((await spokesperson.post(`/claims/${claim?.id}/verdict`, { ...verdict, verdict: 'maybe' })).status).toBe(400);
    expect((await spokesperson.post(`/claims/${claim?.id}/verdict`, verdict)).status).toBe(200);
    expect((await spokesperson.post(`/claims/${claim?.id}/approve`)).status).toBe(409);
    expect((await admin.post(`/claims/${claim?.id}/approve`)).status).toBe(200);

    const second = await openWebchat(t.url);
    await webchatSay(t.url, second, 'Có phải từ 1/1/2026 bỏ sổ hộ khẩu không?');
    await t.loa.core.drain();
    const reply = (await webchatTranscript(t.url, second)).at(-1)?.text ?? '';
    expect(reply).toContain('Kết luận: Gây hiểu lầm');
    expect(reply).toContain('Luật Cư trú 2020, Điều 38 khoản 3');
    const after = await viewer.get<{ items: { id: string; reports: number }[] }>('/claims');
    expect(after.body.items.find((c) => c.id === claim?.id)?.reports).toBe(2);
  }, 30_000);
});
