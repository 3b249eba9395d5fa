import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { z } from 'zod';
import type { Logger } from 'pino';

/**
 * Small HTTP helpers shared by the console's route modules: one error shape
 * (`{ error: code, message }`, messages in Vietnamese for the console) and zod validation.
 */

/** An error whose message is safe to show to the client (the console's and the ask API's handlers answer it as is). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code = 'error',
  ) {
    super(message);
  }
}

/** Sends `{ error, message }` with the status. */
export function sendError(res: Response, status: number, error: string, message: string): void {
  res.status(status).json({ error, message });
}

/**
 * Validates `value` (a body, query or params) with `schema`; on failure answers 400 with the
 * issues and returns undefined, so a route reads
 * `const body = parseOr400(schema, req.body, res); if (!body) return;`.
 */
export function parseOr400<S extends z.ZodType>(schema: S, value: unknown, res: Response): z.output<S> | undefined {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  res.status(400).json({
    error: 'invalid_request',
    message: 'Dữ liệu gửi lên không hợp lệ.',
    issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
  });
  return undefined;
}

/** Console API answers are never cached: they carry personal data and change constantly. */
export const noStore: RequestHandler = (_req, res, next) => {
  res.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache', 'X-Content-Type-Options': 'nosniff' });
  next();
};

/** Unknown console API routes answer JSON. */
export const apiNotFound: RequestHandler = (_req, res) => sendError(res, 404, 'not_found', 'Không tìm thấy địa chỉ này.');

/** The console API's error handler: body-parser errors, HttpError, and a logged 500 for the rest. */
export function apiErrorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) return next(err);
    const e = err as { type?: string; status?: number; message?: string };
    if (err instanceof HttpError) return sendError(res, err.status, err.code, err.message);
    if (e.type === 'entity.parse.failed') return sendError(res, 400, 'malformed_json', 'Dữ liệu gửi lên không phải JSON hợp lệ.');
    if (e.type === 'entity.too.large') return sendError(res, 413, 'too_large', 'Dữ liệu gửi lên quá lớn.');
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) return sendError(res, e.status, 'bad_request', 'Yêu cầu không hợp lệ.');
    logger.error({ err, path: req.path }, 'console API error');
    sendError(res, 500, 'internal', 'Đã có lỗi xảy ra. Vui lòng thử lại.');
  };
}
