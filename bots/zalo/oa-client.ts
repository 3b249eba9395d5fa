import { createHmac } from 'node:crypto';
import { z } from 'zod';
import type { Logger } from 'pino';
import { ChannelSendError, type ChannelHealth } from '../core/types.ts';
import type { SecretStore, SharedLock } from '../core/ports.ts';
import { ZaloTokens, type RefreshedTokens } from './tokens.ts';

/**
 * A small typed client for the Zalo OA Open API v3: send a customer-service text message,
 * refresh the access token. Every failure surfaces as a `ChannelSendError` whose
 * `retryable` flag tells the outbox whether trying again can help.
 */

/**
 * Reply to a user message (free inside 48 h), write to a user (proactive), or answer a
 * non-follower's OA chat widget conversation (`anonymous_send_text`).
 */
export type ZaloRecipient = { message_id: string } | { user_id: string } | { anonymous_id: string; conversation_id: string };

export interface ZaloSendResult {
  messageId: string;
  userId?: string;
  /** Zalo's quota report, passed through as received. */
  quota?: unknown;
}

export interface ZaloOaClientOptions {
  /** ZALO_API_BASE, e.g. https://openapi.zalo.me */
  apiBase: string;
  /** ZALO_OAUTH_BASE, e.g. https://oauth.zaloapp.com */
  oauthBase: string;
  appId: string;
  /** The App Secret (sent as `secret_key` when refreshing); without it tokens cannot be refreshed. */
  appSecret?: string;
  secrets: SecretStore;
  /** Env tokens; they only seed the SecretStore. */
  seed: { accessToken?: string; refreshToken?: string };
  logger: Logger;
  /** Per-request timeout (default 10 s). */
  timeoutMs?: number;
  /** Told about every token refresh attempt (for `/metrics`). */
  onTokenRefresh?: (outcome: 'ok' | 'failed') => void;
  /** Send `appsecret_proof` with API calls (the app setting "require appsecret_proof"); needs appSecret. */
  appsecretProof?: boolean;
  /** Held around token refreshes, across instances when shared. */
  lock?: SharedLock;
}

/**
 * Error codes that mean "the access token is invalid or expired". Not -201: that is "<field> is
 * invalid", a bad request; refreshing for it would spend a single-use refresh token for nothing.
 */
export const ZALO_TOKEN_ERRORS: ReadonlySet<number> = new Set([-216, -220]);

/** How long to back off after -32 when Zalo gives no hint. */
const RATE_LIMIT_BACKOFF_MS = 60_000;

/** Codes retrying cannot fix, with a message for the logs and the console (Vietnamese / English). */
const PERMANENT_ERRORS: Readonly<Record<number, string>> = {
  [-201]: 'Tham số gửi tin không hợp lệ / a request parameter is invalid',
  [-213]: 'Người dùng chưa quan tâm OA / the user does not follow the OA',
  [-230]: 'Người dùng không tương tác với OA trong 7 ngày qua / no interaction with the OA in the last 7 days',
  [-232]: 'Đã hết thời hạn trả lời tin nhắn này / the interaction window for this message has expired',
  [-211]: 'OA đã hết hạn mức gửi tin / the OA is out of message quota',
  [-224]: 'Cần gói OA trả phí để gửi tin này / a paid OA tier is needed for this message',
};

const zaloId = z.union([z.string(), z.number()]).transform(String);

const sendResponseSchema = z.object({
  error: z.number(),
  message: z.string().optional(),
  data: z
    .object({
      message_id: zaloId,
      user_id: zaloId.optional(),
      quota: z.unknown().optional(),
    })
    .optional(),
});

const refreshResponseSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: z.union([z.string().regex(/^\d+$/), z.number()]).transform(Number),
});

const oauthErrorSchema = z.object({
  error: z.number().optional(),
  error_name: z.string().optional(),
  error_description: z.string().optional(),
  error_reason: z.string().optional(),
});

type SendOutcome = { ok: true; result: ZaloSendResult } | { ok: false; error: number; message: string };

export class ZaloOaClient {
  readonly tokens: ZaloTokens;
  private readonly apiBase: string;
  private readonly oauthBase: string;
  private readonly appId: string;
  private readonly appSecret: string | undefined;
  private readonly timeoutMs: number;
  private readonly appsecretProof: boolean;
  private tokenProblem: string | undefined;
  private readonly logger: Logger;

  constructor(options: ZaloOaClientOptions) {
    this.apiBase = options.apiBase.replace(/\/+$/, '');
    this.oauthBase = options.oauthBase.replace(/\/+$/, '');
    this.appId = options.appId;
    this.appSecret = options.appSecret;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.appsecretProof = options.appsecretProof === true && options.appSecret !== undefined;
    this.logger = options.logger;
    this.tokens = new ZaloTokens({
      secrets: options.secrets,
      seed: options.seed,
      refresh: (refreshToken) => this.refreshAccessToken(refreshToken),
      logger: options.logger,
      onRefresh: options.onTokenRefresh,
      lock: options.lock,
    });
  }

  /**
   * Sends one text message (at most 2000 characters) through `/v3.0/oa/message/cs`. On a
   * token error it refreshes the token once (shared with concurrent sends) and retries once.
   */
  async sendText(recipient: ZaloRecipient, text: string): Promise<ZaloSendResult> {
    const body = { recipient, message: { text } };
    const token = await this.tokenStep(() => this.tokens.current());
    const first = await this.postMessage(token, body);
    if (first.ok) return this.delivered(first.result);
    if (!ZALO_TOKEN_ERRORS.has(first.error)) throw sendError(first);

    this.logger.info({ code: first.error }, 'zalo: access token rejected, refreshing');
    const fresh = await this.tokenStep(() => this.tokens.refreshAfter(token));
    const second = await this.postMessage(fresh, body);
    if (second.ok) return this.delivered(second.result);
    if (ZALO_TOKEN_ERRORS.has(second.error)) {
      this.tokenProblem = `token refused after refresh (${second.error})`;
      // A token that was just issued is refused: configuration, not a passing problem.
      throw new ChannelSendError(
        `Zalo từ chối token mới / Zalo refused a freshly refreshed token (${second.error}: ${second.message})`,
        false,
        second.error,
      );
    }
    throw sendError(second);
  }

  /** `degraded` while the last attempt to get a usable access token failed (readiness). */
  health(): ChannelHealth {
    return this.tokenProblem ? { status: 'degraded', detail: this.tokenProblem } : { status: 'ok' };
  }

  private delivered(result: ZaloSendResult): ZaloSendResult {
    this.tokenProblem = undefined;
    return result;
  }

  /** Runs a token step, noting a failure for `health()`. */
  private async tokenStep(step: () => Promise<string>): Promise<string> {
    try {
      return await step();
    } catch (err) {
      this.tokenProblem = `token: ${err instanceof ChannelSendError ? String(err.code) : 'error'}`;
      throw err;
    }
  }

  /**
   * Exchanges a (single-use) refresh token for a new pair. Callers must store the pair
   * before using it; `ZaloTokens` does.
   */
  async refreshAccessToken(refreshToken: string): Promise<RefreshedTokens> {
    if (!this.appSecret) {
      throw new ChannelSendError('Zalo: ZALO_APP_SECRET is not set, the access token cannot be refreshed', false, 'no_app_secret');
    }
    const res = await this.request(`${this.oauthBase}/v4/oa/access_token`, {
      method: 'POST',
      headers: { secret_key: this.appSecret, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ refresh_token: refreshToken, app_id: this.appId, grant_type: 'refresh_token' }).toString(),
    });
    const json = await readJson(res);
    const pair = refreshResponseSchema.safeParse(json);
    if (pair.success) {
      return { accessToken: pair.data.access_token, refreshToken: pair.data.refresh_token, expiresInS: pair.data.expires_in };
    }
    const err = oauthErrorSchema.safeParse(json);
    const detail = err.success ? [err.data.error, err.data.error_name, err.data.error_description ?? err.data.error_reason].filter((x) => x !== undefined).join(' ') : '';
    // Not yet an operator problem: another instance may have spent this token (see ZaloTokens).
    this.logger.warn({ httpStatus: res.status, detail }, 'zalo: token refresh refused');
    // A refused refresh token stays refused: an operator must authorise the app again.
    throw new ChannelSendError(
      `Không làm mới được token Zalo; cần cấp lại quyền cho ứng dụng / Zalo token refresh failed, re-authorise the app (${detail || `HTTP ${res.status}`})`,
      false,
      err.success && err.data.error !== undefined ? err.data.error : 'token_refresh_failed',
    );
  }

  private async postMessage(accessToken: string, body: unknown): Promise<SendOutcome> {
    const res = await this.request(`${this.apiBase}/v3.0/oa/message/cs`, {
      method: 'POST',
      headers: {
        access_token: accessToken,
        'content-type': 'application/json',
        ...(this.appsecretProof && this.appSecret ? { appsecret_proof: appsecretProof(accessToken, this.appSecret) } : {}),
      },
      body: JSON.stringify(body),
    });
    const parsed = sendResponseSchema.safeParse(await readJson(res));
    if (!parsed.success) {
      throw new ChannelSendError(`Zalo: unexpected answer (HTTP ${res.status})`, res.ok, 'bad_response');
    }
    const { error, message, data } = parsed.data;
    if (error === 0 && data) {
      return { ok: true, result: { messageId: data.message_id, userId: data.user_id, quota: data.quota } };
    }
    if (error === 0) throw new ChannelSendError('Zalo: success without a message id', false, 'bad_response');
    return { ok: false, error, message: message ?? '' };
  }

  /** fetch with a timeout; transport failures and HTTP 5xx / 429 become retryable errors. */
  private async request(url: string, init: RequestInit): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(url, { ...init, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (err) {
      const timedOut = err instanceof Error && err.name === 'TimeoutError';
      throw new ChannelSendError(
        timedOut ? `Zalo: no answer within ${this.timeoutMs} ms` : `Zalo: network error (${errorText(err)})`,
        true,
        timedOut ? 'timeout' : 'network',
      );
    }
    if (res.status >= 500) {
      await res.body?.cancel();
      throw new ChannelSendError(`Zalo: HTTP ${res.status}`, true, `http_${res.status}`);
    }
    if (res.status === 429) {
      await res.body?.cancel();
      throw new ChannelSendError('Zalo: HTTP 429', true, 'http_429', retryAfterMs(res.headers.get('retry-after')));
    }
    return res;
  }
}

/** `hex(HMAC-SHA256(access_token))` keyed with the App Secret, as Zalo's SDKs compute it. */
export function appsecretProof(accessToken: string, appSecret: string): string {
  return createHmac('sha256', appSecret).update(accessToken, 'utf8').digest('hex');
}

/** Maps a Zalo error answer (not a token error) to a ChannelSendError. */
function sendError(outcome: { error: number; message: string }): ChannelSendError {
  if (outcome.error === -32) {
    return new ChannelSendError('Zalo: vượt giới hạn gọi API / API call limit reached', true, -32, RATE_LIMIT_BACKOFF_MS);
  }
  const known = PERMANENT_ERRORS[outcome.error];
  // Unknown codes are request problems as far as we can tell: retrying the same call won't help.
  return new ChannelSendError(`Zalo ${outcome.error}: ${known ?? outcome.message}`, false, outcome.error);
}

async function readJson(res: Response): Promise<unknown> {
  let text: string;
  try {
    text = await res.text();
  } catch (err) {
    const timedOut = err instanceof Error && err.name === 'TimeoutError';
    throw new ChannelSendError(`Zalo: answer cut off (${errorText(err)})`, true, timedOut ? 'timeout' : 'network');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function retryAfterMs(header: string | null): number {
  const s = header ? Number(header) : NaN;
  return Number.isFinite(s) && s >= 0 ? s * 1000 : RATE_LIMIT_BACKOFF_MS;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
