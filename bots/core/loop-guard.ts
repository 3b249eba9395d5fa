import type { Slots } from './slots.ts';

/** How the pipeline's concurrency follows the event loop's delay. */
export interface LoopGuardOptions {
  /** Delay (ms) above which answering gives way: the slots are halved (default 20). */
  targetDelayMs: number;
  /** How often the delay is sampled (default 10 ms). */
  intervalMs: number;
  /** The most slots (`LOA_PIPELINE_CONCURRENCY`); the least is 1, so answering never stops. */
  maxSlots: number;
}

export const DEFAULT_LOOP_GUARD: Omit<LoopGuardOptions, 'maxSlots'> = { targetDelayMs: 20, intervalMs: 10 };

/**
 * Keeps answering from starving acknowledgements. Answering (retrieval, SQLite) runs on the
 * same event loop as the webhooks, and a webhook needs a few turns of the loop to be read,
 * stored and acknowledged; when answering makes each turn long, acknowledgements wait
 * (Zalo redelivers after about 2 s). A timer measures how late the loop is; when it is later
 * than `targetDelayMs` the pipeline's slots are halved (down to one), and while it is on time
 * they grow back by one per sample (additive increase, multiplicative decrease). The backlog
 * then waits in the durable inbox instead of in the loop.
 */
export class LoopGuard {
  private timer: NodeJS.Timeout | undefined;
  private expected = 0;
  /** The latest delay measured (ms). */
  lastDelayMs = 0;

  constructor(
    private readonly slots: Slots,
    private readonly options: LoopGuardOptions,
    private readonly now: () => number = () => performance.now(),
  ) {}

  start(): void {
    if (this.timer) return;
    this.expected = this.now() + this.options.intervalMs;
    this.timer = setInterval(() => this.sample(), this.options.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.slots.setLimit(this.options.maxSlots);
  }

  /** One measurement: how late this tick came, and the slots it calls for. */
  sample(): void {
    const now = this.now();
    this.lastDelayMs = Math.max(0, now - this.expected);
    this.expected = now + this.options.intervalMs;
    this.adjust(this.lastDelayMs);
  }

  /** Applies one delay measurement to the slots (exposed for tests). */
  adjust(delayMs: number): void {
    const { targetDelayMs, maxSlots } = this.options;
    const limit = this.slots.limit;
    if (delayMs > targetDelayMs) {
      if (limit > 1) this.slots.setLimit(Math.max(1, Math.floor(limit / 2)));
    } else if (delayMs <= targetDelayMs / 2 && limit < maxSlots) {
      this.slots.setLimit(limit + 1);
    }
  }
}

/** Lets the event loop run its other work (webhooks waiting to be read) before going on. */
export function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
