import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { z } from 'zod';
import type { Answerer } from '../../retrieval/types.ts';
import type { BotStorage, InboxItem } from './ports.ts';
import type { ConsultationStore } from '../../consultations/ports.ts';
import type { Citation } from '../../domain/citation.ts';
import { holderOf, officerActor, stateOf, type EscalationActor, type EscalationRefusal } from '../../domain/escalation.ts';
import type { Escalation, EscalationChange } from '../../storage/escalation-store.ts';
import { ConsultationChat } from '../../consultations/chat.ts';
import { ConsultationService } from '../../consultations/service.ts';
import type { PipelineContext } from './context.ts';
import { CoreEventEmitter } from './events.ts';
import { handleMessage } from './handle-message.ts';
import { DEFAULT_DELIVERY_POLICY, type DeliveryPolicyConfig } from './delivery-policy.ts';
import { DEFAULT_HISTORY_POLICY, type HistoryPolicy } from './history.ts';
import { spokespersonReplyText } from './messages.ts';
import { OutboxWorker, type DeliveryOutcome } from './outbox-worker.ts';
import { recipientInput, recordIncoming } from './pipeline/record-incoming.ts';
import { DEFAULT_ESCALATION_CAPS, EscalationLimit, type EscalationCaps, type EscalationLimiterFactory } from './pipeline/escalation-limit.ts';
import { RateLimit } from './pipeline/rate-limit.ts';
import { DEFAULT_RETRY_POLICY, retryDelay, type RetryPolicy } from './retry-policy.ts';
import { DEFAULT_SEND_POOL, type SendPoolOptions } from './send-pool.ts';
import { Sweeper } from './sweeper.ts';
import { PRUNE_BATCH } from '../../storage/privacy-store.ts';
import type { ChannelSender, MessageReceiver } from './types.ts';
import type { IncomingMessage, OutgoingMessage, Recipient } from '../../domain/channel.ts';
import { WorkTracker } from './work-tracker.ts';
import { Slots } from './slots.ts';
import { DEFAULT_LOOP_GUARD, LoopGuard, type LoopGuardOptions } from './loop-guard.ts';

export interface ConversationCoreOptions {
  answerer: Answerer;
  storage: BotStorage;
  logger: Logger;
  config: {
    /** `LOA_RATE_LIMIT_PER_MINUTE`. */
    rateLimitPerMinute: number;
    /** `LOA_AGENCY_NAME`. */
    agencyName: string;
    retry?: Partial<RetryPolicy>;
    history?: Partial<HistoryPolicy>;
    /**
     * Messages in the pipeline at once (`LOA_PIPELINE_CONCURRENCY`, default 4). Unbounded, a
     * burst starts every pipeline together and webhook acknowledgements wait behind all of them.
     */
    concurrency?: number;
    /**
     * How the pipeline gives way to webhooks when the event loop runs late (`LOA_PIPELINE_MAX_LOOP_DELAY_MS`):
     * `targetDelayMs: 0` keeps `concurrency` fixed.
     */
    loopGuard?: Partial<Omit<LoopGuardOptions, 'maxSlots'>>;
    /** Channel windows and what to do with unknown outcomes (`LOA_DELIVERY_MAX_AGE_HOURS`, `LOA_UNKNOWN_OUTCOME`). */
    delivery?: Partial<DeliveryPolicyConfig>;
    /** Items a second the sweeper claims per channel, so announcements keep each channel's pace (absent: no cap). */
    sweepRatePerSecond?: Partial<Record<import('./types.ts').ChannelName, number>>;
    /** Each channel's send pool (`LOA_SEND_CONCURRENCY`, `LOA_SEND_TIMEOUT_MS`). */
    send?: Partial<SendPoolOptions>;
    /** Durable work: claims, the sweeper, retention. */
    durability?: Partial<DurabilityOptions>;
    /** Escalations per hour per citizen and per network origin (`LOA_ESCALATIONS_PER_CITIZEN_PER_HOUR`, `LOA_ESCALATIONS_PER_IP_PER_HOUR`). */
    escalationCaps?: EscalationCaps;
  };
  /** Time source for timestamps and history windows (tests pass a fixed one). */
  clock?: () => Date;
  /** Subscriptions and announcements (proactive/); absent: none. */
  proactive?: import('../../proactive/ports.ts').ProactiveStore;
  /**
   * The per-citizen limiter (its `points` per minute is the limit). In process memory with
   * `rateLimitPerMinute` when absent; several instances pass a shared one (`openCoordination`).
   */
  rateLimiter?: RateLimiterAbstract;
  /** Makes the escalation caps' limiters; in process memory when absent, shared (Redis) with several instances. */
  escalationLimiter?: EscalationLimiterFactory;
  /** Consultations on drafts: with it, "góp ý dự thảo" works on every channel. */
  consultations?: ConsultationStore;
}

/** How this instance shares durable work with the others. */
export interface DurabilityOptions {
  /** This instance's id, recorded with its claims (default: host, process id and a random part). */
  instanceId: string;
  /** How long a claim holds without renewal; a dead instance's work waits this long (default 60 s). */
  leaseMs: number;
  /** Time between sweeps: lease renewal, claiming waiting work, retention (default 2 s). */
  sweepMs: number;
  /** Inbox events held in memory at most; the rest wait in the database for any instance (default 2,000). */
  inboxBacklog: number;
  /** Handling attempts before an event is given up on (default 8). */
  inboxMaxAttempts: number;
  /** Handled events and finished deliveries are deleted after this long (`LOA_RETENTION_DAYS`; 0: kept). */
  retentionMs: number;
  /**
   * Citizens' personal data is erased after this long (`LOA_PERSONAL_DATA_RETENTION_DAYS`; 0:
   * kept): texts of turns and finished escalations, web chat transcripts, labelled examples.
   * Needs `storage.privacy`.
   */
  personalDataRetentionMs: number;
}

const DAY = 86_400_000;

/**
 * What a reply or proactive message came to. `willRetry`: it failed for now, and the outbox
 * tries again. `refused`: nothing was sent, for that reason (`invalid_reply`: the input broke
 * the contract); `error` then says it in English for logs.
 */
export interface DeliveryResult {
  delivered: boolean;
  error?: string;
  willRetry?: boolean;
  refused?: EscalationRefusal | 'invalid_reply';
}

/** The actor of the core's escalation methods: an officer's email (a spokesperson) or an actor. */
export type EscalationActorInput = string | EscalationActor;
const toActor = (a: EscalationActorInput): EscalationActor => (typeof a === 'string' ? officerActor(a) : a);

const replyInput = z.object({
  text: z.string().trim().min(1).max(10_000),
  citations: z.array(z.custom<Citation>((c) => typeof c === 'object' && c !== null && 'id' in c)).optional(),
  officer: z.string().trim().min(1).max(256),
});

/** The refusals, in English, for logs and audit records. */
const REFUSALS: Record<EscalationRefusal, string> = {
  not_found: 'escalation not found',
  claimed_by_other: 'escalation is claimed by another officer',
  answer_in_progress: 'a reply is already being delivered',
  already_answered: 'escalation is already answered',
  already_closed: 'escalation is closed',
  nothing_to_retry: 'no reply has been recorded for this escalation',
  not_allowed: 'not allowed',
};
const refused = (reason: EscalationRefusal): DeliveryResult => ({ delivered: false, refused: reason, error: REFUSALS[reason] });

function toResult(outcome: DeliveryOutcome): DeliveryResult {
  switch (outcome.status) {
    case 'sent':
      return { delivered: true };
    case 'retrying':
      return { delivered: false, error: outcome.error, willRetry: true };
    case 'failed':
      return { delivered: false, error: outcome.error };
    case 'unknown':
      return { delivered: false, error: `outcome unknown: ${outcome.error}` };
    case 'not_pending':
      return outcome.current === 'sent'
        ? { delivered: true }
        : { delivered: false, error: 'delivery already in progress', willRetry: outcome.current === 'sending' };
  }
}

/**
 * The conversation core: one pipeline for every channel. Adapters hand it incoming events
 * (`receive`) and register their senders; it answers from the official documents,
 * escalates to spokespeople, and delivers every reply through a durable outbox.
 *
 * Follow one message: `receive()` → `pipeline/record-incoming.ts` → `handle-message.ts`
 * (which lists the remaining steps in order) → `outbox-worker.ts`.
 *
 * @example
 * const core = new ConversationCore({ answerer, storage, logger, config: { rateLimitPerMinute: 20, agencyName: 'Sở Tư pháp' } });
 * core.registerSender(zaloSender);
 * await core.start();
 * app.post('/webhooks/zalo', async (req, res) => { await core.receive(toIncoming(req.body)); res.sendStatus(200); });
 */
export class ConversationCore implements MessageReceiver {
  /** `escalation.created`, `escalation.updated`, `turn.recorded`, `message.sent`, `message.failed`. */
  readonly events: CoreEventEmitter;
  private readonly stores: BotStorage;
  private readonly logger: Logger;
  private readonly clock: () => Date;
  private readonly agencyName: string;
  private readonly tracker = new WorkTracker();
  private readonly worker: OutboxWorker;
  private readonly pipeline: PipelineContext;
  /** Inbox items claimed and queued in this process (their leases are renewed), so none is queued twice. */
  private readonly queued = new Set<number>();
  /** Of those, the ones being handled right now. */
  private readonly started = new Set<number>();
  private state: 'idle' | 'running' | 'stopped' = 'idle';
  private readonly slots: Slots;
  private readonly loopGuard: LoopGuard | undefined;
  private readonly durability: DurabilityOptions;
  private readonly sweeper: Sweeper;
  private lastPrune = 0;
  private lastRenew = 0;

  constructor(options: ConversationCoreOptions) {
    this.stores = options.storage;
    this.logger = options.logger;
    this.clock = options.clock ?? (() => new Date());
    this.agencyName = options.config.agencyName;
    this.events = new CoreEventEmitter(this.logger);
    this.slots = new Slots(options.config.concurrency ?? 4);
    const guard = { ...DEFAULT_LOOP_GUARD, ...options.config.loopGuard, maxSlots: this.slots.limit };
    this.loopGuard = guard.targetDelayMs > 0 ? new LoopGuard(this.slots, guard) : undefined;
    this.durability = {
      instanceId: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
      leaseMs: 60_000,
      sweepMs: 2_000,
      inboxBacklog: 2_000,
      inboxMaxAttempts: 8,
      retentionMs: 0,
      personalDataRetentionMs: 0,
      ...options.config.durability,
    };
    this.sweeper = new Sweeper(() => this.sweep(), this.durability.sweepMs, this.logger);
    this.worker = new OutboxWorker({
      outbox: this.stores.outbox,
      conversations: this.stores.conversations,
      escalations: this.stores.escalations,
      events: this.events,
      logger: this.logger,
      clock: this.clock,
      policy: { ...DEFAULT_RETRY_POLICY, ...options.config.retry },
      delivery: { ...DEFAULT_DELIVERY_POLICY, ...options.config.delivery },
      pool: { ...DEFAULT_SEND_POOL, ...options.config.send },
      tracker: this.tracker,
      owner: this.durability.instanceId,
      leaseMs: this.durability.leaseMs,
      sweepRatePerSecond: options.config.sweepRatePerSecond,
      sweepMs: this.durability.sweepMs,
    });
    this.pipeline = {
      stores: this.stores,
      answerer: options.answerer,
      rateLimit: new RateLimit(options.config.rateLimitPerMinute, options.rateLimiter),
      escalationLimit: new EscalationLimit(options.config.escalationCaps ?? DEFAULT_ESCALATION_CAPS, options.escalationLimiter),
      outbox: this.worker,
      events: this.events,
      logger: this.logger,
      clock: this.clock,
      agencyName: this.agencyName,
      history: { ...DEFAULT_HISTORY_POLICY, ...options.config.history },
      proactive: options.proactive,
      ...(options.consultations
        ? { consultations: new ConsultationChat(new ConsultationService({ store: options.consultations, clock: this.clock }), this.clock) }
        : {}),
    };
  }

  /** This instance's id, as recorded with its claims. */
  get instanceId(): string {
    return this.durability.instanceId;
  }

  /** Adds (or replaces) the sender of a channel. */
  registerSender(sender: ChannelSender): void {
    this.worker.registerSender(sender);
  }

  /**
   * Stores the event and returns; the answer is worked out in the background, so a webhook
   * can acknowledge at once. While running, the event is stored already claimed by this
   * instance. A re-delivered event resolves `{ duplicate: true }` and is otherwise ignored.
   * Before `start()` events are stored but wait. Throws `InvalidIncomingMessageError` for an
   * event that breaks the contract.
   */
  async receive(message: IncomingMessage): Promise<{ duplicate: boolean }> {
    const claim = this.state === 'running' && this.queued.size < this.durability.inboxBacklog ? this.inboxLease() : undefined;
    const result = await recordIncoming(this.stores.inbox, message, this.clock(), claim);
    if (result.duplicate) {
      this.logger.debug({ channel: message.channel, channelMessageId: message.channelMessageId }, 'duplicate delivery ignored');
      return { duplicate: true };
    }
    if (claim) this.enqueue(result.item);
    return { duplicate: false };
  }

  /**
   * Starts handling: the sweeper claims inbox events and outbox messages nobody holds
   * (waiting, or left by a stopped or dead instance once its lease ran out), now and every
   * `sweepMs`, with no cap.
   */
  async start(): Promise<void> {
    if (this.state === 'running') return;
    this.state = 'running';
    this.tracker.resume();
    this.worker.start();
    this.loopGuard?.start();
    this.sweeper.start();
    await this.sweeper.now();
  }

  /**
   * Stops taking work: events not started yet and sends not made are handed back (their
   * claims released, so another instance takes them at once; scheduled retries stay in the
   * outbox); resolves when running work has finished.
   */
  async stop(): Promise<void> {
    if (this.state !== 'running') return;
    this.state = 'stopped';
    this.worker.stop();
    this.loopGuard?.stop();
    await this.sweeper.stop();
    this.tracker.pause();
    // What has not started goes back now, so others need not wait for the work in progress.
    const waiting = [...this.queued].filter((id) => !this.started.has(id));
    await this.stores.inbox.release(this.instanceId, waiting).catch((err: unknown) => this.logger.warn({ err }, 'stopping: could not hand waiting events back'));
    await this.worker.release().catch((err: unknown) => this.logger.warn({ err }, 'stopping: could not hand waiting sends back'));
    await this.tracker.idle();
    try {
      await this.worker.recordUnrecorded();
    } catch (err) {
      this.logger.error({ err, outboxIds: this.worker.unrecordedIds() }, 'stopping: sends the channel accepted could not be recorded; they may be sent again');
    }
    try {
      const [events, messages] = [await this.stores.inbox.release(this.instanceId), await this.worker.release()];
      if (events || messages) this.logger.info({ events, messages }, 'stopping: unfinished work handed back');
    } catch (err) {
      this.logger.warn({ err }, 'stopping: could not hand work back; others take it when the leases run out');
    }
  }

  /** Resolves when every queued event is handled and every send has succeeded or given up, retries included. */
  async drain(): Promise<void> {
    await this.tracker.idle();
  }

  /** Runs one sweep now (tests, and after a burst). */
  async sweepNow(): Promise<void> {
    await this.sweeper.now();
  }

  /** Claims an escalation for an officer (exclusive) and announces the change. */
  async claimEscalation(id: string, officer: EscalationActorInput): Promise<EscalationChange> {
    return this.announce(await this.stores.escalations.apply(id, { type: 'claim' }, toActor(officer), this.clock()));
  }

  /** An administrator hands an escalation to `officer`, whoever held it; announces the change. */
  async assignEscalation(id: string, officer: string, admin: EscalationActor): Promise<EscalationChange> {
    return this.announce(await this.stores.escalations.apply(id, { type: 'assign', officer }, admin, this.clock()));
  }

  /** Closes an escalation without a reply (duplicate, out of scope …) and announces the change. Only its holder or an administrator closes a claimed one. */
  async closeEscalation(id: string, reason: string, by: EscalationActorInput): Promise<EscalationChange> {
    return this.announce(await this.stores.escalations.apply(id, { type: 'close', reason }, toActor(by), this.clock()));
  }

  /**
   * Sends a spokesperson's reply to the citizen on the channel they asked on. The reply is
   * stored first, moving the escalation to `answering` in one conditional update: of two
   * concurrent replies exactly one is stored and sent, the other is `refused`. The
   * escalation becomes `answered` once the channel accepted it. A failure is recorded on the
   * escalation; retryable ones are retried by the outbox, and `retryDelivery` tries again on demand.
   */
  async replyToEscalation(escalationId: string, reply: { text: string; citations?: Citation[]; officer: string }): Promise<DeliveryResult> {
    const input = replyInput.safeParse(reply);
    if (!input.success) {
      return { delivered: false, refused: 'invalid_reply', error: `invalid reply: ${input.error.issues.map((i) => i.message).join('; ')}` };
    }
    const { text, officer } = input.data;
    const citations = input.data.citations ?? [];
    const change = this.announce(await this.stores.escalations.apply(escalationId, { type: 'answer', text, citations }, officerActor(officer), this.clock()));
    if (!change.ok) return refused(change.reason);
    return this.sendReply(change.escalation);
  }

  /**
   * Tries again to deliver a spokesperson's reply whose delivery failed (or is waiting for a
   * retry). `by`: its holder or an administrator; concurrent retries send it once.
   */
  async retryDelivery(escalationId: string, by: EscalationActorInput): Promise<DeliveryResult> {
    const escalation = await this.stores.escalations.get(escalationId);
    if (!escalation) return refused('not_found');
    const state = stateOf(escalation);
    if (state === 'answered') return { delivered: true };
    if (state === 'closed') return refused('already_closed');
    const actor = toActor(by);
    // Only its holder or an administrator may push a delivery (the `retry` transition checks the same).
    if (state === 'answering' && (actor.kind !== 'officer' || (!actor.admin && holderOf(escalation) !== actor.email))) return refused('claimed_by_other');
    const last = await this.stores.outbox.latestReply(escalationId);
    if (last?.status === 'sent') {
      // It got through after all (recorded late): only the record is behind.
      this.announce(await this.stores.escalations.apply(escalationId, { type: 'delivered' }, { kind: 'system' }, this.clock()));
      return { delivered: true };
    }
    if (state !== 'answering') {
      const change = this.announce(await this.stores.escalations.apply(escalationId, { type: 'retry' }, actor, this.clock()));
      if (!change.ok) return refused(change.reason);
    }
    if (last?.status === 'unknown') {
      await this.stores.outbox.resend([last.id], this.clock());
      return toResult(await this.tracker.run(() => this.worker.deliver(last.id)));
    }
    if (last && (last.status === 'pending' || last.status === 'sending')) return toResult(await this.tracker.run(() => this.worker.deliver(last.id)));
    if (last?.status === 'failed') {
      const again = await this.stores.outbox.enqueue(
        { key: `escalation:${escalationId}:reply:${randomUUID()}`, recipient: last.recipient, message: last.message, turnId: last.turnId, escalationId },
        this.clock(),
      );
      return toResult(await this.tracker.run(() => this.worker.deliver(again.id)));
    }
    // Answering with nothing in the outbox: the process stopped between storing the reply and queueing it.
    const current = await this.stores.escalations.get(escalationId);
    return current ? this.sendReply(current) : refused('not_found');
  }

  /** Records the stored reply of an `answering` escalation as a turn, queues it and delivers it. */
  private async sendReply(escalation: Escalation): Promise<DeliveryResult> {
    const now = this.clock();
    const text = escalation.answerText ?? '';
    const citations = escalation.answerCitations ?? [];
    const replyTo = await this.sourceMessageId(escalation.sourceKey);
    const message: OutgoingMessage = {
      kind: 'spokesperson_reply',
      text: spokespersonReplyText(this.agencyName, escalation.question, text),
      answerId: randomUUID(),
      ...(citations.length ? { citations } : {}),
      // Replying to the citizen's own message keeps Zalo replies inside the free reply quota.
      ...(replyTo ? { replyToChannelMessageId: replyTo } : {}),
    };
    const turn = await this.stores.conversations.recordTurn({
      channel: escalation.channel,
      userId: escalation.recipient.userId,
      intent: 'spokesperson_reply',
      replyKind: message.kind,
      replyText: message.text,
      citations,
      answerId: message.answerId,
      escalated: true,
      escalationId: escalation.id,
      createdAt: now.toISOString(),
    });
    this.events.emit('turn.recorded', turn);
    const item = await this.stores.outbox.enqueue(
      { key: `escalation:${escalation.id}:reply:${randomUUID()}`, recipient: escalation.recipient, message, turnId: turn.id, escalationId: escalation.id },
      now,
    );
    return toResult(await this.tracker.run(() => this.worker.deliver(item.id)));
  }

  /** Sends a message Loa starts (not a reply to an event), through the outbox, and records it as a turn. */
  async sendToUser(recipient: Recipient, message: OutgoingMessage): Promise<DeliveryResult & { outboxId: number }> {
    const to = recipientInput.parse(recipient);
    const now = this.clock();
    const turn = await this.stores.conversations.recordTurn({
      channel: to.channel,
      userId: to.userId,
      intent: 'proactive',
      replyKind: message.kind,
      replyText: message.text,
      citations: message.citations,
      answerId: message.answerId,
      createdAt: now.toISOString(),
    });
    this.events.emit('turn.recorded', turn);
    const item = await this.stores.outbox.enqueue({ key: `proactive:${randomUUID()}`, recipient: to, message, turnId: turn.id }, now);
    return { outboxId: item.id, ...toResult(await this.tracker.run(() => this.worker.deliver(item.id))) };
  }

  /** The channel's id of the citizen message an escalation came from, when it came from one. */
  private async sourceMessageId(sourceKey: string | undefined): Promise<string | undefined> {
    const m = sourceKey ? /^inbox:(\d+)$/.exec(sourceKey) : null;
    if (!m) return undefined;
    return (await this.stores.inbox.get(Number(m[1])))?.message.channelMessageId;
  }

  private inboxLease() {
    return { owner: this.instanceId, until: new Date(this.clock().getTime() + this.durability.leaseMs) };
  }

  /** One sweep: record sends, renew leases, claim waiting work (page after page), prune. */
  private async sweep(): Promise<void> {
    if (this.state !== 'running') return;
    await this.worker.recordUnrecorded();
    // Renewed a third of a lease before it runs out, not at every sweep: fewer writes under load.
    const now = this.clock().getTime();
    if (now - this.lastRenew >= this.durability.leaseMs / 3) {
      this.lastRenew = now;
      await this.stores.inbox.renew([...this.queued], this.inboxLease());
      await this.stores.outbox.renew(this.worker.heldIds(), this.worker.lease());
    }
    let claimed = 0;
    while (this.state === 'running') {
      const room = Math.min(200, this.durability.inboxBacklog - this.queued.size);
      if (room <= 0) break;
      const items = await this.stores.inbox.claimNext(this.inboxLease(), this.clock(), room);
      for (const item of items) this.enqueue(item);
      claimed += items.length;
      if (items.length < room) break;
    }
    const messages = await this.worker.sweep();
    if (claimed || messages) this.logger.debug({ events: claimed, messages }, 'sweep claimed waiting work');
    await this.prune();
  }

  /** Deletes old handled events and finished deliveries, and erases old personal data, at most once an hour. */
  private async prune(): Promise<void> {
    const { retentionMs, personalDataRetentionMs } = this.durability;
    const now = this.clock().getTime();
    if ((retentionMs <= 0 && personalDataRetentionMs <= 0) || now - this.lastPrune < 3_600_000) return;
    this.lastPrune = now;
    if (retentionMs > 0) {
      const before = new Date(now - retentionMs);
      const events = await this.stores.inbox.prune(before);
      const messages = await this.stores.outbox.prune(before);
      if (events || messages) this.logger.info({ events, messages, olderThanDays: retentionMs / DAY }, 'retention: old inbox and outbox rows deleted');
    }
    if (personalDataRetentionMs > 0 && this.stores.privacy) {
      // In batches (short statements); a backlog of years is worked off over a few passes.
      const before = new Date(now - personalDataRetentionMs);
      const erased = { turns: 0, inbox: 0, outbox: 0, escalations: 0, webchatMessages: 0, examples: 0 };
      for (let round = 0; round < 20 && this.state === 'running'; round++) {
        const batch = await this.stores.privacy.prune(before, PRUNE_BATCH);
        for (const k of Object.keys(erased) as (keyof typeof erased)[]) erased[k] += batch[k];
        if (!Object.values(batch).some((n) => n >= PRUNE_BATCH)) break;
      }
      if (Object.values(erased).some((n) => n > 0)) {
        this.logger.info({ ...erased, olderThanDays: personalDataRetentionMs / DAY }, 'retention: citizens\' personal data erased (Decree 13/2023/NĐ-CP)');
      }
    }
  }

  /** Queues a claimed inbox event behind the same citizen's earlier ones. */
  private enqueue(item: InboxItem): void {
    if (this.queued.has(item.id)) return;
    this.queued.add(item.id);
    this.tracker.serial(`${item.channel}:${item.userId}`, async () => {
      try {
        // Stopped before its turn came: `stop()` hands it back.
        if (this.state !== 'running') return;
        await this.slots.use(async () => {
          // Waiting for a slot may outlast a stop: re-check before doing the work.
          if (this.state !== 'running') return;
          this.started.add(item.id);
          await handleMessage(this.pipeline, item);
        });
      } catch (err) {
        await this.handlingFailed(item, err);
      } finally {
        this.queued.delete(item.id);
        this.started.delete(item.id);
      }
    });
  }

  /**
   * A failure (often the database) must not strand the event: it is handed back with a
   * backoff for any instance to try again, and given up on only after several attempts. If
   * even that write fails, its lease runs out and a sweep takes it again.
   */
  private async handlingFailed(item: InboxItem, err: unknown): Promise<void> {
    const error = err instanceof Error ? err.message : String(err);
    const now = this.clock();
    try {
      if (item.attempts >= this.durability.inboxMaxAttempts) {
        this.logger.error({ err, inboxId: item.id, attempts: item.attempts }, 'handling a message failed; giving up');
        await this.stores.inbox.markFailed(item.id, error, now);
      } else {
        const delay = retryDelay({ ...DEFAULT_RETRY_POLICY, baseMs: 2_000 }, item.attempts);
        this.logger.error({ err, inboxId: item.id, attempt: item.attempts, retryInMs: delay }, 'handling a message failed; will retry');
        await this.stores.inbox.retryLater(item.id, this.instanceId, error, new Date(now.getTime() + delay));
      }
    } catch (e) {
      this.logger.warn({ err: e, inboxId: item.id }, 'could not hand a failed message back; it is retried when its lease runs out');
    }
  }

  private announce(change: EscalationChange): EscalationChange {
    if (change.ok) this.events.emit('escalation.updated', change.escalation);
    return change;
  }
}
