import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../logger.ts';
import { HttpError } from '../../admin/http.ts';

// One HttpError for every HTTP surface; declared with the console's helpers, which app/ may import.
export { HttpError };

/** Unknown API routes answer JSON, not Express's HTML page. */
export const notFound: RequestHandler = (_req, res) => {
  res.status(404).json({ error: 'not_found', message: 'No such route' });
};

/**
 * Turns body-parser and route errors into JSON with the right status. Body-parser marks its
 * errors with `type` (malformed JSON, too large); anything else unexpected is a 500 and logged.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) return next(err);
    const e = err as { type?: string; status?: number; message?: string };
    if (err instanceof HttpError) {
      res.status(err.status).json({ error: err.code, message: err.message });
    } else if (e.type === 'entity.parse.failed') {
      res.status(400).json({ error: 'malformed_json', message: 'Request body is not valid JSON' });
    } else if (e.type === 'entity.too.large') {
      res.status(413).json({ error: 'too_large', message: 'Request body is too large' });
    } else if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
      res.status(e.status).json({ error: 'bad_request', message: e.message ?? 'Bad request' });
    } else {
      logger.error({ err, path: req.path }, 'unhandled error');
      res.status(500).json({ error: 'internal', message: 'Internal server error' });
    }
  };
}
