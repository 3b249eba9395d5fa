import { describe, expect, it } from 'vitest';
import { LoopGuard } from '../../../bots/core/loop-guard.ts';
import { Slots } from '../../../bots/core/slots.ts';

describe('LoopGuard', () => {
  it('halves the pipeline slots while the loop is late, down to one, and adds one back per on-time sample', () => {
    const slots = new Slots(8);
    const guard = new LoopGuard(slots, { targetDelayMs: 20, intervalMs: 10, maxSlots: 8 });
    const limits: number[] = [];
    for (const delay of [50, 50, 50, 50, 15, 5, 5, 5, 5, 5, 5, 5, 5, 30]) {
      guard.adjust(delay);
      limits.push(slots.limit);
    }
    // 15 ms is under the target but not clearly on time: the limit holds.
    expect(limits).toEqual([4, 2, 1, 1, 1, 2, 3, 4, 5, 6, 7, 8, 8, 4]);
  });

  it('measures how late its timer fires and gives the slots back when stopped', () => {
    let now = 1_000;
    const slots = new Slots(4);
    const guard = new LoopGuard(slots, { targetDelayMs: 20, intervalMs: 10, maxSlots: 4 }, () => now);
    guard.start();
    now += 10 + 35; // the tick came 35 ms late
    guard.sample();
    expect(guard.lastDelayMs).toBe(35);
    expect(slots.limit).toBe(2);
    now += 10; // on time
    guard.sample();
    expect(guard.lastDelayMs).toBe(0);
    expect(slots.limit).toBe(3);
    guard.stop();
    expect(slots.limit).toBe(4);
  });
});
