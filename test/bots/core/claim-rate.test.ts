import { describe, expect, it } from 'vitest';
import { ClaimRate } from '../../../bots/core/claim-rate.ts';

describe('ClaimRate (the sweeper’s per-channel pace)', () => {
  it('gives a second’s worth at first, refills at the rate, and never more than one interval’s worth after a pause', () => {
    let t = 0;
    const rate = new ClaimRate(30, () => t, 2);
    expect(rate.available()).toBe(30);
    rate.take(30);
    expect(rate.available()).toBe(0);
    t += 500;
    expect(rate.available()).toBe(15);
    // A sweeper that fell behind for a minute may not claim a minute's worth at once.
    t += 60_000;
    expect(rate.available()).toBe(60);
    rate.take(60);
    t += 100;
    expect(rate.available()).toBe(3);
  });
});
