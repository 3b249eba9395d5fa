/* The console's only way to talk to the server: JSON over fetch with the session cookie,
 * the CSRF token on every state-changing request, and one place that notices an expired
 * session (401) so the app can go back to the login page. */
/* global Blob */

const BASE = '/api/admin';
let csrfToken = '';
/** @type {(err: ApiError) => void} */
let onUnauthorized = () => {};

/**
 * An HTTP error with the server's `{ error: { code, message, issues?, … } }` (the one error
 * envelope of every Loa API, listed in /api/admin/openapi.json).
 */
export class ApiError extends Error {
  /**
   * @param {number} status HTTP status, 0 for a network failure
   * @param {import('./api-types').ApiErrorBody | null} error the envelope's `error`, when the server sent one
   * @param {unknown} [cause] what was received (or the network error)
   * @param {number} [retryAfterS]
   */
  constructor(status, error, cause, retryAfterS) {
    const code = error ? error.code : status === 0 ? 'network' : '';
    super((error && error.message) || code || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    /** The machine-readable code (`not_found`, `claimed_by_other` …), '' when the answer had none. */
    this.code = code;
    /** The server's own (Vietnamese) message, when it sent one. */
    this.serverMessage = (error && error.message) || '';
    /** What was wrong, for `validation_failed`. */
    this.issues = (error && error.issues) || [];
    /** The whole `error` object: some refusals carry more fields (`phrase`, `otherId`, `status`, `summary`). */
    this.details = error || undefined;
    this.body = cause;
    /** Seconds from a Retry-After header (lockouts, rate limits). */
    this.retryAfterS = retryAfterS;
  }
}

/**
 * The envelope's `error`, when `data` is one.
 * @param {unknown} data
 * @returns {import('./api-types').ApiErrorBody | null}
 */
function errorOf(data) {
  const error = data && typeof data === 'object' ? /** @type {{ error?: unknown }} */ (data).error : undefined;
  if (!error || typeof error !== 'object') return null;
  const e = /** @type {Record<string, unknown>} */ (error);
  return typeof e.code === 'string' && typeof e.message === 'string' ? /** @type {import('./api-types').ApiErrorBody} */ (e) : null;
}

/** Remembers the CSRF token given at login / session check. */
export function setCsrfToken(token) {
  csrfToken = typeof token === 'string' ? token : '';
}

/**
 * Called once when any request answers 401 (session expired or signed out elsewhere).
 * @param {(err: ApiError) => void} fn
 */
export function setUnauthorizedHandler(fn) {
  onUnauthorized = fn;
}

/** Builds `/api/admin/<path>?<query>` skipping empty query values. */
export function apiUrl(path, query) {
  const url = new URL(BASE + path, location.origin);
  for (const [k, v] of Object.entries(query || {})) {
    if (v === undefined || v === null || v === '') continue;
    url.searchParams.set(k, String(v));
  }
  return url.pathname + url.search;
}

/**
 * @typedef {object} RequestOptions
 * @property {Record<string, unknown>} [query]
 * @property {unknown} [body]
 * @property {Record<string, string>} [headers]
 * @property {boolean} [allow401] do not treat a 401 as an ended session (sign-in itself)
 */

/**
 * One request. `body` is sent as JSON unless it is a Blob/File (sent raw, for uploads).
 * Resolves with the parsed JSON (or null for 204); rejects with ApiError.
 * @param {string} method
 * @param {string} path
 * @param {RequestOptions} [options]
 * @returns {Promise<any>} typed per route by `api` below
 */
export async function request(method, path, { query, body, headers, allow401 } = {}) {
  /** @type {RequestInit & { headers: Record<string, string> }} */
  const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json', ...(headers || {}) } };
  if (method !== 'GET' && method !== 'HEAD') init.headers['X-CSRF-Token'] = csrfToken;
  if (body instanceof Blob) {
    init.body = body;
    if (!init.headers['Content-Type']) init.headers['Content-Type'] = body.type || 'application/octet-stream';
  } else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers['Content-Type'] = 'application/json';
  }
  let res;
  try {
    res = await fetch(apiUrl(path, query), init);
  } catch (err) {
    throw new ApiError(0, null, err);
  }
  let data = null;
  const type = res.headers.get('content-type') || '';
  if (res.status !== 204 && type.includes('application/json')) {
    try {
      data = await res.json();
    } catch {
      data = null;
    }
  }
  if (!res.ok) {
    const retry = Number(res.headers.get('retry-after'));
    const err = new ApiError(res.status, errorOf(data), data, Number.isFinite(retry) && retry > 0 ? retry : undefined);
    if (res.status === 401 && !allow401) onUnauthorized(err);
    throw err;
  }
  return data;
}

/**
 * The console API, typed from the route declarations (`api-types.d.ts`, generated): each
 * call resolves with what the route's OpenAPI response says, e.g. `api.get('/faqs')` with
 * `{ items, total }`. A path no route has resolves `unknown`, so using the answer fails the
 * type check (`npm run typecheck`).
 */
export const api = {
  /**
   * @template {string} P
   * @param {P} path
   * @param {Record<string, unknown>} [query]
   * @param {RequestOptions} [opts]
   * @returns {Promise<import('./api-types').ApiResult<'GET', P>>}
   */
  get: (path, query, opts) => request('GET', path, { ...opts, query }),
  /**
   * @template {string} P
   * @param {P} path
   * @param {unknown} [body]
   * @param {RequestOptions} [opts]
   * @returns {Promise<import('./api-types').ApiResult<'POST', P>>}
   */
  post: (path, body, opts) => request('POST', path, { ...opts, body: body === undefined ? {} : body }),
  /**
   * @template {string} P
   * @param {P} path
   * @param {unknown} [body]
   * @param {RequestOptions} [opts]
   * @returns {Promise<import('./api-types').ApiResult<'PATCH', P>>}
   */
  patch: (path, body, opts) => request('PATCH', path, { ...opts, body }),
  /**
   * @template {string} P
   * @param {P} path
   * @param {RequestOptions} [opts]
   * @returns {Promise<import('./api-types').ApiResult<'DELETE', P>>}
   */
  del: (path, opts) => request('DELETE', path, opts),
};

/**
 * Asks the public answering API (`POST /api/ask`) — the console uses it to look up official
 * passages an officer can cite when the escalation itself came without candidates.
 */
export async function askKnowledge(question) {
  let res;
  try {
    res = await fetch('/api/ask', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ question }),
    });
  } catch (err) {
    throw new ApiError(0, null, err);
  }
  const data = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, errorOf(data), data);
  return data;
}
