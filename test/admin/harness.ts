import express from 'express';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../app/config.ts';
import { openRuntime, type Runtime } from '../../app/runtime.ts';
import { startServer, type LoaServer } from '../../app/server.ts';
import { createAdminDeps, setupAdmin, type AdminHandle, type AdminOptions } from '../../admin/index.ts';
import type { AdminDeps, AdminModule, Role, StaffUser } from '../../admin/types.ts';
import { listenLocal, type LocalServer } from '../support/listen.ts';
import { readSse } from '../support/sse.ts';
import { listWebchatMessages, openWebchatSession, postWebchatMessage, type WebchatSession } from '../support/webchat-client.ts';

/**
 * Starts the whole product for console tests: a temp `LOA_DATA_DIR`, the runtime, the
 * server on 127.0.0.1:0, and the first administrator (`TEST_ADMIN`). Other console
 * helpers reuse it (`startTestLoa`, `login`, `loginAs`, `citizenAsks`).
 */

export const TEST_ADMIN = { email: 'admin@loa.test', password: 'admin-password-123' } as const;
/** Passwords of the accounts `loginAs` creates. */
export const TEST_PASSWORD = 'staff-password-123';

export interface TestLoa {
  /** Base URL, e.g. http://127.0.0.1:40123 (the console API is under `${url}/api/admin`). */
  url: string;
  runtime: Runtime;
  loa: LoaServer;
  dataDir: string;
  /** Set only when the harness mounted the console itself (while `startServer` does not). */
  admin?: AdminHandle;
  stop(): Promise<void>;
}

export interface TestLoaOptions {
  /**
   * Console modules to mount, and hooks, when the harness mounts the console itself
   * (ignored once `startServer` mounts it).
   */
  modules?: (deps: AdminDeps) => AdminModule[];
  admin?: AdminOptions;
}

/**
 * The whole server with a fresh data dir. Pass `LOA_SAMPLE_KNOWLEDGE: 'false'` when the
 * test needs no knowledge base (loading it takes a few seconds).
 */
export async function startTestLoa(env: Record<string, string> = {}, options: TestLoaOptions = {}): Promise<TestLoa> {
  const dataDir = mkdtempSync(join(tmpdir(), 'loa-admin-'));
  const config = loadConfig({
    LOA_ADMIN_EMAIL: TEST_ADMIN.email,
    LOA_ADMIN_PASSWORD: TEST_ADMIN.password,
    // Most console tests sign the administrator in many times a minute, and a TOTP code works
    // once per 30 s. The mandatory second factor (the product's default, `admin`) has its own
    // tests (totp-enrolment.test.ts, totp.browser.test.ts), which pass LOA_REQUIRE_TOTP.
    LOA_REQUIRE_TOTP: 'none',
    ...env,
    PORT: '0',
    HOST: '127.0.0.1',
    LOA_DATA_DIR: dataDir,
    LOA_LOG_LEVEL: 'silent',
  });
  const runtime = await openRuntime(config);
  let loa: LoaServer;
  try {
    loa = await startServer(runtime);
  } catch (e) {
    await runtime.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }

  // Until app/server.ts mounts the console, put it in front of the server's app.
  const probe = await fetch(`${loa.url}/api/admin/openapi.json`);
  await probe.body?.cancel();
  let admin: AdminHandle | undefined;
  let outer: LocalServer | undefined;
  if (probe.status === 404) {
    const deps = createAdminDeps(runtime, loa.core, options.admin?.clock);
    admin = await setupAdmin(deps, options.modules?.(deps) ?? [], options.admin);
    const app = express();
    app.disable('x-powered-by');
    app.use(admin.router);
    app.use(loa.app);
    outer = await listenLocal(app);
  }

  return {
    url: outer?.url ?? loa.url,
    runtime,
    loa,
    dataDir,
    admin,
    async stop() {
      await admin?.close();
      await outer?.close();
      await loa.close();
      await runtime.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** An HTTP answer with its JSON body (undefined when there is none). */
export interface ApiResponse<T> {
  status: number;
  headers: Headers;
  body: T;
}

/** Bodies are unchecked casts: each test states the shape it expects, e.g. `get<{ total: number }>(…)`. */
type Json = unknown;

/**
 * A signed-in staff member: keeps the session cookie and sends the CSRF token on every
 * state-changing request. Paths are relative to `/api/admin` unless they start with `/api/`
 * or are absolute URLs.
 */
export class StaffClient {
  constructor(
    readonly base: string,
    public cookie: string,
    public csrfToken: string,
    readonly user: StaffUser,
  ) {}

  url(path: string): string {
    if (/^https?:/.test(path)) return path;
    return path.startsWith('/api/') ? `${this.base}${path}` : `${this.base}/api/admin${path}`;
  }

  async request<T = Json>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const res = await fetch(this.url(path), {
      method,
      headers: {
        cookie: this.cookie,
        ...(method !== 'GET' && method !== 'HEAD' ? { 'X-CSRF-Token': this.csrfToken } : {}),
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: (text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as T };
  }

  get<T = Json>(path: string, headers?: Record<string, string>) {
    return this.request<T>('GET', path, undefined, headers);
  }
  post<T = Json>(path: string, body: unknown = {}, headers?: Record<string, string>) {
    return this.request<T>('POST', path, body, headers);
  }
  patch<T = Json>(path: string, body: unknown = {}, headers?: Record<string, string>) {
    return this.request<T>('PATCH', path, body, headers);
  }
  delete<T = Json>(path: string, headers?: Record<string, string>) {
    return this.request<T>('DELETE', path, undefined, headers);
  }
}

/** The `name=value` of the session cookie a response set, if any. */
export function sessionCookieFrom(res: Response): string | undefined {
  const set = res.headers.getSetCookie().find((c) => c.startsWith('loa_session='));
  return set?.split(';')[0];
}

/** Raw `POST /api/admin/login`. */
export function postLogin(url: string, email: string, password: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${url}/api/admin/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify({ email, password }),
  });
}

/** Signs in; throws unless it worked. */
export async function login(url: string, email: string, password: string): Promise<StaffClient> {
  const res = await postLogin(url, email, password);
  if (res.status !== 200) throw new Error(`login ${email}: HTTP ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { user: StaffUser; csrfToken: string };
  const cookie = sessionCookieFrom(res);
  if (!cookie) throw new Error('login did not set the session cookie');
  return new StaffClient(url, cookie, body.csrfToken, body.user);
}

/** Signs in as the first administrator. */
export const loginAdmin = (t: Pick<TestLoa, 'url'>) => login(t.url, TEST_ADMIN.email, TEST_ADMIN.password);

let counter = 0;

/** Creates an account with `role` (through the admin API) and signs in as it. */
export async function loginAs(t: Pick<TestLoa, 'url'>, role: Role, admin?: StaffClient): Promise<StaffClient> {
  const boss = admin ?? (await loginAdmin(t));
  if (role === 'admin' && !admin) return boss;
  const email = `${role}${++counter}-${Date.now()}@loa.test`;
  const created = await boss.post('/users', { email, name: `Cán bộ ${role} ${counter}`, role, password: TEST_PASSWORD });
  if (created.status !== 201) throw new Error(`create ${role}: HTTP ${created.status} ${JSON.stringify(created.body)}`);
  // A password an administrator chose must be changed at first sign-in: keep it (the change clears the flag).
  const first = await login(t.url, email, TEST_PASSWORD);
  const changed = await first.post('/me/password', { currentPassword: TEST_PASSWORD, newPassword: TEST_PASSWORD });
  if (changed.status !== 204) throw new Error(`first password change for ${role}: HTTP ${changed.status}`);
  return login(t.url, email, TEST_PASSWORD);
}

/** A citizen on the web chat. */
export type Citizen = WebchatSession;

/** Opens a web chat session. */
export const openWebchat = openWebchatSession;

/** Sends a web chat message as the citizen. */
export async function webchatSay(url: string, citizen: Citizen, text: string): Promise<void> {
  const res = await postWebchatMessage(url, citizen, { clientMessageId: `m${++counter}`, text });
  if (res.status !== 202) throw new Error(`webchat message: HTTP ${res.status} ${await res.text()}`);
}

/** The citizen's web chat transcript. */
export const webchatTranscript = (url: string, citizen: Citizen) => listWebchatMessages(url, citizen);

/**
 * A citizen asks on the web chat to speak to an officer about `question`, which always
 * escalates (whatever the knowledge base); resolves with the citizen and the escalation id.
 */
export async function citizenAsks(t: Pick<TestLoa, 'url' | 'loa' | 'runtime'>, question: string): Promise<Citizen & { escalationId: string }> {
  const citizen = await openWebchat(t.url);
  await webchatSay(t.url, citizen, `Cho tôi gặp cán bộ: ${question}`);
  await t.loa.core.drain();
  const [escalation] = await t.runtime.storage.escalations.list({ channel: 'webchat' }).then((l) => l.filter((e) => e.recipient.userId === citizen.sessionId));
  if (!escalation) throw new Error('the message did not escalate');
  return { ...citizen, escalationId: escalation.id };
}

/** A Server-Sent Events reader on fetch (for `GET /api/admin/events`). */
export interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

export interface SseReader {
  status: number;
  events: SseEvent[];
  raw(): string;
  /** Resolves once `test` passes for an event received (or already received). */
  waitFor(test: (e: SseEvent) => boolean): Promise<SseEvent>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseReader> {
  const abort = new AbortController();
  const res = await fetch(url, { headers, signal: abort.signal });
  const events: SseEvent[] = [];
  let raw = '';
  let waiters: { test: (e: SseEvent) => boolean; resolve: (e: SseEvent) => void }[] = [];
  let markEnded: () => void = () => undefined;
  const ended = new Promise<void>((resolve) => (markEnded = resolve));
  if (res.ok && res.body) {
    void readSse(res.body, {
      block: ({ event, data }) => {
        if (!event || !data) return;
        const e: SseEvent = { event, data: JSON.parse(data) as Record<string, unknown> };
        events.push(e);
        waiters = waiters.filter((w) => (w.test(e) ? (w.resolve(e), false) : true));
      },
      chunk: (text) => {
        raw += text;
      },
    }).then(markEnded);
  } else {
    markEnded();
  }
  return {
    status: res.status,
    events,
    raw: () => raw,
    waitFor: (test) => {
      const found = events.find(test);
      if (found) return Promise.resolve(found);
      return new Promise((resolve) => waiters.push({ test, resolve }));
    },
    ended,
    close: () => abort.abort(),
  };
}
