import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { currentTotp } from '../../admin/auth/totp.ts';
import { defineRoute, mountRoutes, pathsOf, type Route } from '../../http/define-route.ts';
import { jsonErrorHandler } from '../../http/errors.ts';
import { buildDocument } from '../../http/openapi.ts';
import { citizenAsks, loginAdmin, loginAs, openWebchat, postLogin, TEST_PASSWORD, type StaffClient, type TestLoa } from '../admin/harness.ts';
import { askedAndAnswered, REVIEW_DOCUMENT, uploadDocument } from '../admin/review-support.ts';
import { startLoaWithContent } from '../admin/faqs-support.ts';
import { checkEveryFetch, Conformance, type OpenApiDoc } from '../support/openapi-conformance.ts';
import { listenLocal } from '../support/listen.ts';

/**
 * Every declared route, called on a real server, answers what the OpenAPI document (generated
 * from the same declarations) says: each response of the whole test (successes and errors) is
 * checked for a declared status, content type and a body valid against the schema.
 */

let t: TestLoa;
let admin: StaffClient;
let console_: Conformance;
let publicApi: Conformance;
let checks: ReturnType<typeof checkEveryFetch>;

beforeAll(async () => {
  // Every answer is "low confidence", so the review queue has items to act on.
  t = await startLoaWithContent({ LOA_REVIEW_CONFIDENCE: '1', LOA_SAMPLE_KNOWLEDGE: 'false' });
  console_ = new Conformance((await (await fetch(`${t.url}/api/admin/openapi.json`)).json()) as OpenApiDoc);
  publicApi = new Conformance((await (await fetch(`${t.url}/api/openapi.json`)).json()) as OpenApiDoc);
  checks = checkEveryFetch([console_, publicApi]);
  admin = await loginAdmin(t);
}, 60_000);

afterAll(async () => {
  checks?.restore();
  await t?.stop();
});

const ok = <R extends { status: number; body: unknown }>(res: R, path: string): R => {
  expect(res.status, `${path}: ${JSON.stringify(res.body).slice(0, 300)}`).toBeLessThan(300);
  return res;
};

describe('every route against the OpenAPI document', () => {
  it('answers as documented, successes and errors, for every operation', async () => {
    const A = admin;
    // Accounts, sessions, TOTP.
    expect((await postLogin(t.url, A.user.email, 'sai-mat-khau')).status).toBe(401);
    ok(await A.get('/session'), '/session');
    const second = await loginAdmin(t);
    const sessions = ok(await A.get<{ items: { id: string; current: boolean }[] }>('/me/sessions'), '/me/sessions');
    ok(await A.delete(`/me/sessions/${sessions.body.items.find((s) => !s.current)?.id}`), 'DELETE /me/sessions');
    expect((await second.get('/session')).status).toBe(401);
    expect((await A.delete(`/me/sessions/${'0'.repeat(64)}`)).status).toBe(404);
    const spokesperson = await loginAs(t, 'spokesperson', A);
    const viewer = await loginAs(t, 'viewer', A);
    const { secret } = ok(await spokesperson.post<{ secret: string }>('/me/totp/setup'), 'totp/setup').body;
    expect((await spokesperson.post('/me/totp/enable', { currentPassword: TEST_PASSWORD, secret, code: '000000' })).status).toBe(400);
    ok(await spokesperson.post('/me/totp/enable', { currentPassword: TEST_PASSWORD, secret, code: currentTotp(secret, spokesperson.user.email) }), 'totp/enable');
    ok(
      await spokesperson.post('/me/totp/disable', { currentPassword: TEST_PASSWORD, code: currentTotp(secret, spokesperson.user.email, new Date(Date.now() + 30_000)) }),
      'totp/disable',
    );
    expect((await spokesperson.post('/me/password', { currentPassword: 'sai', newPassword: 'x' })).status).toBe(400);
    const users = ok(await A.get<{ items: { id: string; email: string }[] }>('/users'), '/users');
    const viewerId = users.body.items.find((u) => u.email === viewer.user.email)?.id;
    ok(await A.patch(`/users/${viewerId}`, { name: 'Người xem' }), 'PATCH /users');
    expect((await A.patch('/users/khong-co', { name: 'X' })).status).toBe(404);
    expect((await A.post('/users', { email: viewer.user.email, name: 'Trùng', role: 'viewer' })).status).toBe(409);
    expect((await A.post('/users', { email: 'khong-phai-email', name: 'X', role: 'viewer' })).status).toBe(400);
    expect((await viewer.get('/users')).status).toBe(403);
    expect((await fetch(`${t.url}/api/admin/users`)).status).toBe(401);
    const lan = await loginAs(t, 'spokesperson', A);
    const resetTarget = await loginAs(t, 'viewer', A);
    ok(await A.post(`/users/${resetTarget.user.id}/reset-password`, {}), 'reset-password');
    ok(await A.get('/audit?limit=5'), '/audit');
    expect((await A.get('/audit?limit=0')).status).toBe(400);

    // Knowledge: documents, FAQs, synonyms.
    await uploadDocument(A, 'trat-tu-do-thi.md', REVIEW_DOCUMENT);
    const docs = ok(await A.get<{ items: { id: string; source: string }[] }>('/documents'), '/documents');
    const docId = encodeURIComponent(docs.body.items.find((d) => d.source.startsWith('upload:'))?.id ?? '');
    ok(await A.get(`/documents/${docId}`), 'GET /documents/{id}');
    ok(await viewer.get('/documents/index-status'), 'index-status');
    ok(await A.patch(`/documents/${docId}/meta`, { issuer: 'UBND phường Thử Nghiệm' }), 'PATCH meta');
    ok(await A.post(`/documents/${docId}/status`, { status: 'in_force' }), 'POST status');
    expect((await A.get('/documents/khong-co')).status).toBe(404);
    const faq = ok(await spokesperson.post<{ faq: { id: string; version: number } }>('/faqs', { questions: ['Điểm trông giữ xe mở cửa lúc mấy giờ?'], answer: 'Từ 6 giờ đến 22 giờ hằng ngày.' }), 'POST /faqs');
    const faqId = faq.body.faq.id;
    ok(await A.get('/faqs'), 'GET /faqs');
    ok(await A.get(`/faqs/${faqId}`), 'GET /faqs/{id}');
    ok(await spokesperson.patch(`/faqs/${faqId}`, { answer: 'Từ 6 giờ đến 22 giờ, kể cả ngày nghỉ.', version: faq.body.faq.version }), 'PATCH /faqs');
    expect((await spokesperson.patch(`/faqs/${faqId}`, { answer: 'Cũ.', version: faq.body.faq.version })).status).toBe(409);
    expect((await viewer.get('/faqs?status=draft')).status).toBe(403);
    ok(await A.post(`/faqs/${faqId}/approve`), 'approve');
    expect((await A.post(`/faqs/${faqId}/approve`)).status).toBe(409);
    ok(await A.post(`/faqs/${faqId}/retire`), 'retire');
    const synonym = ok(await spokesperson.post<{ synonym: { id: string } }>('/synonyms', { everyday: ['gửi xe'], legal: ['trông giữ xe'] }), 'POST /synonyms');
    expect((await spokesperson.post('/synonyms', { everyday: ['gửi xe'], legal: ['giữ xe'] })).status).toBe(409);
    ok(await viewer.get('/synonyms'), 'GET /synonyms');
    ok(await spokesperson.patch(`/synonyms/${synonym.body.synonym.id}`, { everyday: ['gửi xe máy'], legal: ['trông giữ xe'] }), 'PATCH /synonyms');
    ok(await spokesperson.delete(`/synonyms/${synonym.body.synonym.id}`), 'DELETE /synonyms');
    expect((await spokesperson.delete(`/synonyms/${synonym.body.synonym.id}`)).status).toBe(404);

    // Answers to review (every answer is below the bar here), public ask.
    const citizen = await openWebchat(t.url);
    await askedAndAnswered(t, citizen, 'Điểm trông giữ xe mở cửa lúc mấy giờ?');
    await askedAndAnswered(t, citizen, 'Nộp hồ sơ đăng ký hộ kinh doanh ở đâu?');
    ok(await viewer.get('/review/counts'), '/review/counts');
    const review = ok(await lan.get<{ items: { turnId: string }[] }>('/review'), '/review');
    expect(review.body.items.length).toBeGreaterThanOrEqual(2);
    ok(await lan.post(`/review/${review.body.items[0].turnId}/reviewed`), 'reviewed');
    ok(await lan.post(`/review/${review.body.items[1].turnId}/faq-draft`), 'faq-draft');
    ok(await lan.post(`/review/${review.body.items[1].turnId}/faq-draft`), 'faq-draft again');
    expect((await lan.post('/review/khong-co/reviewed')).status).toBe(404);
    const asked = await fetch(`${t.url}/api/ask`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ question: 'Đăng ký xe ở đâu?' }) });
    expect(asked.status).toBe(200);
    expect((await fetch(`${t.url}/api/ask`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"question":' })).status).toBe(400);
    expect((await fetch(`${t.url}/api/ask`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ question: 1 }) })).status).toBe(400);

    // Escalations and deliveries.
    const live = await fetch(`${t.url}/api/admin/events`, { headers: { cookie: lan.cookie, accept: 'text/event-stream' } });
    expect(live.status).toBe(200);
    await live.body?.cancel();
    const first = await citizenAsks(t, 'thủ tục cấp phép xây dựng nhà ở riêng lẻ');
    const second_ = await citizenAsks(t, 'đền bù giải phóng mặt bằng');
    const third = await citizenAsks(t, 'tin nhắn rác');
    ok(await lan.get('/escalations?status=open'), 'GET /escalations');
    ok(await lan.get(`/escalations/${first.escalationId}`), 'GET /escalations/{id}');
    expect((await lan.get('/escalations/khong-co')).status).toBe(404);
    ok(await lan.post(`/escalations/${first.escalationId}/claim`), 'claim');
    expect((await spokesperson.post(`/escalations/${first.escalationId}/claim`)).status).toBe(409);
    ok(await A.post(`/escalations/${second_.escalationId}/assign`, { officer: lan.user.email }), 'assign');
    ok(await lan.post(`/escalations/${third.escalationId}/close`, { reason: 'spam' }), 'close');
    ok(await lan.post(`/escalations/${first.escalationId}/reply`, { text: 'Hồ sơ nộp tại bộ phận một cửa của phường.', saveAsFaq: true }), 'reply');
    // The citizen's session is gone: the delivery fails, and is retried.
    await t.runtime.storage.webchat.deleteSessionsIdleSince(new Date(Date.now() + 60_000));
    const failed = ok(await lan.post<{ delivered: boolean }>(`/escalations/${second_.escalationId}/reply`, { text: 'Theo quy định về bồi thường khi Nhà nước thu hồi đất.' }), 'reply (fails)');
    expect(failed.body.delivered).toBe(false);
    const retried = await lan.post(`/escalations/${second_.escalationId}/retry`);
    expect([200, 409]).toContain(retried.status);
    await t.loa.core.drain();
    const dead = ok(await A.get<{ items: { id: number }[] }>('/deliveries/dead-letters'), 'dead-letters');
    ok(await A.post('/deliveries/resend', { ids: dead.body.items.length ? [dead.body.items[0].id] : [1] }), 'resend');

    // Reports.
    ok(await viewer.get('/reports/summary'), 'summary');
    ok(await lan.get('/reports/topics'), 'topics');
    ok(await lan.get('/reports/export.csv'), 'export.csv');
    expect((await viewer.get('/reports/export.csv?kind=questions')).status).toBe(403);
    expect((await viewer.get('/reports/summary?from=2026-13-40')).status).toBe(400);

    // Bodies the parser refuses, on a route with a body.
    const malformed = await fetch(A.url('/synonyms'), { method: 'POST', headers: { cookie: A.cookie, 'X-CSRF-Token': A.csrfToken, 'Content-Type': 'application/json' }, body: '{"everyday":' });
    expect(malformed.status).toBe(400);
    const huge = await A.post('/synonyms', { everyday: ['x'], legal: ['y'], note: 'x'.repeat(40_000) });
    expect(huge.status).toBe(413);
    expect((await fetch(A.url('/synonyms'), { method: 'POST', headers: { cookie: A.cookie, 'Content-Type': 'application/json' }, body: '{}' })).status).toBe(403);

    ok(await A.delete(`/documents/${docId}`), 'DELETE /documents/{id}');
    ok(await spokesperson.post('/logout'), 'logout');

    await checks.settle();
    expect(console_.problems.concat(publicApi.problems)).toEqual([]);
    // Every declared operation of both documents was called, and answered a success at least once
    // (routes still on a plain router, `x-undeclared-route`, are checked whenever they are called).
    const unsuccessful = [...console_.operations().map((op) => [console_, op] as const), ...publicApi.operations().map((op) => [publicApi, op] as const)]
      .filter(([doc, op]) => ![...(doc.exercised.get(op) ?? [])].some((s) => s < 300))
      .map(([, op]) => op);
    expect(unsuccessful).toEqual([]);
  }, 240_000);
});

describe('the check itself', () => {
  it('fails when a handler answers a body that does not match its declaration', async () => {
    const routes: Route[] = [
      defineRoute({
        method: 'get',
        path: '/api/thing/{id}',
        summary: 'A thing',
        params: z.object({ id: z.string() }),
        responses: { 200: { description: 'The thing', schema: z.object({ name: z.string() }) } },
        errors: { 404: ['not_found'] },
        // A handler that drifted from its declaration (the cast hides it from the compiler, as `any` data would).
        handler: async ({ params }) => ({ status: 200, body: (params.id === 'bad' ? { name: 1, extra: true } : { name: 'ok' }) as { name: string } }),
      }),
    ];
    const app = express();
    app.use(mountRoutes(routes));
    app.use(jsonErrorHandler({ logger: { error: () => undefined } }));
    const server = await listenLocal(app);
    try {
      const doc = new Conformance(buildDocument({ title: 't', description: 'd', version: '1', serverUrl: '/', paths: pathsOf(routes) }) as unknown as OpenApiDoc);
      for (const id of ['good', 'bad']) {
        const res = await fetch(`${server.url}/api/thing/${id}`);
        doc.check('GET', `/api/thing/${id}`, res.status, res.headers.get('content-type') ?? '', await res.text());
      }
      expect(doc.problems).toHaveLength(1);
      expect(doc.problems[0]).toMatch(/GET \/api\/thing\/bad → 200: body does not match the schema/);
      // An undeclared status is a problem too.
      expect(doc.check('GET', '/api/thing/x', 418, 'application/json', '{}')[0]).toMatch(/status not declared/);
      expect(doc.check('GET', '/api/thing/x', 404, 'application/json', JSON.stringify({ error: { code: 'gone', message: 'x' } }))[0]).toMatch(/does not match/);
    } finally {
      await server.close();
    }
  });
});
