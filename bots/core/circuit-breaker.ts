/**
 * A circuit breaker for one channel: after `threshold` consecutive failures it opens and
 * refuses attempts for `openMs`; then one probe is let through (half-open). The probe's
 * success closes it, its failure opens it again. An outage then costs one request per
 * `openMs` instead of one per waiting message.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt: number | undefined;
  private probing = false;

  constructor(
    private readonly threshold: number,
    private readonly openMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get state(): 'closed' | 'open' | 'half-open' {
    if (this.openedAt === undefined) return 'closed';
    return this.now() - this.openedAt >= this.openMs ? 'half-open' : 'open';
  }

  /** When an open breaker lets the next probe through (epoch ms); now when closed. */
  retryAt(): number {
    return this.openedAt === undefined ? this.now() : this.openedAt + this.openMs;
  }

  /** May an attempt go now? In half-open, true for one caller only until it reports back. */
  allow(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open' || this.probing) return false;
    this.probing = true;
    return true;
  }

  success(): void {
    this.failures = 0;
    this.openedAt = undefined;
    this.probing = false;
  }

  failure(): void {
    this.failures += 1;
    if (this.probing || this.failures >= this.threshold) {
      this.openedAt = this.now();
      this.probing = false;
    }
  }
}
