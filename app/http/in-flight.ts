import type { RequestHandler } from 'express';

/**
 * Counts the requests being served, so a drain can wait for them. Event streams (`Accept:
 * text/event-stream`) stay open for hours and are not counted: `close()` ends them. Once
 * `draining` is set, responses say `Connection: close` so keep-alive clients and the proxy
 * move to another instance.
 */
export interface InFlight {
  middleware: RequestHandler;
  count(): number;
  /** Resolves when no counted request is running (at once if none is). */
  idle(): Promise<void>;
  startDraining(): void;
  readonly draining: boolean;
}

export function trackInFlight(): InFlight {
  let count = 0;
  let draining = false;
  const waiting: Array<() => void> = [];
  return {
    middleware(req, res, next) {
      if (req.get('accept')?.includes('text/event-stream')) return next();
      count += 1;
      res.once('close', () => {
        count -= 1;
        if (count === 0) waiting.splice(0).forEach((wake) => wake());
      });
      if (draining) res.set('Connection', 'close');
      next();
    },
    count: () => count,
    idle: () => (count === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiting.push(resolve))),
    startDraining() {
      draining = true;
    },
    get draining() {
      return draining;
    },
  };
}
