import type { RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { CoreEventEmitter } from '../../bots/core/events.ts';
import type { Escalation } from '../../storage/escalation-store.ts';
import type { LiveEventBus } from '../../storage/redis/live-events-bus.ts';
import { activeSession } from '../auth/middleware.ts';
import type { ActiveSession, StaffSessions } from '../auth/sessions.ts';
import { summarize, type InboxItem } from './view.ts';

export type LiveEventName = 'escalation.created' | 'escalation.updated';

interface Stream {
  res: Response;
  session: ActiveSession;
}

export interface LiveEventsOptions {
  events: CoreEventEmitter;
  sessions: StaffSessions;
  /** Decorates an escalation for the inbox (waiting time, Zalo window). */
  decorate: (e: Escalation) => Promise<InboxItem>;
  logger: Logger;
  /** A comment line this often keeps proxies from closing an idle stream; default 25 s. */
  heartbeatMs?: number;
  /** Shares events with the other instances (Redis), so a stream here sees escalations arriving there. */
  bus?: LiveEventBus;
}

/**
 * `GET /events`: the console's live view, as Server-Sent Events. Every `escalation.created`
 * and `escalation.updated` from the core is decorated once and written to every open
 * stream, in order: spokespeople and administrators get the inbox item, viewers only a
 * summary without the citizen's words. Each heartbeat re-checks the session (without
 * counting as activity), so a stream ends when its session expires or is logged out. With
 * a `bus`, events also travel to and from the other instances' streams.
 */
export class LiveEvents {
  private readonly streams = new Set<Stream>();
  private readonly unsubscribe: (() => void)[];
  private readonly heartbeat: NodeJS.Timeout;
  /** Events are decorated asynchronously; this chain keeps them in the order they happened. */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly options: LiveEventsOptions) {
    const on = (name: LiveEventName) =>
      options.events.on(name, (e) => {
        this.publish(name, e);
        options.bus?.publish(name, e);
      });
    this.unsubscribe = [on('escalation.created'), on('escalation.updated')];
    if (options.bus) this.unsubscribe.push(options.bus.subscribe((name, e) => this.publish(name, e)));
    this.heartbeat = setInterval(() => void this.beat(), options.heartbeatMs ?? 25_000);
    this.heartbeat.unref();
  }

  /** The route handler (put `requireRole` in front of it). */
  readonly handler: RequestHandler = (_req, res) => {
    const session = activeSession(res) as ActiveSession;
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store, no-transform',
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 3000\n\n');
    const stream: Stream = { res, session };
    this.streams.add(stream);
    res.on('close', () => this.streams.delete(stream));
  };

  /** How many streams are open (for tests and health). */
  get size(): number {
    return this.streams.size;
  }

  /** Ends the streams of a session at once (logout). */
  endSession(idHash: string): void {
    for (const s of this.streams) if (s.session.idHash === idHash) this.end(s);
  }

  close(): void {
    for (const off of this.unsubscribe) off();
    clearInterval(this.heartbeat);
    for (const s of this.streams) this.end(s);
  }

  private publish(name: LiveEventName, e: Escalation): void {
    this.queue = this.queue
      .then(async () => {
        if (this.streams.size === 0) return;
        const full = `event: ${name}\ndata: ${JSON.stringify(await this.options.decorate(e))}\n\n`;
        const brief = `event: ${name}\ndata: ${JSON.stringify(summarize(e))}\n\n`;
        for (const s of this.streams) this.write(s, s.session.user.role === 'viewer' ? brief : full);
      })
      .catch((err: unknown) => this.options.logger.error({ err, event: name }, 'live event failed'));
  }

  private async beat(): Promise<void> {
    for (const s of [...this.streams]) {
      const live = await this.options.sessions.resolve(s.session.id, { touch: false }).catch(() => undefined);
      // A role change takes effect too: the stream is re-opened by the browser with the new role.
      if (!live || live.user.role !== s.session.user.role) this.end(s);
      else this.write(s, ': ping\n\n');
    }
  }

  private write(s: Stream, chunk: string): void {
    if (s.res.writableEnded || s.res.destroyed) return void this.streams.delete(s);
    s.res.write(chunk);
  }

  private end(s: Stream): void {
    this.streams.delete(s);
    if (!s.res.writableEnded) s.res.end();
  }
}
