import type { Logger } from 'pino';
import type { ConversationStore } from '../../storage/conversation-store.ts';
import { SYSTEM_ACTOR } from '../../domain/escalation.ts';
import type { EscalationStore } from '../../storage/escalation-store.ts';
import type { Lease } from '../../storage/lease.ts';
import type { ClaimedOutboxItem, OutboxItem, OutboxStatus, OutboxStore } from '../../storage/outbox-store.ts';
import { deliveryDeadline, type DeliveryPolicyConfig } from './delivery-policy.ts';
import type { CoreEventEmitter, MessageEvent } from './events.ts';
import { ClaimRate } from './claim-rate.ts';
import { retryDelay, type RetryPolicy } from './retry-policy.ts';
import { ChannelSendPool, type SendAttempt, type SendPoolOptions } from './send-pool.ts';
import { CHANNELS, ChannelSendError, type ChannelName, type ChannelSender } from './types.ts';
import type { WorkTracker } from './work-tracker.ts';

/** What one delivery attempt came to. */
export type DeliveryOutcome =
  | { status: 'sent'; channelMessageIds: string[] }
  | { status: 'retrying'; error: string; retryInMs: number; unknown?: boolean }
  | { status: 'failed'; error: string }
  /** The send may have arrived; it is held as a dead letter (`LOA_UNKNOWN_OUTCOME=hold`). */
  | { status: 'unknown'; error: string }
  /** The item was not claimable: another attempt holds it, or it is finished. */
  | { status: 'not_pending'; current?: OutboxStatus };

export interface OutboxWorkerDeps {
  outbox: OutboxStore;
  conversations: ConversationStore;
  escalations: EscalationStore;
  events: CoreEventEmitter;
  logger: Logger;
  clock: () => Date;
  policy: RetryPolicy;
  delivery: DeliveryPolicyConfig;
  pool: SendPoolOptions;
  tracker: WorkTracker;
  /** This instance's id, recorded with each claim. */
  owner: string;
  /** How long a claim holds without renewal. */
  leaseMs: number;
  /** Items a second the sweeper claims per channel (announcements' pace); absent: no cap. */
  sweepRatePerSecond?: Partial<Record<ChannelName, number>>;
  /** Time between sweeps (the rate's burst: one interval's worth). */
  sweepMs?: number;
}

function describe(err: unknown): string {
  if (err instanceof ChannelSendError) return `${err.message}${err.code !== undefined ? ` (code ${err.code})` : ''}`;
  return err instanceof Error ? err.message : String(err);
}

/** Waits between tries of recording a successful send. */
const RECORD_RETRIES_MS = [100, 500, 2_000];

/**
 * Step 6: sends what the outbox holds. Each attempt first claims the item under a lease
 * (pending → sending), so an item is never sent by two instances at once, and one whose
 * instance died is taken over when its lease runs out. Sends run in a bounded pool per
 * channel, apart from the answering slots. A retryable failure waits with backoff and
 * jitter until the channel's window closes; a permanent one, or the window's end, makes the
 * item a dead letter with its reason. A send whose outcome is unknown is counted and
 * resent after a pause, or held (`DeliveryPolicyConfig.onUnknown`).
 */
export class OutboxWorker {
  private readonly senders = new Map<ChannelName, ChannelSender>();
  private readonly pools = new Map<ChannelName, ChannelSendPool>();
  /** Items this instance has claimed and not finished: their leases are renewed. */
  private readonly held = new Set<number>();
  /** Sends the channel accepted whose `markSent` failed: recorded again before anything else. */
  private readonly unrecorded = new Map<number, { item: OutboxItem; channelMessageIds: string[] }>();
  /** Held items whose request has started (the rest can be handed back at a stop). */
  private readonly sending = new Set<number>();
  /** Held items handed back by `release()`: no longer this instance's to change. */
  private readonly released = new Set<number>();
  private stopping = false;
  private readonly rates = new Map<ChannelName, ClaimRate>();

  constructor(private readonly deps: OutboxWorkerDeps) {
    for (const [channel, perSecond] of Object.entries(deps.sweepRatePerSecond ?? {}) as [ChannelName, number][]) {
      this.rates.set(channel, new ClaimRate(perSecond, () => deps.clock().getTime(), (deps.sweepMs ?? 1000) / 1000));
    }
  }

  registerSender(sender: ChannelSender): void {
    this.senders.set(sender.channel, sender);
    this.pools.set(sender.channel, new ChannelSendPool(sender, this.deps.pool, () => this.deps.clock().getTime()));
  }

  /** Items held (claimed and not finished) by this instance, for lease renewal. */
  heldIds(): number[] {
    return [...this.held];
  }

  lease(): Lease {
    return { owner: this.deps.owner, until: new Date(this.deps.clock().getTime() + this.deps.leaseMs) };
  }

  start(): void {
    this.stopping = false;
  }

  /** Stops taking items; sends already waiting in a pool are handed back by `release`. */
  stop(): void {
    this.stopping = true;
  }

  /** Hands back what this instance holds and has not started sending, so others can take it at once. */
  async release(): Promise<number> {
    const waiting = [...this.held].filter((id) => !this.sending.has(id));
    let n = 0;
    for (const id of waiting) {
      const item = await this.deps.outbox.get(id);
      if (item?.status !== 'sending' || item.claimedBy !== this.deps.owner) continue;
      this.released.add(id);
      await this.deps.outbox.markRetry(id, item.lastError ?? 'handed back at shutdown', this.deps.clock(), this.deps.clock(), { notAttempted: true });
      n += 1;
    }
    return n;
  }

  /** Queues an item for sending in the background (its claim happens now). */
  dispatch(id: number): void {
    void this.deps.tracker.run(() => this.attempt(id));
  }

  /**
   * One sweep: claims due items (and items whose holder's lease ran out) for every channel
   * with a sender and room in its pool, page after page until the pools are full or nothing
   * is due. Returns how many it claimed.
   */
  async sweep(): Promise<number> {
    await this.recordUnrecorded();
    let claimed = 0;
    for (const channel of CHANNELS) {
      const pool = this.pools.get(channel);
      if (!pool || this.stopping) continue;
      for (;;) {
        const rate = this.rates.get(channel);
        const room = Math.min(pool.room(), rate ? rate.available() : Infinity);
        if (room <= 0) break;
        const items = await this.deps.outbox.claimDue(this.lease(), this.deps.clock(), Math.min(room, 200), [channel]);
        rate?.take(items.length);
        for (const item of items) void this.deps.tracker.run(() => this.run(item).catch((err: unknown) => this.logError(err, item.id)));
        claimed += items.length;
        if (items.length < Math.min(room, 200)) break;
      }
    }
    return claimed;
  }

  /** Retries recording sends the channel accepted (after a database error). */
  async recordUnrecorded(): Promise<void> {
    for (const [id, { item, channelMessageIds }] of [...this.unrecorded]) {
      await this.deps.outbox.markSent(id, channelMessageIds, this.deps.clock());
      this.unrecorded.delete(id);
      this.held.delete(id);
      await this.announceSent(item, channelMessageIds);
    }
  }

  /** Sends the channel accepted that are not recorded yet (their ids, for the logs at shutdown). */
  unrecordedIds(): number[] {
    return [...this.unrecorded.keys()];
  }

  /** A background attempt: nobody awaits it, so its errors end here. */
  private async attempt(id: number): Promise<void> {
    try {
      await this.deliver(id);
    } catch (err) {
      this.logError(err, id);
    }
  }

  private logError(err: unknown, id: number): void {
    this.deps.logger.error({ err, outboxId: id }, 'outbox attempt failed');
  }

  /** One attempt, now, whatever its scheduled time. */
  async deliver(id: number): Promise<DeliveryOutcome> {
    const { outbox, clock } = this.deps;
    if (this.stopping) return { status: 'not_pending', current: (await outbox.get(id))?.status };
    const item = await outbox.claim(id, this.lease(), clock());
    if (!item) return { status: 'not_pending', current: (await outbox.get(id))?.status };
    return this.run(item);
  }

  /** Sends a claimed item through its channel's pool and records what came of it. */
  private async run(item: ClaimedOutboxItem): Promise<DeliveryOutcome> {
    const { logger, delivery } = this.deps;
    this.held.add(item.id);
    try {
      if (item.interrupted) {
        // Its sender died mid-send: the citizen may have it already.
        logger.warn({ outboxId: item.id, channel: item.channel, unknownOutcomes: item.unknownOutcomes }, 'outbox: taking over a send whose outcome is unknown');
        this.deps.events.emit('message.unknown', { ...this.event(item), error: 'the instance sending it stopped', unknownOutcomes: item.unknownOutcomes, cause: 'interrupted' });
        if (delivery.onUnknown === 'hold') return await this.hold(item, 'the instance sending it stopped before the channel answered');
      }
      const pool = this.pools.get(item.channel);
      // Retryable: a channel may register just after start-up.
      if (!pool) return await this.failed(item, new ChannelSendError(`no sender registered for channel ${item.channel}`, true), false);
      if (this.stopping) return await this.handBack(item);
      const attempt: SendAttempt = await pool.send(item.recipient, item.message, (ids) => void this.lateSuccess(item, ids), () => {
        if (this.stopping) return true;
        this.sending.add(item.id);
        return false;
      });
      if (this.stopping && attempt.status === 'circuit_open') return await this.handBack(item);
      switch (attempt.status) {
        case 'withdrawn':
          return await this.handBack(item);
        case 'sent':
          await this.sent(item, attempt.channelMessageIds);
          return { status: 'sent', channelMessageIds: attempt.channelMessageIds };
        case 'circuit_open':
          return await this.deferred(item, attempt.retryAt);
        case 'error':
          return await this.failed(item, attempt.error, attempt.unknown);
        default:
          throw new Error('unreachable');
      }
    } finally {
      this.sending.delete(item.id);
      this.released.delete(item.id);
      if (!this.unrecorded.has(item.id)) this.held.delete(item.id);
    }
  }

  /** Stopping: the item goes back to pending for whoever runs next. */
  private async handBack(item: OutboxItem): Promise<DeliveryOutcome> {
    const now = this.deps.clock();
    if (!this.released.has(item.id)) await this.deps.outbox.markRetry(item.id, item.lastError ?? 'handed back at shutdown', now, now, { notAttempted: true });
    return { status: 'retrying', error: 'handed back at shutdown', retryInMs: 0 };
  }

  /** The channel's breaker is open: wait for it without counting a failure (the sweeper picks the item up). */
  private async deferred(item: OutboxItem, retryAt: number): Promise<DeliveryOutcome> {
    const now = this.deps.clock();
    const error = `${item.channel}: paused after repeated failures (circuit open)`;
    await this.deps.outbox.markRetry(item.id, item.lastError ?? error, new Date(Math.max(retryAt, now.getTime())), now, { notAttempted: true });
    return { status: 'retrying', error, retryInMs: Math.max(0, retryAt - now.getTime()) };
  }

  /** A send that timed out was answered after all: its outcome is known now. */
  private async lateSuccess(item: OutboxItem, channelMessageIds: string[]): Promise<void> {
    try {
      const current = await this.deps.outbox.get(item.id);
      if (!current || current.status === 'sent' || current.status === 'sending') return;
      await this.deps.outbox.markSent(item.id, channelMessageIds, this.deps.clock());
      this.deps.logger.info({ outboxId: item.id }, 'outbox: a send that timed out was accepted after all');
      await this.announceSent(item, channelMessageIds);
    } catch (err) {
      this.logError(err, item.id);
    }
  }

  /**
   * Records a send the channel accepted. A database error must not make it look unsent
   * (it would be sent again): the record is retried, then kept in memory and retried by
   * every sweep, while the item's lease is renewed.
   */
  private async sent(item: OutboxItem, channelMessageIds: string[]): Promise<void> {
    const { outbox, clock, logger } = this.deps;
    for (let i = 0; ; i++) {
      try {
        await outbox.markSent(item.id, channelMessageIds, clock());
        break;
      } catch (err) {
        if (i >= RECORD_RETRIES_MS.length) {
          this.unrecorded.set(item.id, { item, channelMessageIds });
          logger.error({ err, outboxId: item.id }, 'outbox: sent, but recording it failed; will record it again');
          return;
        }
        await new Promise((r) => setTimeout(r, RECORD_RETRIES_MS[i]));
      }
    }
    await this.announceSent(item, channelMessageIds);
  }

  private async announceSent(item: OutboxItem, channelMessageIds: string[]): Promise<void> {
    const { escalations, events, clock } = this.deps;
    events.emit('message.sent', { ...this.event(item), channelMessageIds });
    if (item.escalationId && item.message.kind === 'spokesperson_reply') {
      const change = await escalations.apply(item.escalationId, { type: 'delivered' }, SYSTEM_ACTOR, clock());
      if (change.ok) events.emit('escalation.updated', change.escalation);
      else this.deps.logger.warn({ escalationId: item.escalationId, refused: change.reason }, 'outbox: reply sent, but the escalation refused it as delivered');
    }
  }

  private async hold(item: OutboxItem, error: string): Promise<DeliveryOutcome> {
    await this.deps.outbox.markUnknown(item.id, error, this.deps.clock());
    this.deps.logger.warn({ outboxId: item.id, error }, 'outbox: outcome unknown, held as a dead letter');
    await this.deadLetter(item, `outcome unknown: ${error}`);
    return { status: 'unknown', error };
  }

  private async failed(item: ClaimedOutboxItem, err: unknown, unknown: boolean): Promise<DeliveryOutcome> {
    const { outbox, events, logger, clock, policy, delivery, tracker } = this.deps;
    const error = describe(err);
    // Unknown errors (a dropped connection, a bug in an adapter) are treated as passing.
    const retryable = !(err instanceof ChannelSendError) || err.retryable;
    const isReply = item.escalationId !== undefined && item.message.kind === 'spokesperson_reply';

    if (unknown) {
      logger.warn({ outboxId: item.id, channel: item.channel, error }, 'outbox: send outcome unknown');
      events.emit('message.unknown', { ...this.event(item), error, unknownOutcomes: item.unknownOutcomes + 1, cause: 'timeout' });
      if (delivery.onUnknown === 'hold') return this.hold(item, error);
    }

    const now = clock();
    const retryAfterMs = err instanceof ChannelSendError ? err.retryAfterMs : undefined;
    let retryInMs = retryDelay(policy, item.attempts, retryAfterMs);
    if (unknown) retryInMs = Math.max(retryInMs, delivery.unknownResendAfterMs);
    const withinWindow = now.getTime() + retryInMs <= deliveryDeadline(item, delivery);
    if (retryable && item.attempts < policy.maxAttempts && withinWindow) {
      await outbox.markRetry(item.id, error, new Date(now.getTime() + retryInMs), now, { unknown });
      tracker.later(retryInMs, () => this.attempt(item.id));
      logger.warn({ outboxId: item.id, attempt: item.attempts, retryInMs, error }, 'send failed; will retry');
      if (isReply) await this.escalationProblem(item.escalationId as string, 'pending', error);
      events.emit('message.failed', { ...this.event(item), error, willRetry: true, retryInMs });
      return { status: 'retrying', error, retryInMs, ...(unknown ? { unknown } : {}) };
    }

    const final = !retryable
      ? error
      : withinWindow
        ? `${error} (gave up after ${item.attempts} attempts)`
        : `${error} (gave up: the ${item.channel} delivery window closed after ${item.attempts} attempts)`;
    if (unknown) await outbox.markUnknown(item.id, final, now);
    else await outbox.markFailed(item.id, final, now);
    logger.error({ outboxId: item.id, attempts: item.attempts, error: final }, 'send failed for good (dead letter)');
    await this.deadLetter(item, final);
    return { status: 'failed', error: final };
  }

  /** Records a dead letter's reason on its turn or escalation and announces it. */
  private async deadLetter(item: OutboxItem, reason: string): Promise<void> {
    if (item.turnId) await this.deps.conversations.recordDeliveryError(item.turnId, reason);
    if (item.escalationId !== undefined && item.message.kind === 'spokesperson_reply') await this.escalationProblem(item.escalationId, 'failed', reason);
    this.deps.events.emit('message.failed', { ...this.event(item), error: reason, willRetry: false });
  }

  /** A reply's failed send, on its escalation: still being retried (`pending`) or given up (`failed`). A late report after delivery is refused there. */
  private async escalationProblem(escalationId: string, status: 'pending' | 'failed', error: string): Promise<void> {
    const event = status === 'pending' ? ({ type: 'delivery_retrying', error } as const) : ({ type: 'delivery_failed', error } as const);
    const change = await this.deps.escalations.apply(escalationId, event, SYSTEM_ACTOR, this.deps.clock());
    if (change.ok) this.deps.events.emit('escalation.updated', change.escalation);
  }

  private event(item: OutboxItem): MessageEvent {
    return {
      outboxId: item.id,
      channel: item.channel,
      recipient: item.recipient,
      message: item.message,
      escalationId: item.escalationId,
      turnId: item.turnId,
    };
  }
}
