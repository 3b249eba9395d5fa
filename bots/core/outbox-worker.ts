import type { Logger } from 'pino';
import type { ConversationStore } from '../../storage/conversation-store.ts';
import type { EscalationStore } from '../../storage/escalation-store.ts';
import type { OutboxItem, OutboxStatus, OutboxStore } from '../../storage/outbox-store.ts';
import type { CoreEventEmitter, MessageEvent } from './events.ts';
import { retryDelay, type RetryPolicy } from './retry-policy.ts';
import { ChannelSendError, type ChannelName, type ChannelSender } from './types.ts';
import type { WorkTracker } from './work-tracker.ts';

/** What one delivery attempt came to. */
export type DeliveryOutcome =
  | { status: 'sent'; channelMessageIds: string[] }
  | { status: 'retrying'; error: string; retryInMs: number }
  | { status: 'failed'; error: string }
  /** The item was not pending: another attempt holds it, or it is finished. */
  | { status: 'not_pending'; current?: OutboxStatus };

export interface OutboxWorkerDeps {
  outbox: OutboxStore;
  conversations: ConversationStore;
  escalations: EscalationStore;
  events: CoreEventEmitter;
  logger: Logger;
  clock: () => Date;
  policy: RetryPolicy;
  tracker: WorkTracker;
}

function describe(err: unknown): string {
  if (err instanceof ChannelSendError) return `${err.message}${err.code !== undefined ? ` (code ${err.code})` : ''}`;
  return err instanceof Error ? err.message : String(err);
}

/**
 * Step 6: sends what the outbox holds. Each attempt first claims the item (pending →
 * sending), so an item is never sent by two attempts at once. A retryable failure waits
 * with exponential backoff; a non-retryable one, or the last attempt, marks it failed and
 * records the error on its conversation turn or escalation.
 */
export class OutboxWorker {
  private readonly senders = new Map<ChannelName, ChannelSender>();

  constructor(private readonly deps: OutboxWorkerDeps) {}

  registerSender(sender: ChannelSender): void {
    this.senders.set(sender.channel, sender);
  }

  /** Puts items interrupted by a crash back in line and schedules every pending item. */
  async resume(): Promise<number> {
    const { outbox, clock, logger } = this.deps;
    const requeued = await outbox.requeueInterrupted(clock());
    if (requeued) logger.warn({ requeued }, 'outbox items interrupted while sending are sent again');
    const pending = await outbox.pending();
    for (const item of pending) this.schedule(item);
    return pending.length;
  }

  /** Attempts the item when it is due (now, or at its next attempt time). */
  schedule(item: OutboxItem): void {
    const delay = Math.max(0, Date.parse(item.nextAttemptAt) - this.deps.clock().getTime());
    if (delay === 0) void this.deps.tracker.run(() => this.attempt(item.id));
    else this.deps.tracker.later(delay, () => this.attempt(item.id));
  }

  /** A background attempt: nobody awaits it, so its errors end here. */
  private async attempt(id: number): Promise<void> {
    try {
      await this.deliver(id);
    } catch (err) {
      this.deps.logger.error({ err, outboxId: id }, 'outbox attempt failed');
    }
  }

  /** One attempt, now, whatever its scheduled time. */
  async deliver(id: number): Promise<DeliveryOutcome> {
    const { outbox, clock } = this.deps;
    const item = await outbox.claim(id, clock());
    if (!item) return { status: 'not_pending', current: (await outbox.get(id))?.status };

    let channelMessageIds: string[];
    try {
      const sender = this.senders.get(item.channel);
      // Retryable: a channel may register just after start-up.
      if (!sender) throw new ChannelSendError(`no sender registered for channel ${item.channel}`, true);
      ({ channelMessageIds } = await sender.send(item.recipient, item.message));
    } catch (err) {
      return this.failed(item, err);
    }
    await this.sent(item, channelMessageIds);
    return { status: 'sent', channelMessageIds };
  }

  private async sent(item: OutboxItem, channelMessageIds: string[]): Promise<void> {
    const { outbox, escalations, events, clock } = this.deps;
    await outbox.markSent(item.id, channelMessageIds, clock());
    events.emit('message.sent', { ...this.event(item), channelMessageIds });
    if (item.escalationId && item.message.kind === 'spokesperson_reply') {
      const escalation = await escalations.markDelivered(item.escalationId, clock());
      if (escalation) events.emit('escalation.updated', escalation);
    }
  }

  private async failed(item: OutboxItem, err: unknown): Promise<DeliveryOutcome> {
    const { outbox, conversations, events, logger, clock, policy, tracker } = this.deps;
    const error = describe(err);
    // Unknown errors (a dropped connection, a bug in an adapter) are treated as passing.
    const retryable = !(err instanceof ChannelSendError) || err.retryable;
    const isReply = item.escalationId !== undefined && item.message.kind === 'spokesperson_reply';

    if (retryable && item.attempts < policy.maxAttempts) {
      const retryAfterMs = err instanceof ChannelSendError ? err.retryAfterMs : undefined;
      const retryInMs = retryDelay(policy, item.attempts, retryAfterMs);
      const now = clock();
      await outbox.markRetry(item.id, error, new Date(now.getTime() + retryInMs), now);
      tracker.later(retryInMs, () => this.attempt(item.id));
      logger.warn({ outboxId: item.id, attempt: item.attempts, retryInMs, error }, 'send failed; will retry');
      if (isReply) await this.escalationProblem(item.escalationId as string, 'pending', error);
      events.emit('message.failed', { ...this.event(item), error, willRetry: true, retryInMs });
      return { status: 'retrying', error, retryInMs };
    }

    const final = retryable ? `${error} (gave up after ${item.attempts} attempts)` : error;
    await outbox.markFailed(item.id, final, clock());
    logger.error({ outboxId: item.id, attempts: item.attempts, error: final }, 'send failed for good');
    if (item.turnId) await conversations.recordDeliveryError(item.turnId, final);
    if (isReply) await this.escalationProblem(item.escalationId as string, 'failed', final);
    events.emit('message.failed', { ...this.event(item), error: final, willRetry: false });
    return { status: 'failed', error: final };
  }

  private async escalationProblem(escalationId: string, status: 'pending' | 'failed', error: string): Promise<void> {
    const escalation = await this.deps.escalations.markDeliveryProblem(escalationId, status, error, this.deps.clock());
    if (escalation) this.deps.events.emit('escalation.updated', escalation);
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
