/**
 * The server's JSON errors: the one vocabulary of `http/errors.ts`. Kept as the app's entry
 * point: `notFound` for unknown `/api` and `/webhooks` routes, `errorHandler` last.
 */
import type { ErrorRequestHandler } from 'express';
import type { Logger } from '../logger.ts';
import { jsonErrorHandler } from '../../http/errors.ts';

export { notFound } from '../../http/errors.ts';

/** Body-parser errors, ApiError, and a logged 500 for anything else. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return jsonErrorHandler({ logger });
}
