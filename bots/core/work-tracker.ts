/**
 * Background work of the core, kept track of so that `drain()` can wait for it and
 * `stop()` can cancel what has not started. Tasks handle their own errors; a rejection
 * here is only swallowed so that one failure does not block the tasks queued behind it.
 */
export class WorkTracker {
  private readonly running = new Set<Promise<unknown>>();
  private readonly chains = new Map<string, Promise<void>>();
  private readonly timers = new Map<NodeJS.Timeout, () => void>();
  private paused = false;

  /** Runs a task now and tracks it. */
  run<T>(task: () => Promise<T>): Promise<T> {
    const p = task();
    this.track(p);
    return p;
  }

  /**
   * Runs tasks with the same key one after another, in the order given: a citizen's
   * messages are handled in order, so a follow-up sees the question before it.
   */
  serial(key: string, task: () => Promise<void>): void {
    const previous = this.chains.get(key) ?? Promise.resolve();
    const next = previous.then(task).catch(() => undefined);
    this.chains.set(key, next);
    this.track(next);
    void next.finally(() => {
      if (this.chains.get(key) === next) this.chains.delete(key);
    });
  }

  /** Runs a task after `delayMs`, unless `pause()` comes first. Ignored while paused. */
  later(delayMs: number, task: () => Promise<unknown>): void {
    if (this.paused) return;
    const p = new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve(task().then(
          () => undefined,
          () => undefined,
        ));
      }, delayMs);
      this.timers.set(timer, resolve);
    });
    this.track(p);
  }

  /**
   * Cancels every task waiting in `later()` and accepts no new ones until `resume()`, so
   * that a send failing during shutdown does not hold it up for its retry delay.
   */
  pause(): void {
    this.paused = true;
    for (const [timer, resolve] of this.timers) {
      clearTimeout(timer);
      resolve();
    }
    this.timers.clear();
  }

  resume(): void {
    this.paused = false;
  }

  /** Resolves when nothing is running, queued or waiting, including work started meanwhile. */
  async idle(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running]);
  }

  private track(p: Promise<unknown>): void {
    this.running.add(p);
    const forget = () => this.running.delete(p);
    p.then(forget, forget);
  }
}
