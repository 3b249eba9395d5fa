import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the Bot Framework Connector service (the `serviceUrl` of incoming
 * activities). Captures what a bot sends:
 * `POST /v3/conversations/{id}/activities/{replyToId}` (reply) and
 * `POST /v3/conversations/{id}/activities` (new message), answering `{id}` like the real
 * service. `failNext()` makes it answer an error status instead.
 */

export interface CapturedActivity {
  conversationId: string;
  replyToId?: string;
  authorization?: string;
  activity: Record<string, unknown>;
}

export interface FakeConnector {
  /** Put this in activities as `serviceUrl`. */
  readonly serviceUrl: string;
  readonly activities: CapturedActivity[];
  /** The next `times` POSTs answer `status` with a Bot Framework error body (and `Retry-After`, if given). */
  failNext(status: number, times?: number, retryAfterS?: number): void;
  /** Drops failures not used up (the SDK retries some statuses itself, others not). */
  clearFailures(): void;
  /** POSTs received, including failed ones. */
  readonly requestCount: number;
  close(): Promise<void>;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
}

/** Starts the fake on 127.0.0.1 with a random port. */
export async function startFakeConnector(): Promise<FakeConnector> {
  const activities: CapturedActivity[] = [];
  const failures: Array<{ status: number; retryAfterS?: number }> = [];
  let next = 1;
  let requestCount = 0;

  const server = createServer((req, res) => {
    void (async () => {
      const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?(?:\?.*)?$/.exec(req.url ?? '');
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) =>
        res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
      if (req.method !== 'POST' || !match) return send(404, { error: { code: 'NotFound', message: 'unknown route' } });
      let activity: Record<string, unknown>;
      try {
        activity = await readJson(req);
      } catch {
        return send(400, { error: { code: 'BadArgument', message: 'invalid JSON' } });
      }
      requestCount += 1;
      const failure = failures.shift();
      if (failure) {
        const { status, retryAfterS } = failure;
        const body = { error: { code: status === 429 ? 'Throttled' : 'ServiceError', message: `fake failure ${status}` } };
        return send(status, body, retryAfterS !== undefined ? { 'retry-after': String(retryAfterS) } : {});
      }
      activities.push({
        conversationId: decodeURIComponent(match[1]),
        ...(match[2] ? { replyToId: decodeURIComponent(match[2]) } : {}),
        ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
        activity,
      });
      send(200, { id: `activity-${next++}` });
    })();
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    serviceUrl: `http://127.0.0.1:${port}/`,
    activities,
    failNext(status, times = 1, retryAfterS) {
      for (let i = 0; i < times; i++) failures.push({ status, retryAfterS });
    },
    clearFailures() {
      failures.length = 0;
    },
    get requestCount() {
      return requestCount;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
