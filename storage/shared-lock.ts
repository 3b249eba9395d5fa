/**
 * A lock held across instances while `fn` runs, for check-then-act work that must not run
 * twice at once anywhere (Zalo's single-use refresh token). PostgreSQL advisory locks
 * (`postgres/advisory-lock.ts`), Redis (`redis/redis-lock.ts`), or this process only.
 */
export interface SharedLock {
  readonly scope: 'process' | 'postgres' | 'redis';
  withLock<T>(name: string, fn: () => Promise<T>): Promise<T>;
}

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
