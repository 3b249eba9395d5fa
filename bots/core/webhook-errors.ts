import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';

/**
 * The error middleware of a channel webhook: body-parser's malformed JSON → 400 and too large
 * → 413, anything else is logged with `failure` and answered 500, so the channel delivers the
 * update again.
 */
export function webhookErrorHandler(logger: Logger, failure: string): ErrorRequestHandler {
  return (err: unknown, _req, res, _next) => {
    const type = typeof err === 'object' && err !== null && 'type' in err ? err.type : undefined;
    if (type === 'entity.parse.failed') {
      res.status(400).json({ error: 'malformed JSON' });
      return;
    }
    if (type === 'entity.too.large') {
      res.status(413).json({ error: 'body too large' });
      return;
    }
    logger.error({ err }, failure);
    if (!res.headersSent) res.status(500).json({ error: 'internal error' });
  };
}
