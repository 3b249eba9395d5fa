import type { Logger } from 'pino';

/** One pass of background upkeep; resolves when done. */
export type SweepTask = () => Promise<void>;

/**
 * Runs the core's upkeep every `intervalMs` (renew leases, claim pending and lease-expired
 * work, record sends, prune): one pass at a time, the first at `start()`. A pass that fails
 * (the database is down) is logged and the next one tries again, so work only waits.
 */
export class Sweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private active = false;

  constructor(
    private readonly task: SweepTask,
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (this.active) return;
    this.active = true;
    this.tick();
  }

  /** Stops the timer; resolves when a pass in progress has finished. */
  async stop(): Promise<void> {
    this.active = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Runs a pass now (unless one is running), e.g. when work was handed back. */
  async now(): Promise<void> {
    if (this.running) return this.running;
    this.running = this.task()
      .catch((err: unknown) => this.logger.error({ err }, 'sweep failed; will try again'))
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  private tick(): void {
    if (!this.active) return;
    void this.now().then(() => {
      if (!this.active) return;
      this.timer = setTimeout(() => this.tick(), this.intervalMs);
      this.timer.unref();
    });
  }
}
