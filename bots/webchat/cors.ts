import type { RequestHandler } from 'express';
import { sendError } from '../../http/errors.ts';

/** Parses `LOA_WEBCHAT_ORIGINS`: "*" or a comma-separated list of origins. */
export function parseAllowedOrigins(value: string): '*' | string[] {
  const list = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (list.length === 0 || list.includes('*')) return '*';
  return list.map((o) => new URL(o).origin);
}

/**
 * CORS for the web chat API, which portal pages on other origins call. The API uses bearer
 * tokens, never cookies, so no credentials are allowed. Requests from an origin that is not
 * listed (and is not Loa's own) are refused outright rather than merely left unreadable.
 */
export function webchatCors(allowed: '*' | string[]): RequestHandler {
  return (req, res, next) => {
    const origin = req.get('origin');
    if (origin) {
      let sameOrigin = false;
      try {
        sameOrigin = new URL(origin).host === req.get('host');
      } catch {
        // A malformed Origin is treated as foreign.
      }
      if (allowed === '*') res.set('Access-Control-Allow-Origin', '*');
      else if (sameOrigin || allowed.includes(origin)) res.set('Access-Control-Allow-Origin', origin).vary('Origin');
      else {
        sendError(res, 403, 'origin_not_allowed', 'Trang này không được phép dùng ô trò chuyện.');
        return;
      }
    }
    if (req.method === 'OPTIONS') {
      res
        .set({
          'Access-Control-Allow-Methods': 'GET, POST',
          'Access-Control-Allow-Headers': 'Authorization, Content-Type, Last-Event-ID',
          'Access-Control-Max-Age': '86400',
        })
        .status(204)
        .end();
      return;
    }
    next();
  };
}
