import { z } from 'zod';
import type { CoreEventEmitter } from '../bots/core/events.ts';
import { CHANNELS, type ChannelName, type OutgoingMessage } from '../bots/core/types.ts';
import type { AuditStore } from '../storage/audit-store.ts';
import type { OutboxStore } from '../storage/outbox-store.ts';
import { DEFAULT_PACE_PER_SECOND, RULE_TEXT, routeFor, type RouteDecision } from './channel-rules.ts';
import type { Announcement, ProactiveStore } from './ports.ts';

/** What an officer submits from the console (validated: outside input). */
export const NewAnnouncementInput = z.object({
  topicId: z.string().min(1).max(100),
  text: z.string().trim().min(1, 'Nội dung không được để trống').max(1800),
  link: z.url().max(500).optional(),
  imageUrl: z.url().max(500).optional(),
  channels: z.array(z.enum(CHANNELS)).default([]),
  area: z.string().trim().min(1).max(60).optional(),
  scheduledAt: z.iso.datetime({ offset: true }).optional(),
});
export type NewAnnouncementInput = z.input<typeof NewAnnouncementInput>;

export interface AnnouncementServiceDeps {
  store: ProactiveStore;
  outbox: OutboxStore;
  audit: AuditStore;
  clock: () => Date;
  agencyName: string;
  /** Zalo messages 48 h–7 d after the citizen's last message are paid; send them? */
  allowPaidZalo: boolean;
  /** Overall messages per second per channel (defaults: `DEFAULT_PACE_PER_SECOND`). */
  pacePerSecond?: Partial<Record<ChannelName, number>>;
}

/** Per channel: how many will receive it, by which route, and how many will not, by reason. */
export interface AnnouncementPlan {
  targeted: number;
  channels: Partial<Record<ChannelName, { send: number; routes: Record<string, number>; notSent: Record<string, number>; drainSeconds: number; preview: string }>>;
  /** The rule behind every route and reason that occurs, in the console's words. */
  explanations: Record<string, string>;
}

export type ApproveResult = { ok: true } | { ok: false; reason: 'not_found' | 'own_announcement' | 'not_pending' };

/** The citizen-facing text of an announcement (the same on every channel; adapters split what is too long). */
export function announcementText(a: Pick<Announcement, 'text' | 'link' | 'imageUrl'>, agencyName: string): string {
  const lines = [`📢 Thông báo của ${agencyName}`, '', a.text.trim()];
  if (a.link) lines.push('', `Văn bản chính thức: ${a.link}`);
  if (a.imageUrl) lines.push(`Hình ảnh: ${a.imageUrl}`);
  lines.push('', 'Nhắn "hủy đăng ký" để ngừng nhận tin.');
  return lines.join('\n');
}

/** The outbox key of one subscriber's copy: enqueuing it again (a restart, a second instance) keeps the first. */
export function deliveryKey(announcementId: string, channel: ChannelName, userId: string): string {
  return `announcement:${announcementId}:${channel}:${userId}`;
}

/**
 * Announcements from composition to the outbox: composed by one officer, approved by
 * another (four-eyes, compare-and-set), planned against each channel's rules, and queued to
 * the durable outbox with send times spread at each channel's pace. Every step is audited.
 */
export class AnnouncementService {
  constructor(private readonly deps: AnnouncementServiceDeps) {}

  async compose(input: NewAnnouncementInput, actor: string): Promise<Announcement> {
    const parsed = NewAnnouncementInput.parse(input);
    const now = this.deps.clock();
    const a = await this.deps.store.createAnnouncement({ ...parsed, createdBy: actor }, now);
    await this.deps.audit.append({ actor, action: 'announcement.create', target: `announcement:${a.id}`, details: { topicId: a.topicId, channels: a.channels, scheduledAt: a.scheduledAt } }, now);
    return a;
  }

  /** A second person approves; the author cannot, and of two approvers at once exactly one succeeds. */
  async approve(id: string, actor: string): Promise<ApproveResult> {
    const now = this.deps.clock();
    const a = await this.deps.store.getAnnouncement(id);
    if (!a) return { ok: false, reason: 'not_found' };
    if (a.createdBy === actor) return { ok: false, reason: 'own_announcement' };
    if (!(await this.deps.store.approve(id, actor, now))) return { ok: false, reason: 'not_pending' };
    await this.deps.audit.append({ actor, action: 'announcement.approve', target: `announcement:${id}` }, now);
    return { ok: true };
  }

  async cancel(id: string, actor: string): Promise<boolean> {
    const now = this.deps.clock();
    const ok = await this.deps.store.cancel(id, now);
    if (ok) await this.deps.audit.append({ actor, action: 'announcement.cancel', target: `announcement:${id}` }, now);
    return ok;
  }

  /** What each channel's rule means for this announcement, now (shown before approving). */
  async plan(id: string): Promise<AnnouncementPlan | undefined> {
    const a = await this.deps.store.getAnnouncement(id);
    if (!a) return undefined;
    const now = this.deps.clock();
    const subs = await this.deps.store.subscribers(a.topicId, { channels: a.channels, area: a.area });
    const plan: AnnouncementPlan = { targeted: subs.length, channels: {}, explanations: {} };
    const text = announcementText(a, this.deps.agencyName);
    for (const sub of subs) {
      const ch = (plan.channels[sub.channel] ??= { send: 0, routes: {}, notSent: {}, drainSeconds: 0, preview: text });
      const d = routeFor(sub, now, this.deps);
      const code = d.send ? d.route : d.reason;
      plan.explanations[code] = RULE_TEXT[code] ?? code;
      if (d.send) {
        ch.send += 1;
        ch.routes[d.route] = (ch.routes[d.route] ?? 0) + 1;
      } else ch.notSent[d.reason] = (ch.notSent[d.reason] ?? 0) + 1;
    }
    for (const [channel, ch] of Object.entries(plan.channels) as [ChannelName, NonNullable<AnnouncementPlan['channels'][ChannelName]>][]) {
      ch.drainSeconds = Math.ceil(ch.send / this.pace(channel));
    }
    return plan;
  }

  private pace(channel: ChannelName): number {
    return this.deps.pacePerSecond?.[channel] ?? DEFAULT_PACE_PER_SECOND[channel];
  }

  /**
   * Queues every due announcement (and resumes one whose queueing an instance left half
   * done). Returns the ids of new outbox items: nothing is sent here, the outbox's sweeper
   * sends each item when its time comes.
   */
  async queueDue(): Promise<number[]> {
    const now = this.deps.clock();
    const ids: number[] = [];
    for (const a of await this.deps.store.dueAnnouncements(now)) {
      if (!(await this.deps.store.startQueueing(a.id, now))) continue;
      ids.push(...(await this.queue(a, now)));
      await this.deps.store.finishQueueing(a.id, this.deps.clock());
      await this.deps.audit.append({ actor: 'system', action: 'announcement.queue', target: `announcement:${a.id}`, details: { outboxItems: ids.length } }, this.deps.clock());
    }
    return ids;
  }

  private async queue(a: Announcement, now: Date): Promise<number[]> {
    const { store, outbox } = this.deps;
    const subs = await store.subscribers(a.topicId, { channels: a.channels, area: a.area });
    const text = announcementText(a, this.deps.agencyName);
    const position: Partial<Record<ChannelName, number>> = {};
    // A resumed queueing keeps the first copies' times (the outbox keeps the first item per key).
    const start = now.getTime();
    const ids: number[] = [];
    for (const sub of subs) {
      const d: RouteDecision = routeFor(sub, now, this.deps);
      if (!d.send) {
        await store.recordDelivery({ announcementId: a.id, channel: sub.channel, userId: sub.userId, status: 'not_sent', reason: d.reason }, now);
        continue;
      }
      const i = (position[sub.channel] = (position[sub.channel] ?? -1) + 1);
      // The n-th copy on a channel goes out n / pace seconds after the start: the channel's pace, kept across restarts.
      const notBefore = new Date(Math.max(now.getTime(), start + Math.floor((i * 1000) / this.pace(sub.channel))));
      const message: OutgoingMessage = { kind: 'notice', text, ...(d.replyToChannelMessageId ? { replyToChannelMessageId: d.replyToChannelMessageId } : {}) };
      const item = await outbox.enqueue({ key: deliveryKey(a.id, sub.channel, sub.userId), recipient: sub.recipient, message, notBefore }, now);
      await store.recordDelivery({ announcementId: a.id, channel: sub.channel, userId: sub.userId, status: 'queued', route: d.route, outboxId: item.id }, now);
      ids.push(item.id);
    }
    return ids;
  }
}

/** Keeps deliveries in step with the outbox: sent, or failed for good with the channel's reason. Returns the unsubscriber. */
export function trackDeliveries(events: CoreEventEmitter, store: ProactiveStore): () => void {
  const offSent = events.on('message.sent', (e) => void store.settleDelivery(e.outboxId, { status: 'sent', channelMessageIds: e.channelMessageIds }));
  const offFailed = events.on('message.failed', (e) => {
    if (!e.willRetry) void store.settleDelivery(e.outboxId, { status: 'failed', reason: e.error });
  });
  return () => {
    offSent();
    offFailed();
  };
}
