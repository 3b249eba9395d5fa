import type { Selectable } from 'kysely';
import type { ChannelName, IncomingMessage } from '../../domain/channel.ts';
import type { InboxItem, InboxStatus, InboxStore } from '../inbox-store.ts';
import type { Lease } from '../lease.ts';
import { toJson } from './json.ts';
import type { SqlDatabase } from './connect.ts';
import type { InboxTable } from './schema.ts';

function toItem(row: Selectable<InboxTable>): InboxItem {
  return {
    id: row.id,
    channel: row.channel as ChannelName,
    channelMessageId: row.channel_message_id,
    userId: row.user_id,
    message: JSON.parse(row.message) as IncomingMessage,
    status: row.status as InboxStatus,
    receivedAt: row.received_at,
    processedAt: row.processed_at ?? undefined,
    outcome: row.outcome ?? undefined,
    error: row.error ?? undefined,
    attempts: row.attempts,
    claimedBy: row.claimed_by ?? undefined,
    leaseUntil: row.lease_until ?? undefined,
  };
}

/**
 * The inbox, on SQLite or PostgreSQL: the UNIQUE (channel, channel_message_id) constraint
 * drops re-deliveries, and each claim is one UPDATE … RETURNING over the oldest free rows
 * (PostgreSQL skips rows another instance is claiming instead of waiting for them).
 */
export class SqlInboxStore implements InboxStore {
  constructor(private readonly sql: SqlDatabase) {}

  async add(message: IncomingMessage, receivedAt: Date, lease?: Lease): Promise<{ duplicate: true } | { duplicate: false; item: InboxItem }> {
    const row = await this.sql.db
      .insertInto('inbox')
      .values({
        channel: message.channel,
        channel_message_id: message.channelMessageId,
        user_id: message.from.userId,
        kind: message.kind,
        message: toJson(message),
        received_at: receivedAt.toISOString(),
        claimed_by: lease?.owner ?? null,
        lease_until: lease?.until.toISOString() ?? null,
        attempts: lease ? 1 : 0,
      })
      .onConflict((oc) => oc.columns(['channel', 'channel_message_id']).doNothing())
      .returningAll()
      .executeTakeFirst();
    return row ? { duplicate: false, item: toItem(row) } : { duplicate: true };
  }

  async get(id: number): Promise<InboxItem | undefined> {
    const row = await this.sql.db.selectFrom('inbox').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toItem(row);
  }

  async pending(limit = 1000): Promise<InboxItem[]> {
    const rows = await this.sql.db.selectFrom('inbox').selectAll().where('status', '=', 'pending').orderBy('id').limit(limit).execute();
    return rows.map(toItem);
  }

  async claimNext(lease: Lease, now: Date, limit: number): Promise<InboxItem[]> {
    if (limit <= 0) return [];
    const { db, dialect } = this.sql;
    const at = now.toISOString();
    const free = dialect.lockForClaim(
      db
        .selectFrom('inbox')
        .select('id')
        .where('status', '=', 'pending')
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', at)]))
        .orderBy('id')
        .limit(limit),
    );
    const rows = await db
      .updateTable('inbox')
      .set((eb) => ({ claimed_by: lease.owner, lease_until: lease.until.toISOString(), attempts: eb('attempts', '+', 1) }))
      .where('id', 'in', free)
      .where('status', '=', 'pending')
      .returningAll()
      .execute();
    return rows.map(toItem).sort((a, b) => a.id - b.id);
  }

  async renew(ids: number[], lease: Lease): Promise<number> {
    if (!ids.length) return 0;
    const result = await this.sql.db
      .updateTable('inbox')
      .set({ lease_until: lease.until.toISOString() })
      .where('id', 'in', ids)
      .where('claimed_by', '=', lease.owner)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async retryLater(id: number, owner: string, error: string, notBefore: Date): Promise<void> {
    await this.sql.db
      .updateTable('inbox')
      .set({ claimed_by: null, lease_until: notBefore.toISOString(), error })
      .where('id', '=', id)
      .where('claimed_by', '=', owner)
      .where('status', '=', 'pending')
      .execute();
  }

  async release(owner: string, ids?: number[]): Promise<number> {
    if (ids?.length === 0) return 0;
    const result = await this.sql.db
      .updateTable('inbox')
      .set({ claimed_by: null, lease_until: null })
      .where('claimed_by', '=', owner)
      .where('status', '=', 'pending')
      .$if(ids !== undefined, (qb) => qb.where('id', 'in', ids ?? []))
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async markDone(id: number, outcome: string, at: Date): Promise<void> {
    await this.finish(id, 'done', outcome, null, at);
  }

  async markFailed(id: number, error: string, at: Date): Promise<void> {
    await this.finish(id, 'failed', null, error, at);
  }

  private async finish(id: number, status: InboxStatus, outcome: string | null, error: string | null, at: Date): Promise<void> {
    await this.sql.db
      .updateTable('inbox')
      .set({ status, outcome, error, processed_at: at.toISOString(), claimed_by: null, lease_until: null })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .execute();
  }

  async prune(before: Date): Promise<number> {
    const result = await this.sql.db.deleteFrom('inbox').where('status', '<>', 'pending').where('processed_at', '<', before.toISOString()).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
