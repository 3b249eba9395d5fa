import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the Telegram Bot API: `POST /bot<token>/<method>` with JSON
 * bodies, answering in Telegram's shapes `{ok: true, result}` and
 * `{ok: false, error_code, description, parameters?}`.
 *
 * Like the real API it rejects empty or over-long texts, `callback_data` over 64 bytes
 * and HTML it cannot parse (unknown or unbalanced tags, a bare `<` or `&`), so tests of the
 * sender check what Telegram would check. `failNext()` injects 429/400/403/5xx answers.
 */

export interface RecordedCall {
  method: string;
  body: Record<string, unknown>;
}

export interface Failure {
  /** HTTP status and `error_code`. */
  code: number;
  description: string;
  /** For 429: seconds to wait, sent as `parameters.retry_after`. */
  retryAfter?: number;
}

export const FAILURES = {
  tooManyRequests: (retryAfter = 7): Failure => ({ code: 429, description: `Too Many Requests: retry after ${retryAfter}`, retryAfter }),
  cantParseEntities: (): Failure => ({ code: 400, description: "Bad Request: can't parse entities: Unsupported start tag \"x\" at byte offset 0" }),
  blocked: (): Failure => ({ code: 403, description: 'Forbidden: bot was blocked by the user' }),
  chatNotFound: (): Failure => ({ code: 400, description: 'Bad Request: chat not found' }),
  serverError: (): Failure => ({ code: 502, description: 'Bad Gateway' }),
};

export interface FakeTelegramApi {
  /** Give this as `TELEGRAM_API_ROOT`. */
  readonly apiRoot: string;
  readonly token: string;
  /** Every call, in order. */
  readonly calls: RecordedCall[];
  /** The bodies of calls to one method. */
  callsTo(method: string): Record<string, unknown>[];
  /** The next `times` calls to `method` fail this way. */
  failNext(method: string, failure: Failure, times?: number): void;
  /**
   * Calls to `method` from now on are recorded but not answered until the returned function
   * is called (a slow API, made deterministic: tests of concurrent work hold a send in flight).
   */
  hold(method: string): () => void;
  /** Queues an update for `getUpdates`; a waiting long poll is answered at once. */
  enqueueUpdate(update: Record<string, unknown>): void;
  /** Resolves once `getUpdates` has been called `n` times in total. */
  waitForGetUpdates(n: number): Promise<void>;
  close(): Promise<void>;
}

const ALLOWED_TAGS = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'a', 'code', 'pre', 'blockquote', 'span', 'tg-spoiler', 'tg-emoji']);

/** Telegram's HTML parse mode, strictly enough to catch what an adapter could get wrong. */
export function checkTelegramHtml(text: string): string | undefined {
  const stack: string[] = [];
  const tag = /<(\/?)([a-z-]+)([^<>]*)>|<|&(?![a-z]+;|#\d+;|#x[0-9a-f]+;)/gi;
  for (const m of text.matchAll(tag)) {
    const offset = Buffer.byteLength(text.slice(0, m.index), 'utf8');
    if (m[0] === '<') return `Bad Request: can't parse entities: Unexpected end of name token at byte offset ${offset}`;
    // Stricter than Telegram, which may tolerate some: an adapter must escape every `&`.
    if (m[0] === '&') return `Bad Request: can't parse entities: unescaped "&" at byte offset ${offset}`;
    const [, closing, name] = m;
    const lower = name.toLowerCase();
    if (!ALLOWED_TAGS.has(lower)) return `Bad Request: can't parse entities: Unsupported start tag "${lower}" at byte offset ${offset}`;
    if (closing) {
      if (stack.pop() !== lower) return `Bad Request: can't parse entities: Can't find end tag corresponding to start tag at byte offset ${offset}`;
    } else {
      stack.push(lower);
    }
  }
  return stack.length ? `Bad Request: can't parse entities: Can't find end tag corresponding to start tag "${stack.at(-1)}"` : undefined;
}

function callbackDataError(markup: unknown): string | undefined {
  if (typeof markup !== 'object' || markup === null || !('inline_keyboard' in markup) || !Array.isArray(markup.inline_keyboard)) return undefined;
  for (const row of markup.inline_keyboard as unknown[]) {
    for (const button of Array.isArray(row) ? row : []) {
      const data = typeof button === 'object' && button !== null && 'callback_data' in button ? button.callback_data : undefined;
      if (typeof data === 'string' && (data.length === 0 || Buffer.byteLength(data, 'utf8') > 64)) return 'Bad Request: BUTTON_DATA_INVALID';
    }
  }
  return undefined;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  const parsed: unknown = JSON.parse(text);
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  if (res.writableEnded || res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function fail(res: ServerResponse, failure: Failure): void {
  reply(res, failure.code, {
    ok: false,
    error_code: failure.code,
    description: failure.description,
    ...(failure.retryAfter !== undefined ? { parameters: { retry_after: failure.retryAfter } } : {}),
  });
}

/** Starts the fake on 127.0.0.1 with a random port. */
export async function startFakeTelegramApi(token = '123456:TEST-token'): Promise<FakeTelegramApi> {
  const calls: RecordedCall[] = [];
  const failures = new Map<string, Failure[]>();
  let updates: Array<Record<string, unknown>> = [];
  const waitingPolls = new Set<() => void>();
  const getUpdatesWaiters: Array<{ n: number; resolve: () => void }> = [];
  let getUpdatesCount = 0;
  let nextMessageId = 1;
  let webhook: { url: string; secret_token?: unknown } | undefined;
  const held = new Map<string, Promise<void>>();

  const pendingFrom = (offset: number) => updates.filter((u) => typeof u.update_id === 'number' && u.update_id >= offset);

  const methods: Record<string, (body: Record<string, unknown>, res: ServerResponse, req: IncomingMessage) => void> = {
    getMe: (_b, res) => reply(res, 200, { ok: true, result: { id: 123456, is_bot: true, first_name: 'Loa', username: 'loa_test_bot' } }),
    setWebhook: (body, res) => {
      webhook = { url: String(body.url), secret_token: body.secret_token };
      reply(res, 200, { ok: true, result: true, description: 'Webhook was set' });
    },
    deleteWebhook: (_b, res) => {
      webhook = undefined;
      reply(res, 200, { ok: true, result: true, description: 'Webhook was deleted' });
    },
    answerCallbackQuery: (_b, res) => reply(res, 200, { ok: true, result: true }),
    sendMessage: (body, res) => {
      const text = typeof body.text === 'string' ? body.text : '';
      if (!text.trim()) return fail(res, { code: 400, description: 'Bad Request: message text is empty' });
      if (text.length > 4096) return fail(res, { code: 400, description: 'Bad Request: message is too long' });
      const htmlError = body.parse_mode === 'HTML' ? checkTelegramHtml(text) : undefined;
      if (htmlError) return fail(res, { code: 400, description: htmlError });
      const buttonError = callbackDataError(body.reply_markup);
      if (buttonError) return fail(res, { code: 400, description: buttonError });
      const chatId = Number(body.chat_id);
      reply(res, 200, {
        ok: true,
        result: { message_id: nextMessageId++, date: Math.floor(Date.now() / 1000), chat: { id: chatId, type: 'private' }, text },
      });
    },
    getUpdates: (body, res, req) => {
      if (webhook) return fail(res, { code: 409, description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first" });
      const offset = typeof body.offset === 'number' ? body.offset : 0;
      // Updates below the offset are confirmed: Telegram forgets them.
      updates = pendingFrom(offset);
      const answer = () => {
        waitingPolls.delete(answer);
        reply(res, 200, { ok: true, result: pendingFrom(offset) });
      };
      const timeoutS = typeof body.timeout === 'number' ? body.timeout : 0;
      if (pendingFrom(offset).length > 0 || timeoutS <= 0) return answer();
      waitingPolls.add(answer);
      const timer = setTimeout(answer, timeoutS * 1000);
      req.socket.once('close', () => {
        clearTimeout(timer);
        waitingPolls.delete(answer);
      });
    },
  };

  const server = createServer((req, res) => {
    void (async () => {
      const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(req.url ?? '');
      if (req.method !== 'POST' || !match) return fail(res, { code: 404, description: 'Not Found' });
      const [, gotToken, method] = match;
      if (gotToken !== token) return fail(res, { code: 401, description: 'Unauthorized' });
      let body: Record<string, unknown>;
      try {
        body = await readJson(req);
      } catch {
        return fail(res, { code: 400, description: 'Bad Request: invalid JSON' });
      }
      calls.push({ method, body });
      await held.get(method);
      if (method === 'getUpdates') {
        getUpdatesCount += 1;
        for (const w of getUpdatesWaiters.filter((x) => getUpdatesCount >= x.n)) {
          getUpdatesWaiters.splice(getUpdatesWaiters.indexOf(w), 1);
          w.resolve();
        }
      }
      const failure = failures.get(method)?.shift();
      if (failure) return fail(res, failure);
      const handler = methods[method];
      if (!handler) return fail(res, { code: 404, description: 'Not Found: method not found' });
      handler(body, res, req);
    })();
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    apiRoot: `http://127.0.0.1:${port}`,
    token,
    calls,
    callsTo: (method) => calls.filter((c) => c.method === method).map((c) => c.body),
    failNext(method, failure, times = 1) {
      const list = failures.get(method) ?? [];
      for (let i = 0; i < times; i++) list.push(failure);
      failures.set(method, list);
    },
    hold(method) {
      let release = () => {};
      held.set(method, new Promise<void>((resolve) => (release = resolve)));
      return () => {
        held.delete(method);
        release();
      };
    },
    enqueueUpdate(update) {
      updates.push(update);
      for (const answer of [...waitingPolls]) answer();
    },
    waitForGetUpdates(n) {
      if (getUpdatesCount >= n) return Promise.resolve();
      return new Promise((resolve) => getUpdatesWaiters.push({ n, resolve }));
    },
    async close() {
      for (const answer of [...waitingPolls]) answer();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
