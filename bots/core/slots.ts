/**
 * At most `size` holders at once; the rest wait in arrival order. Each grant is handed out
 * on a later turn of the event loop (`setImmediate`), so incoming webhooks are read and
 * acknowledged between pipeline runs instead of queuing behind the whole backlog.
 */
export class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`slots: size must be a positive integer, got ${size}`);
    this.free = size;
  }

  acquire(): Promise<void> {
    return new Promise((resolve) => {
      const grant = () => setImmediate(resolve);
      if (this.free > 0) {
        this.free -= 1;
        grant();
      } else {
        this.waiting.push(grant);
      }
    });
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free += 1;
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
}
