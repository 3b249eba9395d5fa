import type { Selectable } from 'kysely';
import type { ChannelName, Recipient } from '../../domain/channel.ts';
import type { Lease } from '../lease.ts';
import type { ClaimedOutboxItem, NewOutboxItem, OutboxItem, OutboxStatus, OutboxStore } from '../outbox-store.ts';
import { toJson } from './json.ts';
import type { SqlDatabase } from './connect.ts';
import { fullMessage, storedMessage, type TurnReply } from './outbox-message.ts';
import type { OutboxTable } from './schema.ts';

type OutboxRow = Selectable<OutboxTable>;

const NO_TURN: TurnReply = { reply_text: null, citations: null };

function toItem(row: OutboxRow, turn: TurnReply): OutboxItem {
  return {
    id: row.id,
    key: row.key,
    channel: row.channel as ChannelName,
    recipient: JSON.parse(row.recipient) as Recipient,
    message: fullMessage(row.message, row.text_from_turn === 1, turn),
    status: row.status as OutboxStatus,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error ?? undefined,
    channelMessageIds: row.channel_message_ids ? (JSON.parse(row.channel_message_ids) as string[]) : undefined,
    turnId: row.turn_id ?? undefined,
    escalationId: row.escalation_id ?? undefined,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    sentAt: row.sent_at ?? undefined,
    claimedBy: row.claimed_by ?? undefined,
    leaseUntil: row.lease_until ?? undefined,
    unknownOutcomes: row.unknown_outcomes,
    resentAt: row.resent_at ?? undefined,
  };
}

const bySchedule = (a: OutboxItem, b: OutboxItem) => Date.parse(a.nextAttemptAt) - Date.parse(b.nextAttemptAt) || a.id - b.id;

/**
 * The outbox, on SQLite or PostgreSQL. Each status change is one conditional UPDATE; claims
 * run in a write transaction that locks what it takes (the SQLite write lock, PostgreSQL
 * `FOR UPDATE SKIP LOCKED`), so two instances never claim the same item, and record the
 * claimer and its lease: an item whose claimer died is taken over once the lease runs out.
 * A reply's text and citations stay with its conversation turn (see `outbox-message.ts`).
 */
export class SqlOutboxStore implements OutboxStore {
  constructor(private readonly sql: SqlDatabase) {}

  /** The items of `rows`, with the text of those that keep it in their turn. */
  private async items(rows: OutboxRow[]): Promise<OutboxItem[]> {
    const ids = [...new Set(rows.filter((r) => r.text_from_turn === 1 && r.turn_id).map((r) => r.turn_id as string))];
    const turns = new Map<string, TurnReply>();
    if (ids.length) {
      const found = await this.sql.db.selectFrom('conversation_turns').select(['id', 'reply_text', 'citations']).where('id', 'in', ids).execute();
      for (const t of found) turns.set(t.id, t);
    }
    return rows.map((r) => toItem(r, (r.turn_id && turns.get(r.turn_id)) || NO_TURN));
  }

  private async one(row: OutboxRow | undefined): Promise<OutboxItem | undefined> {
    return row && (await this.items([row]))[0];
  }

  async enqueue(item: NewOutboxItem, now: Date): Promise<OutboxItem> {
    const { db } = this.sql;
    const turn = item.turnId
      ? await db.selectFrom('conversation_turns').select(['reply_text', 'citations']).where('id', '=', item.turnId).executeTakeFirst()
      : undefined;
    const message = storedMessage(item.message, turn);
    const at = now.toISOString();
    const inserted = await db
      .insertInto('outbox')
      .values({
        key: item.key,
        channel: item.recipient.channel,
        user_id: item.recipient.userId,
        recipient: toJson(item.recipient),
        kind: item.message.kind,
        message: message.json,
        text_from_turn: message.fromTurn ? 1 : 0,
        // Announcements are spread out at the channel's pace: not sent before `notBefore`.
        next_attempt_at: (item.notBefore ?? now).toISOString(),
        turn_id: item.turnId ?? null,
        escalation_id: item.escalationId ?? null,
        created_at: at,
        updated_at: at,
      })
      .onConflict((oc) => oc.column('key').doNothing())
      .returningAll()
      .executeTakeFirst();
    // The key existed (PostgreSQL's ON CONFLICT waited for its inserter to commit, so it is visible now).
    const row = inserted ?? (await db.selectFrom('outbox').selectAll().where('key', '=', item.key).executeTakeFirstOrThrow());
    return (await this.one(row)) as OutboxItem;
  }

  async get(id: number): Promise<OutboxItem | undefined> {
    return this.one(await this.sql.db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst());
  }

  async pending(limit = 1000): Promise<OutboxItem[]> {
    const rows = await this.sql.db.selectFrom('outbox').selectAll().where('status', '=', 'pending').orderBy('next_attempt_at').orderBy('id').limit(limit).execute();
    return this.items(rows);
  }

  async latestReply(escalationId: string): Promise<OutboxItem | undefined> {
    const row = await this.sql.db
      .selectFrom('outbox')
      .selectAll()
      .where('escalation_id', '=', escalationId)
      .where('kind', '=', 'spokesperson_reply')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return this.one(row);
  }

  async claim(id: number, lease: Lease, now: Date): Promise<ClaimedOutboxItem | undefined> {
    const at = now.toISOString();
    const claimed = await this.claimWhere(lease, at, (db) =>
      this.sql.dialect
        .lockForClaim(
          db
            .selectFrom('outbox')
            .select(['id', 'status'])
            .where('id', '=', id)
            .where((eb) => eb.or([eb('status', '=', 'pending'), eb.and([eb('status', '=', 'sending'), eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', at)])])])),
        )
        .execute(),
    );
    return claimed[0];
  }

  async claimDue(lease: Lease, now: Date, limit: number, channels?: readonly ChannelName[]): Promise<ClaimedOutboxItem[]> {
    if (limit <= 0 || channels?.length === 0) return [];
    const at = now.toISOString();
    const claimed = await this.claimWhere(lease, at, (db) =>
      this.sql.dialect
        .lockForClaim(
          db
            .selectFrom('outbox')
            .select(['id', 'status'])
            .where((eb) =>
              eb.or([
                eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', at)]),
                eb.and([eb('status', '=', 'sending'), eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', at)])]),
              ]),
            )
            .$if(channels !== undefined, (qb) => qb.where('channel', 'in', [...(channels ?? [])]))
            .orderBy('next_attempt_at')
            .orderBy('id')
            .limit(limit),
        )
        .execute(),
    );
    return claimed.sort(bySchedule);
  }

  /**
   * Claims the rows `select` finds, in one write transaction: → sending under `lease`, one
   * more attempt; a row taken over from a lapsed sender (`interrupted`) may have reached the
   * citizen, so it counts an unknown outcome.
   */
  private async claimWhere(
    lease: Lease,
    at: string,
    select: (db: SqlDatabase['db']) => Promise<{ id: number; status: string }[]>,
  ): Promise<ClaimedOutboxItem[]> {
    const rows = await this.sql.dialect.writeTransaction(this.sql.db, async (db) => {
      const found = await select(db);
      const out: { row: OutboxRow; interrupted: boolean }[] = [];
      for (const interrupted of [false, true]) {
        const ids = found.filter((r) => (r.status === 'sending') === interrupted).map((r) => r.id);
        if (!ids.length) continue;
        const updated = await db
          .updateTable('outbox')
          .set((eb) => ({
            status: 'sending',
            attempts: eb('attempts', '+', 1),
            claimed_by: lease.owner,
            lease_until: lease.until.toISOString(),
            unknown_outcomes: eb('unknown_outcomes', '+', interrupted ? 1 : 0),
            updated_at: at,
          }))
          .where('id', 'in', ids)
          .returningAll()
          .execute();
        for (const row of updated) out.push({ row, interrupted });
      }
      return out;
    });
    const items = await this.items(rows.map((r) => r.row));
    return items.map((item, i) => ({ ...item, interrupted: rows[i].interrupted }));
  }

  async renew(ids: number[], lease: Lease): Promise<number> {
    if (!ids.length) return 0;
    const result = await this.sql.db
      .updateTable('outbox')
      .set({ lease_until: lease.until.toISOString() })
      .where('id', 'in', ids)
      .where('claimed_by', '=', lease.owner)
      .where('status', '=', 'sending')
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async markSent(id: number, channelMessageIds: string[], now: Date): Promise<void> {
    const at = now.toISOString();
    await this.sql.db
      .updateTable('outbox')
      .set({ status: 'sent', channel_message_ids: toJson(channelMessageIds), last_error: null, sent_at: at, updated_at: at, claimed_by: null, lease_until: null })
      .where('id', '=', id)
      .where('status', '<>', 'sent')
      .execute();
  }

  async markRetry(id: number, error: string, nextAttemptAt: Date, now: Date, opts: { unknown?: boolean; notAttempted?: boolean } = {}): Promise<void> {
    const { db, dialect } = this.sql;
    await db
      .updateTable('outbox')
      .set((eb) => ({
        status: 'pending',
        last_error: error,
        next_attempt_at: nextAttemptAt.toISOString(),
        updated_at: now.toISOString(),
        claimed_by: null,
        lease_until: null,
        unknown_outcomes: eb('unknown_outcomes', '+', opts.unknown ? 1 : 0),
        attempts: dialect.greatest(eb.val(0), eb('attempts', '-', opts.notAttempted ? 1 : 0)),
      }))
      .where('id', '=', id)
      .where('status', '=', 'sending')
      .execute();
  }

  async markFailed(id: number, error: string, now: Date): Promise<void> {
    await this.finish(id, 'failed', error, now, 0);
  }

  async markUnknown(id: number, error: string, now: Date): Promise<void> {
    await this.finish(id, 'unknown', error, now, 1);
  }

  private async finish(id: number, status: 'failed' | 'unknown', error: string, now: Date, unknown: number): Promise<void> {
    await this.sql.db
      .updateTable('outbox')
      .set((eb) => ({ status, last_error: error, updated_at: now.toISOString(), claimed_by: null, lease_until: null, unknown_outcomes: eb('unknown_outcomes', '+', unknown) }))
      .where('id', '=', id)
      .where('status', '=', 'sending')
      .execute();
  }

  async release(owner: string, now: Date): Promise<number> {
    const result = await this.sql.db
      .updateTable('outbox')
      .set({ status: 'pending', claimed_by: null, lease_until: null, updated_at: now.toISOString() })
      .where('claimed_by', '=', owner)
      .where('status', '=', 'sending')
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async deadLetters(opts: { limit: number; beforeId?: number }): Promise<OutboxItem[]> {
    const rows = await this.sql.db
      .selectFrom('outbox')
      .selectAll()
      .where('status', 'in', ['failed', 'unknown'])
      .$if(opts.beforeId !== undefined, (qb) => qb.where('id', '<', opts.beforeId as number))
      .orderBy('id', 'desc')
      .limit(opts.limit)
      .execute();
    return this.items(rows);
  }

  async resend(ids: number[], now: Date): Promise<number[]> {
    if (!ids.length) return [];
    const at = now.toISOString();
    const rows = await this.sql.db
      .updateTable('outbox')
      .set({ status: 'pending', next_attempt_at: at, resent_at: at, updated_at: at })
      .where('id', 'in', ids)
      .where('status', 'in', ['failed', 'unknown'])
      .returning('id')
      .execute();
    return rows.map((r) => r.id).sort((a, b) => a - b);
  }

  async countByStatus(): Promise<Record<OutboxStatus, number>> {
    const counts: Record<OutboxStatus, number> = { pending: 0, sending: 0, sent: 0, failed: 0, unknown: 0 };
    const rows = await this.sql.db.selectFrom('outbox').select((eb) => ['status', eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
    for (const r of rows) counts[r.status as OutboxStatus] = Number(r.n);
    return counts;
  }

  async prune(before: Date): Promise<number> {
    const result = await this.sql.db
      .deleteFrom('outbox')
      .where('status', 'in', ['sent', 'failed', 'unknown'])
      .where('updated_at', '<', before.toISOString())
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
