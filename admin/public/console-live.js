/* Live updates of the inbox: one EventSource on /api/admin/events for the whole app
 * (the session cookie goes with it), fanned out to whichever page is on screen. Also keeps
 * the set of "fresh" escalations (arrived live, not opened yet) for the title-bar count. */

const EVENTS = ['escalation.created', 'escalation.updated'];

export class LiveFeed {
  /** @param {{ onFreshChange?: () => void, onClosed?: () => void }} [handlers] */
  constructor({ onFreshChange, onClosed } = {}) {
    this.source = null;
    this.listeners = new Set();
    this.statusListeners = new Set();
    this.fresh = new Set();
    this.connected = false;
    this.onFreshChange = onFreshChange || (() => {});
    /** Called when the browser gave up on the stream (an HTTP error such as 401, not a network drop). */
    this.onClosed = onClosed || (() => {});
    this.retryTimer = null;
  }

  /** Opens the stream (once). The browser reconnects by itself after a network drop. */
  start() {
    if (this.source) return;
    const source = new EventSource('/api/admin/events');
    this.source = source;
    for (const name of EVENTS) {
      source.addEventListener(name, (event) => {
        let data;
        try {
          data = JSON.parse(event.data);
        } catch {
          return;
        }
        if (!data || typeof data.id !== 'string') return;
        if (name === 'escalation.created') this.markFresh(data.id);
        // Anything that is no longer waiting is not "new" any more.
        if (name === 'escalation.updated' && data.status !== 'open') this.markSeen(data.id);
        for (const fn of this.listeners) fn(name, data);
      });
    }
    source.addEventListener('open', () => this.setConnected(true));
    source.addEventListener('error', () => {
      this.setConnected(false);
      // A network drop is retried by the browser; a refused stream (CLOSED) is ours to handle.
      if (source.readyState !== EventSource.CLOSED || this.source !== source) return;
      this.source = null;
      clearTimeout(this.retryTimer);
      this.retryTimer = setTimeout(() => this.onClosed(), 3000);
    });
  }

  stop() {
    clearTimeout(this.retryTimer);
    this.source?.close();
    this.source = null;
    this.fresh.clear();
    this.setConnected(false);
    this.onFreshChange();
  }

  /** Subscribes to events `(name, escalation)`; returns the unsubscribe function. */
  on(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Subscribes to connection changes `(connected)`; called at once with the current state. */
  onStatus(fn) {
    this.statusListeners.add(fn);
    fn(this.connected);
    return () => this.statusListeners.delete(fn);
  }

  setConnected(value) {
    if (this.connected === value) return;
    this.connected = value;
    for (const fn of this.statusListeners) fn(value);
  }

  isFresh(id) {
    return this.fresh.has(id);
  }

  freshCount() {
    return this.fresh.size;
  }

  markFresh(id) {
    this.fresh.add(id);
    this.onFreshChange();
  }

  /** The officer opened it (or it was taken): no longer counted as new. */
  markSeen(id) {
    if (this.fresh.delete(id)) this.onFreshChange();
  }
}
