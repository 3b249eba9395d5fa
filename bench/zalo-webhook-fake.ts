import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { ESCALATED_TEXT, RATE_LIMITED_TEXT } from '../bots/core/messages.ts';

/**
 * A lean stand-in for the Zalo OA Open API for the webhook benchmark. It speaks the same
 * wire format as `test/fakes/zalo-api.ts` (`POST /v3.0/oa/message/cs` with the
 * `access_token` header, `POST /v4/oa/access_token`), but records only what the benchmark
 * needs: when the reply to each citizen message arrived. The test fake keeps every request
 * with its headers, which would cost memory and CPU on the machine under test.
 */

export const BENCH_MESSAGE_PATH = '/v3.0/oa/message/cs';
export const BENCH_TOKEN_PATH = '/v4/oa/access_token';

/** Epoch milliseconds with sub-millisecond precision (comparable across processes). */
export const epochMs = (): number => performance.timeOrigin + performance.now();

/** The kind of reply, read from its text, for the benchmark's breakdown. */
export type ReplyKind = 'answer' | 'escalated' | 'rate_limited' | 'other';

export interface Arrival {
  /** `recipient.message_id` (the citizen's msg_id) or `user:<user_id>`. */
  key: string;
  at: number;
  kind: ReplyKind;
  /** The text's length and first characters: the same part of the same reply arriving again is a duplicate. */
  part: string;
}

/**
 * How the fake answers message requests now: normally, with HTTP 503 (nothing delivered),
 * or not at all (`hang`: nothing delivered; `hang-after`: delivered, never answered).
 */
export type BenchFakeMode = 'ok' | '503' | 'hang' | 'hang-after';

export interface BenchZaloFakeOptions {
  appId: string;
  appSecret: string;
  accessToken: string;
  /** Every message request is answered this much later (default 0). */
  latencyMs?: number;
}

export interface BenchZaloFake {
  url: string;
  /** Replies accepted, in arrival order. */
  readonly arrivals: Arrival[];
  /** Requests refused (bad token, malformed), for the report. */
  readonly refused: number;
  /** Message requests answered with 503 or left hanging. */
  readonly faulted: number;
  mode: BenchFakeMode;
  close(): Promise<void>;
}

function kindOf(text: string): ReplyKind {
  if (text.includes('Nguồn:')) return 'answer';
  if (text.includes(ESCALATED_TEXT)) return 'escalated';
  if (text.includes(RATE_LIMITED_TEXT)) return 'rate_limited';
  return 'other';
}

function send(res: ServerResponse, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) }).end(json);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

interface SendBody {
  recipient?: { message_id?: unknown; user_id?: unknown };
  message?: { text?: unknown };
}

/** Starts the fake on 127.0.0.1 and a free port. Tokens never expire here. */
export async function startBenchZaloFake(opts: BenchZaloFakeOptions): Promise<BenchZaloFake> {
  const arrivals: Arrival[] = [];
  let refused = 0;
  let faulted = 0;
  let seq = 0;
  const state = { mode: 'ok' as BenchFakeMode };
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const at = epochMs();
      const path = (req.url ?? '/').split('?')[0];
      if (req.method === 'POST' && path === BENCH_MESSAGE_PATH) {
        if (opts.latencyMs) await new Promise((r) => setTimeout(r, opts.latencyMs));
        const mode = state.mode;
        if (mode === '503') {
          faulted += 1;
          return void res.writeHead(503, { 'content-type': 'text/html' }).end('<html>upstream error</html>');
        }
        if (mode === 'hang') {
          faulted += 1;
          return; // never answered; the client times out
        }
        let parsed: SendBody | undefined;
        try {
          parsed = JSON.parse(body) as SendBody;
        } catch {
          parsed = undefined;
        }
        const messageId = parsed?.recipient?.message_id;
        const userId = parsed?.recipient?.user_id;
        const text = parsed?.message?.text;
        if (req.headers.access_token !== opts.accessToken) {
          refused += 1;
          return send(res, { error: -216, message: 'Access token is invalid' });
        }
        if ((typeof messageId !== 'string' && typeof userId !== 'string') || typeof text !== 'string' || text.length > 2000) {
          refused += 1;
          return send(res, { error: -201, message: 'Invalid parameter' });
        }
        const key = typeof messageId === 'string' ? messageId : `user:${String(userId)}`;
        arrivals.push({ key, at, kind: kindOf(text), part: `${text.length}:${text.slice(0, 40)}` });
        if (mode === 'hang-after') {
          faulted += 1;
          return;
        }
        return send(res, { error: 0, message: 'Success', data: { message_id: `zmsg-${++seq}`, quota: { quota_type: 'reply', remain: '7', total: '8' } } });
      }
      if (req.method === 'POST' && path === BENCH_TOKEN_PATH) {
        // The benchmark's token stays valid; answer a refresh with the same pair shape anyway.
        return send(res, { access_token: opts.accessToken, refresh_token: 'bench-refresh', expires_in: '90000' });
      }
      res.writeHead(404).end();
    })();
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    arrivals,
    get refused() {
      return refused;
    },
    get faulted() {
      return faulted;
    },
    get mode() {
      return state.mode;
    },
    set mode(m: BenchFakeMode) {
      state.mode = m;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
