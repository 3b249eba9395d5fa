import type { RequestHandler } from 'express';
import type { Logger } from '../logger.ts';

/**
 * With `LOA_TRUST_PROXY=false` behind a reverse proxy, every request seems to come from the
 * proxy: all staff logins and citizens share one address and one set of per-IP limits (20
 * failed logins from anyone would block every officer). Requests that carry
 * `X-Forwarded-For` are the sign of it: say so, loudly, once.
 */
export function warnForwardedWithoutTrust(trustProxy: unknown, logger: Logger): RequestHandler {
  let warned = trustProxy !== false;
  return (req, _res, next) => {
    if (!warned && req.headers['x-forwarded-for'] !== undefined) {
      warned = true;
      logger.warn(
        { peer: req.socket.remoteAddress },
        'requests arrive with X-Forwarded-For but LOA_TRUST_PROXY is false: behind a reverse proxy every client shares the proxy address and its per-IP limits (set LOA_TRUST_PROXY to the proxy hop count, e.g. 1, or its address, e.g. loopback)',
      );
    }
    next();
  };
}
