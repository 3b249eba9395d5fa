import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local fake of the Zalo OA Open API (`/v3.0/oa/message/cs`) and OAuth server
 * (`/v4/oa/access_token`) speaking the wire format in /work/shared/CHANNELS.md. It issues
 * rotating token pairs (single-use refresh tokens), records every request, and can be told
 * to expire the token, answer a Zalo error code, answer 5xx or hang.
 */

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface SentMessage {
  recipient: { user_id?: string; message_id?: string; anonymous_id?: string; conversation_id?: string };
  text: string;
  messageId: string;
  accessToken: string;
}

/** A scripted answer for the next message request ('ok': answer normally). */
export type FakeBehaviour = 'ok' | 'hang' | { error: number; message?: string } | { status: number; headers?: Record<string, string> };

/**
 * Random trouble on message requests, as rates between 0 and 1: a 5xx answer (nothing
 * delivered), a hang before delivering (nothing delivered, no answer), a hang after
 * delivering (the citizen got it, Loa never hears so: an unknown outcome).
 */
export interface FakeZaloFaults {
  error5xx?: number;
  hangBefore?: number;
  hangAfter?: number;
}

export interface FakeZaloOptions {
  /** Each message request is answered after a delay drawn between these (ms); default none. */
  latencyMs?: [number, number];
  faults?: FakeZaloFaults;
  /** Random source for latency and faults (tests pass a seeded one). */
  random?: () => number;
  appId?: string;
  appSecret?: string;
  accessToken?: string;
  refreshToken?: string;
  /** Refuse message calls without a correct `appsecret_proof` header (the app setting). */
  requireAppsecretProof?: boolean;
}

export const MESSAGE_PATH = '/v3.0/oa/message/cs';
export const TOKEN_PATH = '/v4/oa/access_token';

export class FakeZaloApi {
  readonly appId: string;
  readonly appSecret: string;
  /** Valid access token (refused with -216 once `expireToken()` is called). */
  accessToken: string;
  /** The only refresh token the OAuth endpoint accepts (single-use). */
  refreshToken: string;
  readonly requests: RecordedRequest[] = [];
  readonly sent: SentMessage[] = [];
  /** Successful refreshes. */
  refreshCount = 0;
  /** What the random faults did, per recipient message id (or user id). */
  readonly faultLog: { key: string; fault: keyof FakeZaloFaults }[] = [];
  latencyMs: [number, number] | undefined;
  faults: FakeZaloFaults;
  private readonly random: () => number;
  url = '';

  private server: Server;
  private tokenExpired = false;
  private generation = 0;
  private messageSeq = 0;
  private readonly script: FakeBehaviour[] = [];
  private readonly userMessages = new Map<string, string>();
  private readonly anonymousConversations = new Map<string, string>();
  private readonly lastInteraction = new Map<string, number>();
  private readonly requireAppsecretProof: boolean;
  private refreshGate: Promise<void> | undefined;
  private readonly waiters: Array<() => void> = [];

  private constructor(options: FakeZaloOptions) {
    this.appId = options.appId ?? 'app-123';
    this.appSecret = options.appSecret ?? 'app-secret';
    this.accessToken = options.accessToken ?? 'access-0';
    this.refreshToken = options.refreshToken ?? 'refresh-0';
    this.requireAppsecretProof = options.requireAppsecretProof ?? false;
    this.latencyMs = options.latencyMs;
    this.faults = options.faults ?? {};
    this.random = options.random ?? Math.random;
    this.server = createServer((req, res) => {
      void this.handle(req, res);
    });
  }

  /** Starts the fake on 127.0.0.1 and a free port. */
  static async start(options: FakeZaloOptions = {}): Promise<FakeZaloApi> {
    const fake = new FakeZaloApi(options);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The current access token stops working until a refresh issues a new one. */
  expireToken(): void {
    this.tokenExpired = true;
  }

  /** Scripts the answers to the next message requests, in order. */
  failNext(...behaviours: FakeBehaviour[]): void {
    this.script.push(...behaviours);
  }

  /**
   * A message the user sent to the OA. Like Zalo, the fake accepts a reply only to a message
   * it knows (any other message_id gets -201 "message_id is invalid").
   */
  addUserMessage(msgId: string, userId: string): void {
    this.userMessages.set(msgId, userId);
  }

  /**
   * When the user last interacted with the OA (epoch ms). Like Zalo, a message to a user whose
   * last interaction is more than 7 days old is refused with -230; users never set are not checked.
   */
  setLastInteraction(userId: string, atMs: number): void {
    this.lastInteraction.set(userId, atMs);
  }

  /** A non-follower's OA chat widget conversation (answered by anonymous_id + conversation_id). */
  addAnonymousConversation(anonymousId: string, conversationId: string): void {
    this.anonymousConversations.set(anonymousId, conversationId);
  }

  /** Holds token refreshes until the returned function is called. */
  holdRefreshes(): () => void {
    let release!: () => void;
    this.refreshGate = new Promise<void>((resolve) => {
      release = resolve;
    });
    return () => {
      this.refreshGate = undefined;
      release();
    };
  }

  requestsTo(path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  /** Resolves once `path` has received at least `count` requests. */
  async waitForRequests(path: string, count: number): Promise<void> {
    while (this.requestsTo(path).length < count) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const recorded = { method: req.method ?? '', path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
    this.requests.push(recorded);
    this.waiters.splice(0).forEach((wake) => wake());

    if (req.method === 'POST' && path === MESSAGE_PATH) {
      if (this.latencyMs) {
        const [min, max] = this.latencyMs;
        await new Promise((r) => setTimeout(r, min + (max - min) * this.random()));
      }
      return this.handleMessage(recorded, res);
    }
    if (req.method === 'POST' && path === TOKEN_PATH) return this.handleRefresh(recorded, res);
    send(res, 404, { error: 404, message: 'not found' });
  }

  /** Draws one of the random faults for a message request (undefined: none). */
  private drawFault(): keyof FakeZaloFaults | undefined {
    const r = this.random();
    const { error5xx = 0, hangBefore = 0, hangAfter = 0 } = this.faults;
    if (r < error5xx) return 'error5xx';
    if (r < error5xx + hangBefore) return 'hangBefore';
    if (r < error5xx + hangBefore + hangAfter) return 'hangAfter';
    return undefined;
  }

  private handleMessage(req: RecordedRequest, res: ServerResponse): void {
    const fault = this.drawFault();
    if (fault) {
      const body = parseJson(req.body);
      const recipient = isRecord(body) && isRecord(body.recipient) ? body.recipient : {};
      this.faultLog.push({ key: String(recipient.message_id ?? recipient.user_id ?? ''), fault });
      if (fault === 'error5xx') return void res.writeHead(503, { 'content-type': 'text/html' }).end('<html>upstream error</html>');
      if (fault === 'hangBefore') return;
      return this.deliver(req, res, false);
    }
    const next = this.script.shift();
    const scripted = next === 'ok' ? undefined : next;
    if (scripted === 'hang') return; // never answered; close() drops the socket
    if (scripted && 'status' in scripted) {
      res.writeHead(scripted.status, { 'content-type': 'text/html', ...scripted.headers }).end('<html>upstream error</html>');
      return;
    }
    if (scripted) {
      if (header(req, 'access_token') !== this.accessToken || this.tokenExpired) return send(res, 200, { error: -216, message: 'Access token is invalid' });
      return send(res, 200, { error: scripted.error, message: scripted.message ?? `error ${scripted.error}` });
    }
    this.deliver(req, res, true);
  }

  /** Records the message as delivered; answers unless `answer` is false (a hang after delivering). */
  private deliver(req: RecordedRequest, res: ServerResponse, answer: boolean): void {
    const token = header(req, 'access_token');
    if (token !== this.accessToken || this.tokenExpired) {
      return send(res, 200, { error: -216, message: 'Access token is invalid' });
    }
    if (this.requireAppsecretProof) {
      const expected = createHmac('sha256', this.appSecret).update(token).digest('hex');
      if (header(req, 'appsecret_proof') !== expected) return send(res, 200, { error: -124, message: 'appsecret_proof is invalid' });
    }

    const body = parseJson(req.body);
    const recipient = isRecord(body) && isRecord(body.recipient) ? body.recipient : undefined;
    const message = isRecord(body) && isRecord(body.message) ? body.message : undefined;
    const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
    const userId = str(recipient?.user_id);
    const messageId = str(recipient?.message_id);
    const anonymousId = str(recipient?.anonymous_id);
    const conversationId = str(recipient?.conversation_id);
    const text = typeof message?.text === 'string' ? message.text : undefined;
    if ((!userId && !messageId && !anonymousId) || !text || text.length > 2000) {
      return send(res, 200, { error: -201, message: 'Invalid parameter' });
    }
    if (messageId !== undefined && !this.userMessages.has(messageId)) {
      return send(res, 200, { error: -201, message: 'message_id is invalid' });
    }
    if (anonymousId !== undefined && (!conversationId || this.anonymousConversations.get(anonymousId) !== conversationId)) {
      return send(res, 200, { error: -201, message: 'conversation_id is invalid' });
    }
    const target = userId ?? (messageId ? this.userMessages.get(messageId) : undefined);
    const last = target === undefined ? undefined : this.lastInteraction.get(target);
    if (last !== undefined && Date.now() - last > 7 * 24 * 3_600_000) {
      return send(res, 200, { error: -230, message: 'User has not interacted with the OA in the last 7 days' });
    }
    const id = `zmsg-${++this.messageSeq}`;
    this.sent.push({
      recipient: {
        ...(userId ? { user_id: userId } : {}),
        ...(messageId ? { message_id: messageId } : {}),
        ...(anonymousId ? { anonymous_id: anonymousId, conversation_id: conversationId } : {}),
      },
      text,
      messageId: id,
      accessToken: token,
    });
    if (!answer) return;
    const toUser = userId ?? (messageId ? this.userMessages.get(messageId) : undefined);
    send(res, 200, {
      error: 0,
      message: 'Success',
      data: { message_id: id, ...(toUser ? { user_id: toUser } : {}), quota: { quota_type: messageId ? 'reply' : 'proactive', remain: '7', total: '8' } },
    });
  }

  private async handleRefresh(req: RecordedRequest, res: ServerResponse): Promise<void> {
    if (this.refreshGate) await this.refreshGate;
    const form = new URLSearchParams(req.body);
    if (header(req, 'secret_key') !== this.appSecret) {
      return send(res, 200, { error: -14002, error_name: 'Invalid secret key', error_description: 'secret_key is invalid' });
    }
    if (form.get('app_id') !== this.appId || form.get('grant_type') !== 'refresh_token') {
      return send(res, 200, { error: -14003, error_name: 'Invalid parameter', error_description: 'app_id or grant_type is invalid' });
    }
    if (form.get('refresh_token') !== this.refreshToken) {
      return send(res, 200, { error: -14014, error_name: 'Invalid refresh token', error_description: 'refresh_token is invalid or already used' });
    }
    this.generation += 1;
    this.accessToken = `access-${this.generation}`;
    this.refreshToken = `refresh-${this.generation}`;
    this.tokenExpired = false;
    this.refreshCount += 1;
    send(res, 200, { access_token: this.accessToken, refresh_token: this.refreshToken, expires_in: '90000' });
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function header(req: RecordedRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Signs a webhook event the way Zalo does: `mac=` + hex(sha256(app_id + rawBody + timestamp
 * + OA secret key)), with `app_id` and `timestamp` read from the body. Written independently
 * of `bots/zalo/signature.ts` so the test does not mirror a bug.
 */
export function signZaloEvent(
  body: Record<string, unknown> | string,
  appId: string,
  oaSecretKey: string,
  options: { withPrefix?: boolean } = {},
): { body: string; signature: string; headers: Record<string, string> } {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const parsed = parseJson(raw);
  const timestamp = isRecord(parsed) ? String(parsed.timestamp) : '';
  const hex = createHash('sha256').update(appId + raw + timestamp + oaSecretKey, 'utf8').digest('hex');
  const signature = options.withPrefix === false ? hex : `mac=${hex}`;
  return { body: raw, signature, headers: { 'content-type': 'application/json', 'x-zevent-signature': signature } };
}

/** A `user_send_*` event envelope as Zalo sends it (ids and timestamp as strings). */
export function zaloMessageEvent(
  eventName: string,
  fields: { appId: string; userId: string; msgId: string; text?: string; attachments?: unknown[]; timestamp?: number; oaId?: string },
): Record<string, unknown> {
  return {
    app_id: fields.appId,
    user_id_by_app: `byapp-${fields.userId}`,
    event_name: eventName,
    timestamp: String(fields.timestamp ?? Date.now()),
    sender: { id: fields.userId },
    recipient: { id: fields.oaId ?? 'oa-1' },
    message: {
      msg_id: fields.msgId,
      ...(fields.text !== undefined ? { text: fields.text } : {}),
      ...(fields.attachments ? { attachments: fields.attachments } : {}),
    },
  };
}

/** A `follow` / `unfollow` event. */
export function zaloFollowEvent(
  eventName: 'follow' | 'unfollow',
  fields: { appId: string; userId: string; timestamp?: number; oaId?: string },
): Record<string, unknown> {
  return {
    app_id: fields.appId,
    oa_id: fields.oaId ?? 'oa-1',
    follower: { id: fields.userId },
    source: 'oa_profile',
    user_id_by_app: `byapp-${fields.userId}`,
    event_name: eventName,
    timestamp: String(fields.timestamp ?? Date.now()),
  };
}
