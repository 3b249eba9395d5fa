import type { Response } from 'express';
import type { WebchatMessage, WebchatStore } from './ports.ts';
import type { WebchatHub } from './ports.ts';

export interface EventStreamOptions {
  /** A comment line this often keeps proxies from closing an idle stream (25 s). */
  heartbeatMs: number;
  /** The browser's reconnect delay, sent as the `retry:` field. */
  retryMs: number;
  /** Backlog is read from the store in pages of this many messages. */
  pageSize: number;
}

/**
 * Streams a session's transcript as Server-Sent Events: first every stored message with
 * seq > `after` (the backlog), then new ones as they are published. Each event's `id` is
 * its seq, so a reconnecting EventSource resumes with `Last-Event-ID`.
 *
 * The store is the source of truth and the hub only a wake-up call: a published message
 * that is exactly the next seq is written at once; anything else (a message published while
 * the backlog is being read, or out of order) makes the stream read the store again from
 * its last seq. So no message is lost or sent twice. Resolves once the backlog is sent; the
 * stream ends when the client goes away or `res.end()` is called on shutdown.
 */
export async function streamSessionEvents(
  res: Response,
  deps: { store: WebchatStore; hub: WebchatHub },
  sessionId: string,
  after: number,
  options: EventStreamOptions,
): Promise<void> {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store, no-transform',
    // nginx would otherwise buffer the stream.
    'X-Accel-Buffering': 'no',
  });
  res.write(`retry: ${options.retryMs}\n\n`);

  let lastSent = after;
  const closed = (): boolean => res.writableEnded || res.destroyed;
  const write = (m: WebchatMessage): void => {
    if (m.seq <= lastSent || closed()) return;
    lastSent = m.seq;
    res.write(`id: ${m.seq}\ndata: ${JSON.stringify(m)}\n\n`);
  };

  let reading = false;
  let readAgain = false;
  const catchUp = async (): Promise<void> => {
    if (reading) {
      readAgain = true;
      return;
    }
    reading = true;
    try {
      do {
        readAgain = false;
        for (;;) {
          const page = await deps.store.listMessages(sessionId, lastSent, options.pageSize);
          page.forEach(write);
          if (page.length < options.pageSize || closed()) break;
        }
      } while (readAgain && !closed());
    } finally {
      reading = false;
    }
  };
  // The browser reconnects from the last id it received.
  const fail = (): void => void res.end();

  const unsubscribe = deps.hub.subscribe(sessionId, (m) => {
    if (!reading && m.seq === lastSent + 1) write(m);
    else catchUp().catch(fail);
  });
  const heartbeat = setInterval(() => {
    if (!closed()) res.write(': ping\n\n');
  }, options.heartbeatMs);
  heartbeat.unref();
  res.on('close', () => {
    clearInterval(heartbeat);
    unsubscribe();
  });

  await catchUp().catch(fail);
}
