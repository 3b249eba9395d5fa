import type { RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { jsonErrorHandler, sendError, sendValidationFailed } from '../http/errors.ts';

/**
 * Small HTTP helpers of the console API. Errors use the one vocabulary of `http/errors.ts`
 * (`{ error: { code, message } }`, messages in Vietnamese for the console); routes are
 * declared with `adminRoute` (`admin/route.ts`).
 */

export { ApiError, sendError } from '../http/errors.ts';

/** Console API answers are never cached: they carry personal data and change constantly. */
export const noStore: RequestHandler = (_req, res, next) => {
  res.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache', 'X-Content-Type-Options': 'nosniff' });
  next();
};

/** Unknown console API routes answer JSON. */
export const apiNotFound: RequestHandler = (_req, res) => sendError(res, 404, 'not_found', 'Không tìm thấy địa chỉ này.');

/** The console API's error handler: body-parser errors, ApiError, and a logged 500 for the rest. */
export const apiErrorHandler = (logger: Logger) => jsonErrorHandler({ logger, failure: 'console API error' });

/**
 * @deprecated Declare the route with `adminRoute` (its schemas are validated for it). Kept
 * while routes move over: validates `value`, or answers 400 `validation_failed` and returns undefined.
 */
export function parseOr400<S extends z.ZodType>(schema: S, value: unknown, res: Response): z.output<S> | undefined {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  sendValidationFailed(res, parsed.error);
  return undefined;
}
