/**
 * A token bucket per channel for what the sweeper claims: at most `perSecond` items a
 * second, with bursts of one sweep interval's worth. Spreading send times (`notBefore`) alone lets
 * a sweeper that fell behind (a busy event loop, a restart) claim everything that came due
 * at once; this keeps announcements at the channel's pace. Answers dispatched directly are
 * not counted.
 */
export class ClaimRate {
  private tokens: number;
  private last: number;

  private readonly capacity: number;

  /** `burstSeconds`: how many seconds' worth may be claimed at once (one sweep interval, so the average is the pace). */
  constructor(
    private readonly perSecond: number,
    private readonly now: () => number,
    burstSeconds = 1,
  ) {
    this.capacity = perSecond * Math.max(1, burstSeconds);
    this.tokens = perSecond;
    this.last = now();
  }

  /** Whole items that may be claimed now. */
  available(): number {
    const t = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((t - this.last) / 1000) * this.perSecond);
    this.last = t;
    return Math.floor(this.tokens);
  }

  take(n: number): void {
    this.tokens -= n;
  }
}
