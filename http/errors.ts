import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { z } from 'zod';

/**
 * The one error vocabulary of every HTTP surface (console API, ask API, web chat API,
 * webhooks): `{ "error": { "code": "…", "message": "…" } }`, with `issues` on a validation
 * failure and, for some refusals, a few more fields next to `code` (documented per route).
 * The common codes are listed here (and in the OpenAPI document); a route may use its own,
 * more specific codes (e.g. `claimed_by_other`), which its declaration lists.
 */
export const COMMON_ERRORS = {
  malformed_json: { status: 400, message: 'Dữ liệu gửi lên không phải JSON hợp lệ.', description: 'The body is not valid JSON' },
  validation_failed: { status: 400, message: 'Dữ liệu gửi lên không hợp lệ.', description: 'Path, query or body failed validation; `issues` says where' },
  bad_request: { status: 400, message: 'Yêu cầu không hợp lệ.', description: 'Any other malformed request (e.g. an unsupported encoding)' },
  unauthorized: { status: 401, message: 'Vui lòng đăng nhập.', description: 'No valid session, token or signature' },
  forbidden: { status: 403, message: 'Bạn không có quyền thực hiện thao tác này.', description: 'Authenticated, but not allowed' },
  not_found: { status: 404, message: 'Không tìm thấy.', description: 'No such route or resource' },
  conflict: { status: 409, message: 'Dữ liệu đã thay đổi, vui lòng tải lại.', description: 'The resource is not in a state that allows this' },
  payload_too_large: { status: 413, message: 'Dữ liệu gửi lên quá lớn.', description: 'The body exceeds the route’s limit' },
  rate_limited: { status: 429, message: 'Bạn thao tác quá nhanh, vui lòng thử lại sau ít phút.', description: 'Too many requests; see Retry-After' },
  internal: { status: 500, message: 'Đã có lỗi xảy ra. Vui lòng thử lại.', description: 'An unexpected failure (logged)' },
  unavailable: { status: 503, message: 'Dịch vụ tạm thời không sẵn sàng. Vui lòng thử lại.', description: 'A dependency is down; retry later' },
} as const satisfies Record<string, { status: number; message: string; description: string }>;

export type CommonErrorCode = keyof typeof COMMON_ERRORS;

/** One problem of a `validation_failed` answer: where (`body.email`, `query.limit`) and what. */
export const issueSchema = z.object({ path: z.string(), message: z.string() });
export type Issue = z.infer<typeof issueSchema>;

/** The error body: `code` is machine-readable, `message` is for people (Vietnamese). */
export const errorBodySchema = z.object({
  code: z.string().describe('Machine-readable code: one of the common codes or one the route lists'),
  message: z.string().describe('Text for people (Vietnamese)'),
  issues: z.array(issueSchema).optional().describe('validation_failed only: what was wrong, and where'),
});

/** `{ error: { code, message, issues? } }`, optionally with more fields inside `error`. */
export function errorEnvelope<E extends z.ZodRawShape = Record<never, never>>(extra?: E) {
  return z.object({ error: extra ? errorBodySchema.extend(extra) : errorBodySchema });
}

/** The plain envelope's schema. */
export const errorSchema = errorEnvelope();
export type ErrorEnvelope = z.infer<typeof errorSchema>;

/**
 * An error that becomes the envelope: throw it from a route (or pass it to `next`), and the
 * error handler answers `status` with `{ error: { code, message, ...extra } }`.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** A common code with its status and (unless given) its default message. */
  static of(code: CommonErrorCode, message?: string, extra?: Record<string, unknown>): ApiError {
    return new ApiError(COMMON_ERRORS[code].status, code, message ?? COMMON_ERRORS[code].message, extra);
  }
}

/** Answers `status` with the envelope. */
export function sendError(res: Response, status: number, code: string, message: string, extra: Record<string, unknown> = {}): void {
  res.status(status).json({ error: { ...extra, code, message } });
}

/** The issues of a zod error, paths prefixed with where the value came from (`body`, `query`, `params`). */
export function issuesOf(error: z.ZodError, where?: string): Issue[] {
  return error.issues.map((i) => ({ path: [where, ...i.path].filter((p) => p !== undefined && p !== '').join('.'), message: i.message }));
}

/** Answers 400 `validation_failed` with the issues. */
export function sendValidationFailed(res: Response, error: z.ZodError, where?: string, message: string = COMMON_ERRORS.validation_failed.message): void {
  sendError(res, 400, 'validation_failed', message, { issues: issuesOf(error, where) });
}

/** Unknown API routes answer the envelope, not Express's HTML page. */
export const notFound: RequestHandler = (_req, res) => sendError(res, 404, 'not_found', 'Không tìm thấy địa chỉ này.');

/** The envelope an error answers with (its status and body), or undefined for a 5xx to log. */
export function clientError(err: unknown): { status: number; code: string; message: string; extra: Record<string, unknown> } | undefined {
  if (err instanceof ApiError) return { status: err.status, code: err.code, message: err.message, extra: err.extra };
  const e = (typeof err === 'object' && err !== null ? err : {}) as { type?: unknown; status?: unknown };
  // body-parser marks its errors with `type`.
  if (e.type === 'entity.parse.failed') return { status: 400, code: 'malformed_json', message: COMMON_ERRORS.malformed_json.message, extra: {} };
  if (e.type === 'entity.too.large') return { status: 413, code: 'payload_too_large', message: COMMON_ERRORS.payload_too_large.message, extra: {} };
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) return { status: e.status, code: 'bad_request', message: COMMON_ERRORS.bad_request.message, extra: {} };
  return undefined;
}

export interface ErrorHandlerOptions {
  /** Where unexpected (5xx) errors are logged. */
  logger: { error(obj: object, msg: string): void; warn?(obj: object, msg: string): void };
  /** The log line of an unexpected error, e.g. 'telegram webhook: could not hand the update to the core'. */
  failure?: string;
  /** Also log client errors (malformed bodies) at warn, e.g. for webhooks. */
  logClientErrors?: string;
}

/**
 * The one error handler of every HTTP surface: `ApiError`, body-parser's malformed JSON (400
 * `malformed_json`) and too large (413 `payload_too_large`), other client errors (their
 * status, `bad_request`), and a logged 500 `internal` for the rest.
 */
export function jsonErrorHandler(options: ErrorHandlerOptions): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) return next(err);
    const known = clientError(err);
    if (known) {
      if (options.logClientErrors && options.logger.warn) options.logger.warn({ ip: req.ip, code: known.code }, options.logClientErrors);
      return sendError(res, known.status, known.code, known.message, known.extra);
    }
    options.logger.error({ err, path: req.path }, options.failure ?? 'unhandled error');
    sendError(res, 500, 'internal', COMMON_ERRORS.internal.message);
  };
}
