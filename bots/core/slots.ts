/**
 * At most `limit` holders at once; the rest wait in arrival order. Each grant is handed out
 * on a later turn of the event loop (`setImmediate`), so incoming webhooks are read and
 * acknowledged between pipeline runs instead of queuing behind the whole backlog. The limit
 * can be lowered and raised while running (`setLimit`, see `loop-guard.ts`): holders above a
 * lowered limit finish, and no new grant is made until the count is under it.
 */
export class Slots {
  private limitNow: number;
  private inUse = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`slots: size must be a positive integer, got ${size}`);
    this.limitNow = size;
  }

  /** Holders allowed at once now. */
  get limit(): number {
    return this.limitNow;
  }

  /** Holders now. */
  get active(): number {
    return this.inUse;
  }

  /** Callers waiting for a slot. */
  get queued(): number {
    return this.waiting.length;
  }

  /** Changes how many may hold a slot at once (at least 1); raising it grants waiting callers. */
  setLimit(limit: number): void {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`slots: limit must be a positive integer, got ${limit}`);
    this.limitNow = limit;
    this.grantWaiting();
  }

  acquire(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(() => setImmediate(resolve));
      this.grantWaiting();
    });
  }

  release(): void {
    this.inUse -= 1;
    this.grantWaiting();
  }

  /** Runs `task` inside a slot. */
  async use<T>(task: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  private grantWaiting(): void {
    while (this.inUse < this.limitNow && this.waiting.length) {
      this.inUse += 1;
      (this.waiting.shift() as () => void)();
    }
  }
}
