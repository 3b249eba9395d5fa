import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnnouncementService } from '../../proactive/announcements.ts';
import { postgresProactiveStore, sqliteProactiveStore } from '../../storage/proactive-store-kysely.ts';
import type { ProactiveStore } from '../../proactive/ports.ts';
import type { AuditStore } from '../../storage/audit-store.ts';
import type { OutboxStore } from '../../storage/outbox-store.ts';
import { openSqlDatabase, sqlStores } from '../../storage/sql/index.ts';
import type { SqlDatabase } from '../../storage/sql/connect.ts';
import { createTempSchema, usePostgres, type TempSchema } from '../support/services.ts';

/** One "instance": its own connection(s) to the shared database. */
interface Instance {
  store: ProactiveStore;
  outbox: OutboxStore;
  audit: AuditStore;
}
interface Backend {
  /** Opens another instance on the same database. */
  instance(): Promise<Instance>;
  cleanup(): Promise<void>;
}

function sqliteBackend(): Backend {
  const dir = mkdtempSync(join(tmpdir(), 'loa-proactive-'));
  const file = join(dir, 'loa.sqlite');
  const dbs: SqlDatabase[] = [];
  return {
    async instance() {
      const db = await openSqlDatabase({ sqliteFile: file });
      dbs.push(db);
      const store = sqliteProactiveStore(db.sqlite!);
      await store.migrate();
      const { outbox, audit } = sqlStores(db);
      return { store, outbox, audit };
    },
    async cleanup() {
      for (const db of dbs) await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function postgresBackend(): Promise<Backend> {
  const schema: TempSchema = await createTempSchema();
  const dbs: SqlDatabase[] = [];
  return {
    async instance() {
      const db = await openSqlDatabase({ postgresUrl: schema.url });
      dbs.push(db);
      const store = postgresProactiveStore(db.pool!);
      await store.migrate();
      const { outbox, audit } = sqlStores(db);
      return { store, outbox, audit };
    },
    async cleanup() {
      for (const db of dbs) await db.close();
      await schema.drop();
    },
  };
}

const pgUp = await usePostgres();
const backends: [string, boolean, () => Promise<Backend>][] = [
  ['SQLite', true, async () => sqliteBackend()],
  ['PostgreSQL', pgUp, postgresBackend],
];

for (const [name, available, open] of backends) {
  describe.runIf(available)(`proactive store contract (${name})`, () => {
    let backend: Backend;
    let a: Instance;
    let b: Instance;
    beforeAll(async () => {
      backend = await open();
      a = await backend.instance();
      b = await backend.instance();
    });
    afterAll(async () => {
      await backend.cleanup();
    });
    const now = new Date('2026-03-01T08:00:00.000Z');

    it('subscribes, unsubscribes one topic or all, and resubscribes', async () => {
      const r = { channel: 'telegram' as const, userId: 't1', address: { chatId: 1 } };
      await a.store.upsertTopic({ id: 'cu-tru', label: 'cư trú', keywords: ['ho khau'], source: 'knowledge' }, now);
      await a.store.upsertTopic({ id: 'dat-dai', label: 'đất đai', keywords: [], source: 'officer' }, now);
      await a.store.subscribe(r, 'cu-tru', now, 'HN');
      await a.store.subscribe(r, 'dat-dai', now);
      expect((await b.store.subscribers('cu-tru', { area: 'HN' })).map((s) => s.userId)).toEqual(['t1']);
      expect(await b.store.subscribers('cu-tru', { area: 'HCM' })).toEqual([]);
      expect(await b.store.subscribers('cu-tru', { channels: ['zalo'] })).toEqual([]);
      expect(await a.store.unsubscribe('telegram', 't1', 'cu-tru', now)).toBe(1);
      expect(await a.store.unsubscribe('telegram', 't1', 'cu-tru', now)).toBe(0);
      expect((await a.store.subscriptionsOf('telegram', 't1')).map((s) => [s.topicId, s.active])).toEqual([['cu-tru', false], ['dat-dai', true]]);
      expect(await a.store.unsubscribe('telegram', 't1', undefined, now)).toBe(1);
      await a.store.subscribe(r, 'cu-tru', now);
      expect((await a.store.subscribers('cu-tru', {})).map((s) => s.area)).toEqual(['HN']);
      await a.store.touch('telegram', 't1', 'msg-9', now);
      expect((await a.store.subscriptionsOf('telegram', 't1'))[0]).toMatchObject({ lastMessageId: 'msg-9', lastMessageAt: now.toISOString() });
    });

    it('two approvers on two instances at once: one approval, one queueing, each subscriber queued once', async () => {
      for (let i = 0; i < 20; i++) await a.store.subscribe({ channel: 'telegram', userId: `c${i}`, address: { chatId: i } }, 'dat-dai', now);
      const deps = (i: Instance) => ({ store: i.store, outbox: i.outbox, audit: i.audit, clock: () => now, agencyName: 'UBND', allowPaidZalo: false });
      const sa = new AnnouncementService(deps(a));
      const sb = new AnnouncementService(deps(b));
      const ann = await sa.compose({ topicId: 'dat-dai', text: 'Bảng giá đất mới.' }, 'author');
      const results = await Promise.all([sa.approve(ann.id, 'x'), sb.approve(ann.id, 'y')]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, reason: 'not_pending' }]);
      const [qa, qb] = await Promise.all([sa.queueDue(), sb.queueDue()]);
      // The loser finds nothing to do, or resumes the same keys: the outbox holds each subscriber once.
      expect(new Set([...qa, ...qb]).size).toBe(20);
      expect((await a.outbox.pending(100)).filter((o) => o.key.startsWith(`announcement:${ann.id}:`))).toHaveLength(20);
      expect((await b.store.stats(ann.id)).targeted).toBe(20);
      expect((await b.store.getAnnouncement(ann.id))?.status).toBe('queued');
      const audit = await a.audit.list({ target: `announcement:${ann.id}` });
      expect(audit.items.map((e) => e.action).sort()).toEqual(['announcement.approve', 'announcement.create', 'announcement.queue']);
    });

    it('spreads one channel at its pace and keeps a scheduled announcement until its time', async () => {
      const deps = { store: a.store, outbox: a.outbox, audit: a.audit, clock: () => now, agencyName: 'UBND', allowPaidZalo: false, pacePerSecond: { telegram: 10 } };
      const s = new AnnouncementService(deps);
      const later = await s.compose({ topicId: 'dat-dai', text: 'Sau.', scheduledAt: '2026-03-02T08:00:00.000Z' }, 'author');
      await s.approve(later.id, 'x');
      expect(await s.queueDue()).toEqual([]);
      const ann = await s.compose({ topicId: 'dat-dai', text: 'Ngay.' }, 'author');
      await s.approve(ann.id, 'x');
      const ids = await s.queueDue();
      const times = await Promise.all(ids.map(async (id) => Date.parse((await a.outbox.get(id))?.nextAttemptAt ?? '')));
      expect(Math.max(...times) - Math.min(...times)).toBe(1_900);
    });

    it('an instance that stopped half-way: its queueing is taken over only after its lease ran out', async () => {
      let clock = now;
      const s = new AnnouncementService({ store: a.store, outbox: a.outbox, audit: a.audit, clock: () => clock, agencyName: 'UBND', allowPaidZalo: false });
      const ann = await s.compose({ topicId: 'dat-dai', text: 'Tiếp quản.' }, 'author');
      await s.approve(ann.id, 'x');
      // Another instance took it and died before queueing anything.
      expect(await b.store.startQueueing(ann.id, clock)).toBe(true);
      clock = new Date(now.getTime() + 60_000);
      expect(await s.queueDue()).toEqual([]);
      clock = new Date(now.getTime() + 6 * 60_000);
      expect(await s.queueDue()).toHaveLength(20);
      expect((await a.store.getAnnouncement(ann.id))?.status).toBe('queued');
    });

    it('settles deliveries from the outbox and counts reads', async () => {
      await a.store.recordDelivery({ announcementId: 'x1', channel: 'zalo', userId: 'z1', status: 'queued', route: 'zalo_free_reply', outboxId: 901 }, now);
      await a.store.recordDelivery({ announcementId: 'x1', channel: 'zalo', userId: 'z2', status: 'queued', route: 'zalo_free_reply', outboxId: 902 }, now);
      await a.store.recordDelivery({ announcementId: 'x1', channel: 'zalo', userId: 'z3', status: 'not_sent', reason: 'zalo_no_interaction_7d' }, now);
      // Recording again keeps the first.
      await a.store.recordDelivery({ announcementId: 'x1', channel: 'zalo', userId: 'z3', status: 'queued' }, now);
      expect(await b.store.settleDelivery(901, { status: 'sent', channelMessageIds: ['zm-1'] })).toBe(true);
      expect(await b.store.settleDelivery(901, { status: 'failed', reason: 'late' })).toBe(false);
      await b.store.settleDelivery(902, { status: 'failed', reason: 'Zalo -213' });
      expect(await a.store.markRead('zalo', 'zm-1', now)).toBe(true);
      expect(await a.store.markRead('zalo', 'zm-1', now)).toBe(false);
      expect(await a.store.stats('x1')).toEqual({
        targeted: 3, queued: 0, sent: 1, read: 1,
        failedByReason: { 'Zalo -213': 1 }, notSentByReason: { zalo_no_interaction_7d: 1 },
        byChannel: { zalo: { targeted: 3, sent: 1, notSent: 1, failed: 1 } },
      });
    });
  });
}
