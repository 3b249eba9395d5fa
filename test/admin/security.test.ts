import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../admin/types.ts';
import {
  loginAdmin,
  loginAs,
  login,
  postLogin,
  sessionCookieFrom,
  startTestLoa,
  StaffClient,
  TEST_ADMIN,
  TEST_PASSWORD,
  type ApiResponse,
  type TestLoa,
} from './harness.ts';

let t: TestLoa;
let admin: StaffClient;
const clients = {} as Record<Role, StaffClient>;

beforeAll(async () => {
  t = await startTestLoa({ LOA_SAMPLE_KNOWLEDGE: 'false' });
  admin = await loginAdmin(t);
  // Every role signs in with TEST_PASSWORD (a second admin, so the first one's session stays untouched).
  clients.admin = await loginAs(t, 'admin', admin);
  clients.spokesperson = await loginAs(t, 'spokesperson', admin);
  clients.viewer = await loginAs(t, 'viewer', admin);
});
afterAll(async () => {
  await t?.stop();
});

/** A fresh escalation for one row of the table (so an allowed action can succeed). */
async function freshEscalation(opts: { sessionExists?: boolean } = {}): Promise<string> {
  let sessionId = `ws_missing${Math.random().toString(36).slice(2, 12)}xxxxxx`;
  if (opts.sessionExists !== false) {
    const res = await fetch(`${t.url}/webchat/api/sessions`, { method: 'POST' });
    sessionId = ((await res.json()) as { sessionId: string }).sessionId;
  }
  const e = await t.runtime.storage.escalations.create(
    { reason: 'abstained', recipient: { channel: 'webchat', userId: sessionId, address: { sessionId } }, question: 'Câu hỏi thử', context: [], candidates: [] },
    new Date(),
  );
  return e.id;
}

let unique = 0;
/** No cookie, no token. */
const anonymous = () => new StaffClient(t.url, '', '', { id: '', email: '', name: '', role: 'viewer', disabled: false, createdAt: '' });

interface Row {
  route: string;
  allowed: Role[];
  /** Runs the request as `c` (`role` undefined for anonymous). */
  run(c: StaffClient, role: Role | undefined): Promise<ApiResponse<unknown>>;
}

const ALL: Role[] = ['admin', 'spokesperson', 'viewer'];
const WORKERS: Role[] = ['admin', 'spokesperson'];

const rows: Row[] = [
  { route: 'GET /session', allowed: ALL, run: (c) => c.get('/session') },
  { route: 'POST /me/password', allowed: ALL, run: (c) => c.post('/me/password', { currentPassword: TEST_PASSWORD, newPassword: TEST_PASSWORD }) },
  { route: 'GET /users', allowed: ['admin'], run: (c) => c.get('/users') },
  {
    route: 'POST /users',
    allowed: ['admin'],
    run: (c) => c.post('/users', { email: `new${++unique}@loa.test`, name: 'Mới', role: 'viewer' }),
  },
  {
    route: 'PATCH /users/{id}',
    allowed: ['admin'],
    run: async (c) => {
      const target = await admin.post<{ user: { id: string } }>('/users', { email: `p${++unique}@loa.test`, name: 'P', role: 'viewer' });
      return c.patch(`/users/${target.body.user.id}`, { name: 'Tên mới' });
    },
  },
  {
    route: 'POST /users/{id}/reset-password',
    allowed: ['admin'],
    run: async (c) => {
      const target = await admin.post<{ user: { id: string } }>('/users', { email: `r${++unique}@loa.test`, name: 'R', role: 'viewer' });
      return c.post(`/users/${target.body.user.id}/reset-password`, {});
    },
  },
  { route: 'GET /audit', allowed: ['admin'], run: (c) => c.get('/audit') },
  { route: 'GET /me/totp', allowed: ALL, run: (c) => c.get('/me/totp') },
  { route: 'POST /citizens/preview', allowed: ['admin'], run: (c) => c.post('/citizens/preview', { channel: 'telegram', userId: 'nobody' }) },
  { route: 'POST /citizens/forget', allowed: ['admin'], run: (c) => c.post('/citizens/forget', { channel: 'telegram', userId: 'nobody', confirm: true }) },
  { route: 'GET /deliveries/dead-letters', allowed: ['admin'], run: (c) => c.get('/deliveries/dead-letters') },
  { route: 'POST /deliveries/resend', allowed: ['admin'], run: (c) => c.post('/deliveries/resend', { ids: [424242] }) },
  { route: 'GET /escalations', allowed: WORKERS, run: (c) => c.get('/escalations') },
  { route: 'GET /escalations/{id}', allowed: WORKERS, run: async (c) => c.get(`/escalations/${await freshEscalation()}`) },
  { route: 'POST /escalations/{id}/claim', allowed: WORKERS, run: async (c) => c.post(`/escalations/${await freshEscalation()}/claim`) },
  {
    route: 'POST /escalations/{id}/assign',
    allowed: ['admin'],
    run: async (c) => c.post(`/escalations/${await freshEscalation()}/assign`, { officer: clients.spokesperson.user.email }),
  },
  { route: 'POST /escalations/{id}/close', allowed: WORKERS, run: async (c) => c.post(`/escalations/${await freshEscalation()}/close`, { reason: 'spam' }) },
  { route: 'POST /escalations/{id}/reply', allowed: WORKERS, run: async (c) => c.post(`/escalations/${await freshEscalation()}/reply`, { text: 'Xin trả lời.' }) },
  {
    route: 'POST /escalations/{id}/retry',
    allowed: WORKERS,
    run: async (c, role) => {
      // Allowed roles retry their own failed reply (the web chat session does not exist).
      const id = await freshEscalation({ sessionExists: false });
      if (role && WORKERS.includes(role)) {
        const reply = await c.post<{ delivered: boolean }>(`/escalations/${id}/reply`, { text: 'Xin trả lời.' });
        expect(reply.body.delivered).toBe(false);
      }
      return c.post(`/escalations/${id}/retry`);
    },
  },
  {
    route: 'GET /events',
    allowed: ALL,
    run: async (c) => {
      const abort = new AbortController();
      const res = await fetch(c.url('/events'), { headers: { cookie: c.cookie }, signal: abort.signal });
      abort.abort();
      return { status: res.status, headers: res.headers, body: undefined };
    },
  },
  {
    route: 'POST /logout',
    allowed: ALL,
    // Its own session, so the table's clients stay signed in.
    run: async (c, role) => (role ? (await login(t.url, clients[role].user.email, TEST_PASSWORD)).post('/logout') : c.post('/logout')),
  },
];

describe('every console route checks the role', () => {
  const cases = rows.flatMap((row) =>
    ([...ALL, undefined] as (Role | undefined)[]).map((role) => ({
      ...row,
      role,
      expected: role === undefined ? '401' : row.allowed.includes(role) ? '2xx' : '403',
    })),
  );

  it.each(cases)('$route as $role → $expected', async ({ run, role, expected }) => {
    const res = await run(role ? clients[role] : anonymous(), role);
    if (expected === '2xx') {
      expect(res.status, JSON.stringify(res.body)).toBeGreaterThanOrEqual(200);
      expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
    } else {
      expect(res.status).toBe(Number(expected));
    }
  });

  it('the OpenAPI document is public and describes every route in the table', async () => {
    const res = await fetch(`${t.url}/api/admin/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, { security: unknown[] }>>; components: { securitySchemes: Record<string, { in: string; name: string }> } };
    expect(doc.openapi).toBe('3.1.0');
    for (const row of rows) {
      const [method, path] = row.route.split(' ');
      expect(doc.paths[path]?.[method.toLowerCase()], row.route).toBeDefined();
    }
    expect(doc.components.securitySchemes.session).toMatchObject({ in: 'cookie', name: 'loa_session' });
    expect(doc.components.securitySchemes.csrf).toMatchObject({ in: 'header', name: 'X-CSRF-Token' });
    expect(doc.paths['/users'].post.security).toEqual([{ session: [], csrf: [] }]);
    expect(doc.paths['/login'].post.security).toEqual([]);
  });
});

describe('CSRF', () => {
  it('refuses a state-changing request with a missing or wrong token, and it has no effect', async () => {
    const email = `csrf${++unique}@loa.test`;
    const missing = await fetch(admin.url('/users'), {
      method: 'POST',
      headers: { cookie: admin.cookie, 'Content-Type': 'application/json' },
      body: JSON.stringify({ email, name: 'X', role: 'viewer' }),
    });
    expect(missing.status).toBe(403);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('csrf');
    const wrong = await admin.post('/users', { email, name: 'X', role: 'viewer' }, { 'X-CSRF-Token': clients.admin.csrfToken });
    expect(wrong.status).toBe(403);
    expect(await t.runtime.storage.users.getByEmail(email)).toBeUndefined();
    // The right token works.
    expect((await admin.post('/users', { email, name: 'X', role: 'viewer' })).status).toBe(201);
  });

  it('does not need a token for reads', async () => {
    expect((await admin.get('/users', { 'X-CSRF-Token': '' })).status).toBe(200);
  });
});

describe('sessions', () => {
  it('sets an HTTP-only, SameSite=Strict cookie scoped to the API, not Secure over plain HTTP', async () => {
    const res = await postLogin(t.url, TEST_ADMIN.email, TEST_ADMIN.password);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('loa_session='));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\/api\/admin/);
    expect(cookie).not.toMatch(/Secure/);
  });

  it('issues a new session id at login: a session id planted before login is not the one after', async () => {
    const planted = 'loa_session=' + 'A'.repeat(43);
    const res = await postLogin(t.url, TEST_ADMIN.email, TEST_ADMIN.password, { cookie: planted });
    const issued = sessionCookieFrom(res);
    expect(issued).toBeDefined();
    expect(issued).not.toBe(planted);
    const withPlanted = new StaffClient(t.url, planted, '', admin.user);
    expect((await withPlanted.get('/session')).status).toBe(401);

    // Logging in again from a signed-in browser replaces (and ends) its old session.
    const first = await login(t.url, TEST_ADMIN.email, TEST_ADMIN.password);
    const again = await postLogin(t.url, TEST_ADMIN.email, TEST_ADMIN.password, { cookie: first.cookie });
    const second = sessionCookieFrom(again);
    expect(second).not.toBe(first.cookie);
    expect((await first.get('/session')).status).toBe(401);
    expect((await new StaffClient(t.url, second as string, '', admin.user).get('/session')).status).toBe(200);
  });

  it('logout ends the session on the server and clears the cookie', async () => {
    const c = await login(t.url, TEST_ADMIN.email, TEST_ADMIN.password);
    const out = await c.post('/logout');
    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie().join()).toMatch(/loa_session=;.*Max-Age=0/);
    expect((await c.get('/session')).status).toBe(401);
    expect((await c.get('/users')).status).toBe(401);
  });

  it('returns a CSRF token per session', async () => {
    const a = await login(t.url, TEST_ADMIN.email, TEST_ADMIN.password);
    const b = await login(t.url, TEST_ADMIN.email, TEST_ADMIN.password);
    expect(a.csrfToken).not.toBe(b.csrfToken);
    const session = await a.get<{ csrfToken: string; user: { email: string } }>('/session');
    expect(session.body).toMatchObject({ csrfToken: a.csrfToken, user: { email: TEST_ADMIN.email } });
    // One session's token does not work with another session.
    expect((await a.post('/users', { email: `x${++unique}@loa.test`, name: 'X', role: 'viewer' }, { 'X-CSRF-Token': b.csrfToken })).status).toBe(403);
  });

  it('disabling an account signs it out at once', async () => {
    const victim = await loginAs(t, 'spokesperson', admin);
    expect((await victim.get('/escalations')).status).toBe(200);
    expect((await admin.patch(`/users/${victim.user.id}`, { disabled: true })).status).toBe(200);
    expect((await victim.get('/escalations')).status).toBe(401);
    const res = await postLogin(t.url, victim.user.email, TEST_PASSWORD);
    expect(res.status).toBe(401);
  });
});

describe('passwords', () => {
  it('are stored as scrypt strings, never in clear, in the database files', async () => {
    const creds = await t.runtime.storage.users.credentials(clients.spokesperson.user.email);
    expect(creds?.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$/);
    for (const file of ['loa.sqlite', 'loa.sqlite-wal']) {
      const path = join(t.dataDir, file);
      if (!existsSync(path)) continue;
      const bytes = readFileSync(path);
      expect(bytes.includes(Buffer.from(TEST_PASSWORD)), file).toBe(false);
      expect(bytes.includes(Buffer.from(TEST_ADMIN.password)), file).toBe(false);
    }
  });

  it('are at least 10 characters', async () => {
    const res = await admin.post('/users', { email: `short${++unique}@loa.test`, name: 'S', role: 'viewer', password: 'ngan123' });
    expect(res.status).toBe(400);
  });
});

describe('headers', () => {
  it('API answers are not cached', async () => {
    expect((await admin.get('/session')).headers.get('cache-control')).toBe('no-store');
    expect((await admin.get('/nope')).status).toBe(404);
    expect((await fetch(`${t.url}/api/admin/session`)).headers.get('cache-control')).toBe('no-store');
  });

  it('the console page has a strict CSP without inline scripts', async () => {
    const res = await fetch(`${t.url}/admin/`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    // Client-side routes get the page too; /admin redirects to /admin/.
    const deep = await fetch(`${t.url}/admin/escalations/abc`);
    expect(deep.headers.get('content-security-policy')).toBe(csp);
    const bare = await fetch(`${t.url}/admin`, { redirect: 'manual' });
    expect(bare.status).toBe(301);
    expect(bare.headers.get('location')).toBe('/admin/');
    expect((await fetch(`${t.url}/admin/missing-file.js`)).status).toBe(404);
  });
});
