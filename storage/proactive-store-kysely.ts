import { randomUUID } from 'node:crypto';
import { Kysely, PostgresDialect, SqliteDialect, sql, type Selectable } from 'kysely';
import type { ChannelName, Recipient } from '../domain/channel.ts';
import type { Verdict } from '../proactive/ports.ts';
import type { SqliteDatabase } from './sqlite/database.ts';
import type { PgPool } from './postgres/database.ts';
import type {
  Announcement,
  AnnouncementStatus,
  Claim,
  ClaimStore,
  VerdictInput,
  Delivery,
  DeliveryStats,
  DeliveryStatus,
  NewAnnouncement,
  ProactiveStore,
  Subscription,
  Topic,
} from '../proactive/ports.ts';

/** Tables as stored: timestamps are ISO text and lists JSON text on both backends, so one implementation serves both. */
interface TopicTable {
  id: string;
  label: string;
  keywords: string;
  source: string;
  created_at: string;
}
interface SubscriptionTable {
  channel: string;
  user_id: string;
  topic_id: string;
  recipient: string;
  area: string | null;
  active: number;
  created_at: string;
  updated_at: string;
  last_message_at: string | null;
  last_message_id: string | null;
}
interface AnnouncementTable {
  id: string;
  topic_id: string;
  text: string;
  link: string | null;
  image_url: string | null;
  channels: string;
  area: string | null;
  scheduled_at: string;
  status: string;
  created_by: string;
  approved_by: string | null;
  created_at: string;
  approved_at: string | null;
  queued_at: string | null;
}
interface DeliveryTable {
  announcement_id: string;
  channel: string;
  user_id: string;
  status: string;
  reason: string | null;
  route: string | null;
  outbox_id: number | null;
  channel_message_ids: string | null;
  read_at: string | null;
  created_at: string;
}
interface ClaimTable {
  id: string;
  text: string;
  words: string;
  status: string;
  verdict: string | null;
  source_title: string | null;
  source_url: string | null;
  note: string | null;
  proposed_by: string | null;
  verified_by: string | null;
  reports: number;
  first_seen_at: string;
  last_seen_at: string;
  verified_at: string | null;
}
interface ClaimReportTable {
  claim_id: string;
  channel: string;
  user_id: string;
  text: string;
  at: string;
}
interface ProactiveDb {
  proactive_claims: ClaimTable;
  proactive_claim_reports: ClaimReportTable;
  proactive_topics: TopicTable;
  proactive_subscriptions: SubscriptionTable;
  proactive_announcements: AnnouncementTable;
  proactive_deliveries: DeliveryTable;
}

const opt = <T>(v: T | null): T | undefined => (v === null ? undefined : v);

function toTopic(r: Selectable<TopicTable>): Topic {
  return { id: r.id, label: r.label, keywords: JSON.parse(r.keywords) as string[], source: r.source as Topic['source'], createdAt: r.created_at };
}
function toSubscription(r: Selectable<SubscriptionTable>): Subscription {
  return {
    channel: r.channel as ChannelName,
    userId: r.user_id,
    topicId: r.topic_id,
    recipient: JSON.parse(r.recipient) as Recipient,
    area: opt(r.area),
    active: Number(r.active) === 1,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    lastMessageAt: opt(r.last_message_at),
    lastMessageId: opt(r.last_message_id),
  };
}
function toAnnouncement(r: Selectable<AnnouncementTable>): Announcement {
  return {
    id: r.id,
    topicId: r.topic_id,
    text: r.text,
    link: opt(r.link),
    imageUrl: opt(r.image_url),
    channels: JSON.parse(r.channels) as ChannelName[],
    area: opt(r.area),
    scheduledAt: r.scheduled_at,
    status: r.status as AnnouncementStatus,
    createdBy: r.created_by,
    approvedBy: opt(r.approved_by),
    createdAt: r.created_at,
    approvedAt: opt(r.approved_at),
    queuedAt: opt(r.queued_at),
  };
}
function toDelivery(r: Selectable<DeliveryTable>): Delivery {
  return {
    announcementId: r.announcement_id,
    channel: r.channel as ChannelName,
    userId: r.user_id,
    status: r.status as DeliveryStatus,
    reason: opt(r.reason),
    route: opt(r.route),
    outboxId: r.outbox_id === null ? undefined : Number(r.outbox_id),
    channelMessageIds: r.channel_message_ids ? (JSON.parse(r.channel_message_ids) as string[]) : undefined,
    readAt: opt(r.read_at),
    createdAt: r.created_at,
  };
}

function toClaim(r: Selectable<ClaimTable>): Claim {
  return {
    id: r.id, text: r.text, words: JSON.parse(r.words) as string[], status: r.status as Claim['status'], verdict: opt(r.verdict) as Verdict | undefined,
    sourceTitle: opt(r.source_title), sourceUrl: opt(r.source_url), note: opt(r.note), proposedBy: opt(r.proposed_by), verifiedBy: opt(r.verified_by),
    reports: Number(r.reports), firstSeenAt: r.first_seen_at, lastSeenAt: r.last_seen_at, verifiedAt: opt(r.verified_at),
  };
}

/** How long one instance holds an announcement it is queueing before another may take it over. */
export const QUEUE_LEASE_MS = 5 * 60_000;

/** The proactive store on Kysely: the same queries for SQLite and PostgreSQL. */
export class KyselyProactiveStore implements ProactiveStore, ClaimStore {
  constructor(private readonly db: Kysely<ProactiveDb>) {}

  /** Creates the tables (version 1; later versions add steps here, each idempotent). */
  async migrate(): Promise<void> {
    const s = this.db.schema;
    await s
      .createTable('proactive_topics').ifNotExists()
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('label', 'text', (c) => c.notNull())
      .addColumn('keywords', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await s
      .createTable('proactive_subscriptions').ifNotExists()
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('topic_id', 'text', (c) => c.notNull())
      .addColumn('recipient', 'text', (c) => c.notNull())
      .addColumn('area', 'text')
      .addColumn('active', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('last_message_at', 'text')
      .addColumn('last_message_id', 'text')
      .addPrimaryKeyConstraint('proactive_subscriptions_pk', ['channel', 'user_id', 'topic_id'])
      .execute();
    await s.createIndex('proactive_subscriptions_topic').ifNotExists().on('proactive_subscriptions').columns(['topic_id', 'active']).execute();
    await s
      .createTable('proactive_announcements').ifNotExists()
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('topic_id', 'text', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('link', 'text')
      .addColumn('image_url', 'text')
      .addColumn('channels', 'text', (c) => c.notNull())
      .addColumn('area', 'text')
      .addColumn('scheduled_at', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('approved_by', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('approved_at', 'text')
      .addColumn('queued_at', 'text')
      .execute();
    await s
      .createTable('proactive_deliveries').ifNotExists()
      .addColumn('announcement_id', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('reason', 'text')
      .addColumn('route', 'text')
      .addColumn('outbox_id', 'integer')
      .addColumn('channel_message_ids', 'text')
      .addColumn('read_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('proactive_deliveries_pk', ['announcement_id', 'channel', 'user_id'])
      .execute();
    await s
      .createTable('proactive_claims').ifNotExists()
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('words', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('verdict', 'text')
      .addColumn('source_title', 'text')
      .addColumn('source_url', 'text')
      .addColumn('note', 'text')
      .addColumn('proposed_by', 'text')
      .addColumn('verified_by', 'text')
      .addColumn('reports', 'integer', (c) => c.notNull())
      .addColumn('first_seen_at', 'text', (c) => c.notNull())
      .addColumn('last_seen_at', 'text', (c) => c.notNull())
      .addColumn('verified_at', 'text')
      .execute();
    await s
      .createTable('proactive_claim_reports').ifNotExists()
      .addColumn('claim_id', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .execute();
    await s.createIndex('proactive_deliveries_outbox').ifNotExists().on('proactive_deliveries').column('outbox_id').execute();
  }

  async claims(): Promise<Claim[]> {
    return (await this.db.selectFrom('proactive_claims').selectAll().orderBy('last_seen_at', 'desc').execute()).map(toClaim);
  }

  async getClaim(id: string): Promise<Claim | undefined> {
    const r = await this.db.selectFrom('proactive_claims').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toClaim(r);
  }

  async createClaim(text: string, words: string[], now: Date): Promise<Claim> {
    const id = randomUUID();
    const at = now.toISOString();
    await this.db
      .insertInto('proactive_claims')
      .values({ id, text, words: JSON.stringify(words), status: 'open', verdict: null, source_title: null, source_url: null, note: null, proposed_by: null, verified_by: null, reports: 0, first_seen_at: at, last_seen_at: at, verified_at: null })
      .execute();
    return (await this.getClaim(id)) as Claim;
  }

  async reportClaim(claimId: string, report: { channel: ChannelName; userId: string; text: string }, now: Date): Promise<void> {
    const at = now.toISOString();
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('proactive_claim_reports').values({ claim_id: claimId, channel: report.channel, user_id: report.userId, text: report.text, at }).execute();
      await trx.updateTable('proactive_claims').set((eb) => ({ reports: eb('reports', '+', 1), last_seen_at: at })).where('id', '=', claimId).execute();
    });
  }

  async proposeVerdict(id: string, input: VerdictInput, actor: string, _now: Date): Promise<boolean> {
    const r = await this.db
      .updateTable('proactive_claims')
      .set({ status: 'proposed', verdict: input.verdict, source_title: input.sourceTitle, source_url: input.sourceUrl ?? null, note: input.note, proposed_by: actor })
      .where('id', '=', id).where('status', 'in', ['open', 'proposed'])
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async approveVerdict(id: string, actor: string, now: Date): Promise<boolean> {
    const r = await this.db
      .updateTable('proactive_claims')
      .set({ status: 'verified', verified_by: actor, verified_at: now.toISOString() })
      .where('id', '=', id).where('status', '=', 'proposed').where('proposed_by', '<>', actor)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }

  async upsertTopic(topic: Omit<Topic, 'createdAt'>, now: Date): Promise<Topic> {
    const row = { id: topic.id, label: topic.label, keywords: JSON.stringify(topic.keywords), source: topic.source, created_at: now.toISOString() };
    await this.db
      .insertInto('proactive_topics')
      .values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet({ label: row.label, keywords: row.keywords, source: row.source }))
      .execute();
    return toTopic(await this.db.selectFrom('proactive_topics').selectAll().where('id', '=', topic.id).executeTakeFirstOrThrow());
  }

  async topics(): Promise<Topic[]> {
    return (await this.db.selectFrom('proactive_topics').selectAll().orderBy('label').execute()).map(toTopic);
  }

  async deleteTopic(id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('proactive_topics').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async subscribe(recipient: Recipient, topicId: string, now: Date, area?: string): Promise<Subscription> {
    const at = now.toISOString();
    await this.db
      .insertInto('proactive_subscriptions')
      .values({
        channel: recipient.channel, user_id: recipient.userId, topic_id: topicId, recipient: JSON.stringify(recipient),
        area: area ?? null, active: 1, created_at: at, updated_at: at, last_message_at: null, last_message_id: null,
      })
      .onConflict((oc) =>
        oc.columns(['channel', 'user_id', 'topic_id']).doUpdateSet({ active: 1, updated_at: at, recipient: JSON.stringify(recipient), ...(area ? { area } : {}) }),
      )
      .execute();
    const row = await this.db
      .selectFrom('proactive_subscriptions').selectAll()
      .where('channel', '=', recipient.channel).where('user_id', '=', recipient.userId).where('topic_id', '=', topicId)
      .executeTakeFirstOrThrow();
    return toSubscription(row);
  }

  async unsubscribe(channel: ChannelName, userId: string, topicId: string | undefined, now: Date): Promise<number> {
    let q = this.db
      .updateTable('proactive_subscriptions')
      .set({ active: 0, updated_at: now.toISOString() })
      .where('channel', '=', channel).where('user_id', '=', userId).where('active', '=', 1);
    if (topicId !== undefined) q = q.where('topic_id', '=', topicId);
    return Number((await q.executeTakeFirst()).numUpdatedRows);
  }

  async subscriptionsOf(channel: ChannelName, userId: string): Promise<Subscription[]> {
    const rows = await this.db.selectFrom('proactive_subscriptions').selectAll().where('channel', '=', channel).where('user_id', '=', userId).orderBy('topic_id').execute();
    return rows.map(toSubscription);
  }

  async subscribers(topicId: string, filter: { channels?: ChannelName[]; area?: string }): Promise<Subscription[]> {
    let q = this.db.selectFrom('proactive_subscriptions').selectAll().where('topic_id', '=', topicId).where('active', '=', 1);
    if (filter.channels && filter.channels.length > 0) q = q.where('channel', 'in', filter.channels);
    if (filter.area) q = q.where('area', '=', filter.area);
    return (await q.orderBy('channel').orderBy('user_id').execute()).map(toSubscription);
  }

  async touch(channel: ChannelName, userId: string, channelMessageId: string, at: Date): Promise<void> {
    await this.db
      .updateTable('proactive_subscriptions')
      .set({ last_message_at: at.toISOString(), last_message_id: channelMessageId })
      .where('channel', '=', channel).where('user_id', '=', userId)
      .execute();
  }

  async unsubscribesSince(topicId: string, since: Date): Promise<number> {
    const r = await this.db
      .selectFrom('proactive_subscriptions')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('topic_id', '=', topicId).where('active', '=', 0).where('updated_at', '>=', since.toISOString())
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async createAnnouncement(a: NewAnnouncement, now: Date): Promise<Announcement> {
    const id = randomUUID();
    await this.db
      .insertInto('proactive_announcements')
      .values({
        id, topic_id: a.topicId, text: a.text, link: a.link ?? null, image_url: a.imageUrl ?? null, channels: JSON.stringify(a.channels),
        area: a.area ?? null, scheduled_at: a.scheduledAt ?? now.toISOString(), status: 'pending_approval', created_by: a.createdBy,
        approved_by: null, created_at: now.toISOString(), approved_at: null, queued_at: null,
      })
      .execute();
    return (await this.getAnnouncement(id)) as Announcement;
  }

  async getAnnouncement(id: string): Promise<Announcement | undefined> {
    const r = await this.db.selectFrom('proactive_announcements').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toAnnouncement(r);
  }

  async listAnnouncements(limit = 100): Promise<Announcement[]> {
    return (await this.db.selectFrom('proactive_announcements').selectAll().orderBy('created_at', 'desc').limit(limit).execute()).map(toAnnouncement);
  }

  async approve(id: string, approver: string, now: Date): Promise<boolean> {
    const r = await this.db
      .updateTable('proactive_announcements')
      .set({ status: 'approved', approved_by: approver, approved_at: now.toISOString() })
      .where('id', '=', id).where('status', '=', 'pending_approval').where('created_by', '<>', approver)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async cancel(id: string, _now: Date): Promise<boolean> {
    const r = await this.db
      .updateTable('proactive_announcements')
      .set({ status: 'cancelled' })
      .where('id', '=', id).where('status', 'in', ['pending_approval', 'approved'])
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async startQueueing(id: string, now: Date, leaseMs = QUEUE_LEASE_MS): Promise<boolean> {
    // While sending, queued_at holds the lease's end: an instance that stopped half-way is taken over after it.
    const at = now.toISOString();
    const r = await this.db
      .updateTable('proactive_announcements')
      .set({ status: 'sending', queued_at: new Date(now.getTime() + leaseMs).toISOString() })
      .where('id', '=', id)
      .where((eb) => eb.or([eb.and([eb('status', '=', 'approved'), eb('scheduled_at', '<=', at)]), eb.and([eb('status', '=', 'sending'), eb('queued_at', '<', at)])]))
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async finishQueueing(id: string, now: Date): Promise<void> {
    await this.db.updateTable('proactive_announcements').set({ status: 'queued', queued_at: now.toISOString() }).where('id', '=', id).where('status', '=', 'sending').execute();
  }

  async dueAnnouncements(now: Date): Promise<Announcement[]> {
    const rows = await this.db
      .selectFrom('proactive_announcements').selectAll()
      .where((eb) =>
        eb.or([eb.and([eb('status', '=', 'approved'), eb('scheduled_at', '<=', now.toISOString())]), eb.and([eb('status', '=', 'sending'), eb('queued_at', '<', now.toISOString())])]),
      )
      .orderBy('scheduled_at')
      .execute();
    return rows.map(toAnnouncement);
  }

  async recordDelivery(d: Omit<Delivery, 'createdAt'>, now: Date): Promise<Delivery> {
    await this.db
      .insertInto('proactive_deliveries')
      .values({
        announcement_id: d.announcementId, channel: d.channel, user_id: d.userId, status: d.status, reason: d.reason ?? null, route: d.route ?? null,
        outbox_id: d.outboxId ?? null, channel_message_ids: d.channelMessageIds ? JSON.stringify(d.channelMessageIds) : null, read_at: null,
        created_at: now.toISOString(),
      })
      .onConflict((oc) => oc.columns(['announcement_id', 'channel', 'user_id']).doNothing())
      .execute();
    const row = await this.db
      .selectFrom('proactive_deliveries').selectAll()
      .where('announcement_id', '=', d.announcementId).where('channel', '=', d.channel).where('user_id', '=', d.userId)
      .executeTakeFirstOrThrow();
    return toDelivery(row);
  }

  async settleDelivery(outboxId: number, outcome: { status: 'sent'; channelMessageIds: string[] } | { status: 'failed'; reason: string }): Promise<boolean> {
    const set = outcome.status === 'sent' ? { status: 'sent', channel_message_ids: JSON.stringify(outcome.channelMessageIds) } : { status: 'failed', reason: outcome.reason };
    const r = await this.db.updateTable('proactive_deliveries').set(set).where('outbox_id', '=', outboxId).where('status', '=', 'queued').executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async markRead(channel: ChannelName, channelMessageId: string, at: Date): Promise<boolean> {
    // The ids are a JSON list; the quoted id is unique enough to match inside it.
    const r = await this.db
      .updateTable('proactive_deliveries')
      .set({ read_at: at.toISOString() })
      .where('channel', '=', channel).where('status', '=', 'sent').where('read_at', 'is', null)
      .where('channel_message_ids', 'like', `%${JSON.stringify(channelMessageId).replace(/[%_\\]/g, (c) => `\\${c}`)}%`)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async deliveries(announcementId: string): Promise<Delivery[]> {
    const rows = await this.db.selectFrom('proactive_deliveries').selectAll().where('announcement_id', '=', announcementId).orderBy('channel').orderBy('user_id').execute();
    return rows.map(toDelivery);
  }

  async stats(announcementId: string): Promise<DeliveryStats> {
    const rows = await this.db
      .selectFrom('proactive_deliveries')
      .select(['channel', 'status', 'reason', sql<string>`count(*)`.as('n'), sql<string>`count(read_at)`.as('read')])
      .where('announcement_id', '=', announcementId)
      .groupBy(['channel', 'status', 'reason'])
      .execute();
    const stats: DeliveryStats = { targeted: 0, queued: 0, sent: 0, read: 0, failedByReason: {}, notSentByReason: {}, byChannel: {} };
    for (const r of rows) {
      const n = Number(r.n);
      const ch = (stats.byChannel[r.channel as ChannelName] ??= { targeted: 0, sent: 0, notSent: 0, failed: 0 });
      stats.targeted += n;
      ch.targeted += n;
      stats.read += Number(r.read);
      if (r.status === 'queued') stats.queued += n;
      if (r.status === 'sent') {
        stats.sent += n;
        ch.sent += n;
      }
      if (r.status === 'failed') {
        stats.failedByReason[r.reason ?? 'unknown'] = (stats.failedByReason[r.reason ?? 'unknown'] ?? 0) + n;
        ch.failed += n;
      }
      if (r.status === 'not_sent') {
        stats.notSentByReason[r.reason ?? 'unknown'] = (stats.notSentByReason[r.reason ?? 'unknown'] ?? 0) + n;
        ch.notSent += n;
      }
    }
    return stats;
  }
}

/** The store on Loa's SQLite file (better-sqlite3 through Kysely). */
export function sqliteProactiveStore(database: SqliteDatabase): KyselyProactiveStore {
  return new KyselyProactiveStore(new Kysely<ProactiveDb>({ dialect: new SqliteDialect({ database }) }));
}

/** The store on PostgreSQL (shares the app's pool; closing the store does not end the pool). */
export function postgresProactiveStore(pool: PgPool): KyselyProactiveStore {
  // Kysely's destroy() ends the pool it was given: hand it a wrapper whose end() is a no-op.
  const shared = { connect: () => pool.connect(), end: async () => undefined } as unknown as PgPool;
  return new KyselyProactiveStore(new Kysely<ProactiveDb>({ dialect: new PostgresDialect({ pool: shared }) }));
}
