import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';
import { jsonErrorHandler } from '../../http/errors.ts';

/**
 * The error middleware of a channel webhook (the one handler of `http/errors.ts`): malformed
 * JSON → 400 `malformed_json`, too large → 413 `payload_too_large`, anything else is logged
 * with `failure` and answered 500 `internal`, so the channel delivers the update again.
 */
export function webhookErrorHandler(logger: Logger, failure: string): ErrorRequestHandler {
  return jsonErrorHandler({ logger, failure });
}
