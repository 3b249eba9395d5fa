import type { ConversationStore } from '../../bots/core/ports.ts';
import type { Escalation } from '../../storage/escalation-store.ts';

/** Zalo lets an OA reply for free within 48 hours of the citizen's last message (see CHANNELS.md). */
export const ZALO_FREE_WINDOW_MS = 48 * 3600_000;

/** An escalation as the inbox shows it. */
export type InboxItem = Escalation & {
  /** Seconds the citizen has waited: until now, or until it was answered or closed. */
  waitingSeconds: number;
  /** Zalo only: the free-reply window since the citizen's last message. */
  zaloWindow?: { expiresAt: string; remainingSeconds: number };
};

/** What a viewer (reports only) sees of a live change: no citizen's words, no personal data. */
export interface EscalationSummary {
  id: string;
  status: Escalation['status'];
  reason: Escalation['reason'];
  channel: Escalation['channel'];
  createdAt: string;
  updatedAt: string;
}

export const summarize = (e: Escalation): EscalationSummary => ({
  id: e.id,
  status: e.status,
  reason: e.reason,
  channel: e.channel,
  createdAt: e.createdAt,
  updatedAt: e.updatedAt,
});

/** How many turns back to look for the citizen's last message. */
const LOOKBACK_TURNS = 50;

/**
 * Adds `waitingSeconds` and, for Zalo, `zaloWindow`. The last inbound message is the newest
 * turn that handled an event from the citizen (it has an inbox id), never earlier than the
 * escalated question itself. Lookups are cached per citizen for one view (one request).
 */
export class InboxView {
  private readonly lastInbound = new Map<string, Promise<number>>();

  constructor(
    private readonly conversations: ConversationStore,
    private readonly now: Date,
  ) {}

  async item(e: Escalation): Promise<InboxItem> {
    const created = Date.parse(e.createdAt);
    const end = e.status === 'answered' ? Date.parse(e.deliveredAt ?? e.updatedAt) : e.status === 'closed' ? Date.parse(e.updatedAt) : this.now.getTime();
    const item: InboxItem = { ...e, waitingSeconds: Math.max(0, Math.floor((end - created) / 1000)) };
    if (e.channel !== 'zalo') return item;
    const last = Math.max(created, await this.lastInboundAt(e));
    const expires = last + ZALO_FREE_WINDOW_MS;
    item.zaloWindow = {
      expiresAt: new Date(expires).toISOString(),
      remainingSeconds: Math.max(0, Math.floor((expires - this.now.getTime()) / 1000)),
    };
    return item;
  }

  items(list: Escalation[]): Promise<InboxItem[]> {
    return Promise.all(list.map((e) => this.item(e)));
  }

  private lastInboundAt(e: Escalation): Promise<number> {
    const key = `${e.channel}\u0000${e.recipient.userId}`;
    let found = this.lastInbound.get(key);
    if (!found) {
      found = this.conversations.recentTurns(e.channel, e.recipient.userId, LOOKBACK_TURNS).then((turns) => {
        const inbound = turns.filter((t) => t.inboxId !== undefined && t.intent !== 'unfollow');
        return inbound.length ? Date.parse(inbound[inbound.length - 1].createdAt) : 0;
      });
      this.lastInbound.set(key, found);
    }
    return found;
  }
}
