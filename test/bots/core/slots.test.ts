import { describe, expect, it } from 'vitest';
import { Slots } from '../../../bots/core/slots.ts';

describe('Slots', () => {
  it('runs at most `size` tasks at once, the rest in arrival order', async () => {
    const slots = new Slots(2);
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    const releases: (() => void)[] = [];
    const tasks = [0, 1, 2, 3, 4].map((i) =>
      slots.use(async () => {
        running++;
        peak = Math.max(peak, running);
        order.push(i);
        await new Promise<void>((resolve) => releases.push(resolve));
        running--;
      }),
    );
    while (order.length < 5) {
      await new Promise((r) => setImmediate(r));
      await new Promise((r) => setImmediate(r));
      releases.shift()?.();
    }
    releases.forEach((r) => r());
    await Promise.all(tasks);
    expect(peak).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4]);
  });

  it('frees the slot when a task throws', async () => {
    const slots = new Slots(1);
    await expect(slots.use(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(slots.use(async () => 'ok')).resolves.toBe('ok');
  });

  it('refuses a size that is not a positive integer', () => {
    expect(() => new Slots(0)).toThrow(/positive integer/);
  });

  it('lowers and raises its limit while running: holders above a lowered limit finish, then waiting callers get the freed room', async () => {
    const slots = new Slots(3);
    const releases: (() => void)[] = [];
    let started = 0;
    const task = () =>
      slots.use(async () => {
        started++;
        await new Promise<void>((resolve) => releases.push(resolve));
      });
    const tasks = [task(), task(), task(), task(), task()];
    await new Promise((r) => setImmediate(r));
    expect(started).toBe(3);
    slots.setLimit(1);
    releases.shift()?.();
    releases.shift()?.();
    for (let i = 0; i < 4; i++) await new Promise((r) => setImmediate(r));
    // Two of three finished, one still holds: at the lowered limit, nothing new starts.
    expect([started, slots.active, slots.queued]).toEqual([3, 1, 2]);
    slots.setLimit(3);
    for (let i = 0; i < 4; i++) await new Promise((r) => setImmediate(r));
    expect([started, slots.active, slots.queued]).toEqual([5, 3, 0]);
    for (const r of releases.splice(0)) r();
    await Promise.all(tasks);
    expect(slots.active).toBe(0);
  });
});
