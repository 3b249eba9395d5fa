import type { SharedLock } from '../bots/core/ports.ts';

// The lock is a port of the conversation core and the channels (bots/core/ports.ts); this is the in-process implementation.
export type { SharedLock };

/** A mutex per name inside this process (one instance, e.g. SQLite). */
export class ProcessLock implements SharedLock {
  readonly scope = 'process' as const;
  private readonly tails = new Map<string, Promise<unknown>>();

  async withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(name) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const tail = run.catch(() => undefined);
    this.tails.set(name, tail);
    void tail.finally(() => {
      if (this.tails.get(name) === tail) this.tails.delete(name);
    });
    return run;
  }
}
