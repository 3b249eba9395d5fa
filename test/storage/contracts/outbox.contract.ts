import { describe, expect, it } from 'vitest';
import type { Recipient } from '../../../bots/core/types.ts';
import { useBackend, type BackendFactory } from './backend.ts';

const recipient: Recipient = { channel: 'telegram', userId: 'u1', address: { chatId: 1 } };
const t0 = new Date('2025-03-01T08:00:00Z');
const at = (s: number) => new Date(t0.getTime() + s * 1000);
const lease = (owner: string, untilS = 60) => ({ owner, until: at(untilS) });

/** OutboxStore behaviour every backend must have. */
export function outboxStoreContract(factory: BackendFactory): void {
  describe('OutboxStore', () => {
    const db = useBackend(factory);
    const open = async () => (await db().connect()).outbox();

    it('keeps the first item for a key', async () => {
      const store = await open();
      const a = await store.enqueue({ key: 'inbox:1', recipient, message: { kind: 'notice', text: 'một' } }, t0);
      const b = await store.enqueue({ key: 'inbox:1', recipient, message: { kind: 'notice', text: 'hai' } }, t0);
      expect(b.id).toBe(a.id);
      expect(b.message.text).toBe('một');
      expect(a).toMatchObject({ status: 'pending', attempts: 0, nextAttemptAt: t0.toISOString(), createdAt: t0.toISOString(), recipient });
    });

    it('lets only one claim win, and moves through retry, sent and failed', async () => {
      const store = await open();
      const item = await store.enqueue({ key: 'k', recipient, message: { kind: 'answer', text: 'x', answerId: 'a1' }, turnId: 't1' }, t0);
      const claims = await Promise.all([store.claim(item.id, lease('a'), t0), store.claim(item.id, lease('b'), t0)]);
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect((await store.get(item.id))?.attempts).toBe(1);

      const later = new Date('2025-03-01T08:00:05Z');
      await store.markRetry(item.id, 'timeout', later, t0);
      expect(await store.get(item.id)).toMatchObject({ status: 'pending', lastError: 'timeout', nextAttemptAt: later.toISOString() });
      expect(await store.claim(item.id, lease('a'), later)).toMatchObject({ attempts: 2, status: 'sending', turnId: 't1', interrupted: false, claimedBy: 'a' });
      await store.markSent(item.id, ['m-1', 'm-2'], later);
      expect(await store.get(item.id)).toMatchObject({ status: 'sent', channelMessageIds: ['m-1', 'm-2'], sentAt: later.toISOString() });
      // Finished items cannot be claimed or changed again.
      expect(await store.claim(item.id, lease('a'), at(3600))).toBeUndefined();
      await store.markFailed(item.id, 'late', later);
      expect((await store.get(item.id))?.status).toBe('sent');
      expect(await store.claim(424242, lease('a'), later)).toBeUndefined();
    });

    it('gives each item to exactly one of two connections claiming everything at once', async () => {
      const one = await open();
      const two = await open();
      const items = [];
      for (let i = 0; i < 20; i++) items.push(await one.enqueue({ key: `race:${i}`, recipient, message: { kind: 'notice', text: `tin ${i}` } }, t0));
      const claims = await Promise.all(items.flatMap((it) => [one.claim(it.id, lease('one'), t0), two.claim(it.id, lease('two'), t0), one.claim(it.id, lease('one'), t0), two.claim(it.id, lease('two'), t0)]));
      const won = claims.filter((c) => c !== undefined).map((c) => c.id);
      expect(won.sort((a, b) => a - b)).toEqual(items.map((i) => i.id).sort((a, b) => a - b));
      for (const it of items) expect((await two.get(it.id))?.attempts).toBe(1);
    });

    it("finds an escalation's latest reply", async () => {
      const store = await open();
      await store.enqueue({ key: 'n', recipient, message: { kind: 'escalated', text: 'đã chuyển' }, escalationId: 'e1' }, t0);
      const reply1 = await store.enqueue({ key: 'r1', recipient, message: { kind: 'spokesperson_reply', text: 'một' }, escalationId: 'e1' }, t0);
      await store.claim(reply1.id, lease('a'), t0);
      await store.markFailed(reply1.id, 'blocked', t0);
      const reply2 = await store.enqueue({ key: 'r2', recipient, message: { kind: 'spokesperson_reply', text: 'hai' }, escalationId: 'e1' }, t0);
      expect((await store.latestReply('e1'))?.id).toBe(reply2.id);
      expect(await store.latestReply('e2')).toBeUndefined();
    });

    it('takes over a send whose lease ran out, counting it as an unknown outcome, and not before', async () => {
      const one = await open();
      const two = await open();
      const item = await one.enqueue({ key: 'k', recipient, message: { kind: 'notice', text: 'x' } }, t0);
      expect(await one.claimDue(lease('one', 30), t0, 10)).toHaveLength(1);
      // Within the lease nobody else gets it, and renewing keeps it.
      expect(await two.claimDue(lease('two'), at(29), 10)).toEqual([]);
      expect(await two.claim(item.id, lease('two'), at(29))).toBeUndefined();
      expect(await two.renew([item.id], lease('two', 90))).toBe(0);
      expect(await one.renew([item.id], lease('one', 90))).toBe(1);
      expect(await two.claimDue(lease('two'), at(60), 10)).toEqual([]);
      // `one` died: after its lease, `two` takes the item, knowing it may have been sent.
      const [taken] = await two.claimDue(lease('two', 200), at(90), 10);
      expect(taken).toMatchObject({ id: item.id, interrupted: true, claimedBy: 'two', attempts: 2, unknownOutcomes: 1 });
      expect(await one.renew([item.id], lease('one', 300))).toBe(0);
    });

    it('claims only due items, of the channels asked for, each by one of two connections', async () => {
      const one = await open();
      const two = await open();
      for (let i = 0; i < 30; i++) await one.enqueue({ key: `d${i}`, recipient: { ...recipient, channel: i % 3 ? 'telegram' : 'zalo' }, message: { kind: 'notice', text: `${i}` } }, t0);
      const later = await one.enqueue({ key: 'later', recipient, message: { kind: 'notice', text: 'later' } }, t0);
      await one.claim(later.id, lease('one'), t0);
      await one.markRetry(later.id, 'timeout', at(100), t0, { unknown: true });
      expect(await one.get(later.id)).toMatchObject({ status: 'pending', unknownOutcomes: 1, claimedBy: undefined });

      const batches = await Promise.all([...Array(8)].map((_, i) => (i % 2 ? one : two).claimDue(lease(`c${i}`, 1000), at(1), 4, ['telegram'])));
      const ids = batches.flat().map((c) => c.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toHaveLength(20);
      expect(await one.claimDue(lease('x', 1000), at(1), 100, ['telegram'])).toEqual([]);
      expect(await one.claimDue(lease('x', 1000), at(1), 100, [])).toEqual([]);
      expect((await one.claimDue(lease('x', 1000), at(1), 100)).map((c) => c.channel)).toEqual(Array(10).fill('zalo'));
      expect((await one.claimDue(lease('x'), at(100), 100)).map((c) => c.id)).toEqual([later.id]);
    });

    it('hands back what a stopping instance holds, keeps dead letters until resent, and prunes old finished items', async () => {
      const store = await open();
      const a = await store.enqueue({ key: 'a', recipient, message: { kind: 'notice', text: 'a' } }, t0);
      const b = await store.enqueue({ key: 'b', recipient, message: { kind: 'notice', text: 'b' } }, t0);
      const c = await store.enqueue({ key: 'c', recipient, message: { kind: 'notice', text: 'c' } }, t0);
      const d = await store.enqueue({ key: 'd', recipient, message: { kind: 'notice', text: 'd' } }, t0);
      await store.claimDue(lease('me'), t0, 10);
      expect(await store.release('someone-else', t0)).toBe(0);
      await store.markFailed(a.id, 'Zalo -213: not a follower', t0);
      await store.markUnknown(b.id, 'no answer within 10 s', t0);
      await store.markSent(c.id, ['m1'], t0);
      expect(await store.release('me', t0)).toBe(1);
      expect(await store.get(d.id)).toMatchObject({ status: 'pending', claimedBy: undefined });
      expect(await store.countByStatus()).toEqual({ pending: 1, sending: 0, sent: 1, failed: 1, unknown: 1 });

      const dead = await store.deadLetters({ limit: 10 });
      expect(dead.map((x) => [x.id, x.status, x.lastError, x.unknownOutcomes])).toEqual([
        [b.id, 'unknown', 'no answer within 10 s', 1],
        [a.id, 'failed', 'Zalo -213: not a follower', 0],
      ]);
      expect((await store.deadLetters({ limit: 10, beforeId: b.id })).map((x) => x.id)).toEqual([a.id]);
      // Only dead letters are resent; twice at once, each once.
      const [r1, r2] = await Promise.all([store.resend([a.id, c.id, d.id, 999], at(10)), store.resend([a.id], at(10))]);
      expect([...r1, ...r2]).toEqual([a.id]);
      expect(await store.get(a.id)).toMatchObject({ status: 'pending', resentAt: at(10).toISOString(), nextAttemptAt: at(10).toISOString() });

      expect(await store.prune(t0)).toBe(0);
      expect(await store.prune(at(1))).toBe(2); // c (sent) and b (unknown); a and d are still owed
      expect(await store.get(c.id)).toBeUndefined();
      expect(await store.get(a.id)).toBeDefined();
    });

    it('lists pending items soonest first', async () => {
      const store = await open();
      const a = await store.enqueue({ key: 'a', recipient, message: { kind: 'notice', text: 'a' } }, t0);
      await store.enqueue({ key: 'b', recipient, message: { kind: 'notice', text: 'b' } }, t0);
      await store.claim(a.id, lease('a'), t0);
      await store.markRetry(a.id, 'later', new Date('2025-03-01T09:00:00Z'), t0);
      expect((await store.pending()).map((i) => i.key)).toEqual(['b', 'a']);
      expect((await store.pending(1)).map((i) => i.key)).toEqual(['b']);
    });
  });
}
