import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashRecoveryCode } from '../../admin/auth/recovery-codes.ts';
import { officerActor, SYSTEM_ACTOR } from '../../domain/escalation.ts';
import type { ChannelName, Recipient } from '../../bots/core/types.ts';
import { openStorage, type Storage } from '../../storage/index.ts';
import { openPostgresStorage } from '../../storage/postgres/index.ts';
import { ERASED_REASON, ERASED_TEXT, ERASED_USER_ID, type CitizenRef } from '../../storage/privacy-store.ts';
import { createTempSchema, usePostgres, type TempSchema } from '../support/services.ts';

const pgUp = await usePostgres();

interface Backend {
  name: string;
  open(): Promise<{ storage: Storage; cleanup(): Promise<void> }>;
}

const backends: Backend[] = [
  {
    name: 'SQLite',
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'loa-privacy-'));
      const storage = await openStorage({ sqliteFile: join(dir, 'loa.db'), DATABASE_URL: undefined });
      return { storage, cleanup: async () => (await storage.close(), rmSync(dir, { recursive: true, force: true })) };
    },
  },
  {
    name: 'PostgreSQL',
    async open() {
      const temp: TempSchema = await createTempSchema();
      const storage = await openPostgresStorage(temp.url);
      return { storage, cleanup: async () => (await storage.close(), await temp.drop()) };
    },
  },
];

const T0 = new Date('2025-01-10T08:00:00Z');
const at = (days: number) => new Date(T0.getTime() + days * 86_400_000);
let n = 0;

/** One citizen's full footprint: a question answered (👎), a clarify choice, an escalation answered and one open, an FAQ draft, deliveries, web chat. */
async function seedCitizen(s: Storage, c: CitizenRef, day: number, name = 'Nguyễn Văn A') {
  const recipient: Recipient = { channel: c.channel, userId: c.userId, address: { chatId: c.userId } };
  const when = at(day);
  const inbox = await s.inbox.add(
    { channel: c.channel, channelMessageId: `m${++n}`, from: recipient, kind: 'text', text: 'CCCD của tôi là 001099012345, số điện thoại 0912345678', sentAt: when.toISOString(), userName: name },
    when,
  );
  if (inbox.duplicate) throw new Error('duplicate');
  await s.inbox.markDone(inbox.item.id, 'answered', when);
  const turn = await s.conversations.recordTurn({
    inboxId: inbox.item.id,
    channel: c.channel,
    userId: c.userId,
    intent: 'question',
    userText: 'CCCD của tôi là 001099012345, làm lại hộ chiếu thế nào?',
    replyKind: 'answer',
    replyText: 'Anh Nguyễn Văn A cần mang CCCD…',
    answerId: `a${n}`,
    confidence: 0.8,
    outcome: 'answer',
    createdAt: when.toISOString(),
  });
  await s.conversations.recordFeedback(`a${n}`, 'down', when);
  await s.examples.record({ question: 'hộ chiếu cho con 001099012345', unitId: 'unit-1', channel: c.channel, sourceKey: `clarify:${turn.id}` }, when);
  const sent = await s.outbox.enqueue({ key: `reply:${n}`, recipient, message: { kind: 'answer', text: 'Anh Nguyễn Văn A…', answerId: `a${n}` }, turnId: turn.id }, when);
  await s.outbox.markSent(sent.id, ['x'], when);
  const answered = await s.escalations.create({ sourceKey: `inbox:${inbox.item.id}`, reason: 'abstained', recipient, userName: name, question: 'Tôi tên Nguyễn Văn A, SĐT 0912345678', context: [], candidates: [] }, when);
  const officer = officerActor('can-bo@so.vn');
  await s.escalations.apply(answered.id, { type: 'claim' }, officer, when);
  await s.escalations.apply(answered.id, { type: 'answer', text: 'Chào anh A, …', citations: [] }, officer, when);
  await s.escalations.apply(answered.id, { type: 'delivered' }, SYSTEM_ACTOR, when);
  const open = await s.escalations.create({ reason: 'requested', recipient, userName: name, question: 'Gọi lại cho tôi số 0912345678', context: [], candidates: [] }, when);
  const draft = await s.faqs.create({ questions: ['Tôi tên Nguyễn Văn A, SĐT 0912345678'], answer: 'Chào anh A', citations: [], createdBy: 'can-bo@so.vn', sourceEscalationId: answered.id }, when);
  if (c.channel === 'webchat') {
    await s.webchat.createSession({ id: c.userId, tokenHash: `h${n}`, createdAt: when.toISOString() });
    await s.webchat.appendMessage(c.userId, { kind: 'user', text: 'CCCD 001099012345', clientMessageId: `c${n}` }, when);
    await s.webchat.appendMessage(c.userId, { kind: 'answer', text: 'Trả lời', answerId: `a${n}` }, when);
  }
  return { turn, answered, open, draft, inboxId: inbox.item.id, outboxId: sent.id };
}

for (const backend of backends) {
  describe.runIf(backend.name === 'SQLite' || pgUp)(`personal data on ${backend.name}`, () => {
    let s: Storage;
    let cleanup: () => Promise<void>;
    beforeAll(async () => {
      ({ storage: s, cleanup } = await backend.open());
    });
    afterAll(async () => {
      await cleanup?.();
    });

    it('previews and forgets one citizen: words erased, counts kept, others untouched, drafts flagged, idempotent', async () => {
      const a: CitizenRef = { channel: 'webchat', userId: 'ws_citizen_a' };
      const b: CitizenRef = { channel: 'webchat', userId: 'ws_citizen_b' };
      const seeded = await seedCitizen(s, a, 0);
      await seedCitizen(s, b, 0, 'Trần Thị B');
      // The same id on another channel is another person.
      await seedCitizen(s, { channel: 'telegram', userId: 'ws_citizen_a' }, 0);

      const preview = await s.privacy.preview(a);
      expect(preview).toEqual({ turns: 1, feedback: 1, inbox: 1, outbox: 1, escalations: 2, webchatMessages: 2, examples: 1, faqDrafts: 1 });
      const before = { b: await s.privacy.preview(b) };

      const done = await s.privacy.forget(a, at(1));
      expect(done).toEqual({ ...preview, flaggedFaqIds: [seeded.draft.id] });

      // Nothing left to find, and forgetting again is harmless.
      expect(await s.privacy.preview(a)).toEqual({ turns: 0, feedback: 0, inbox: 0, outbox: 0, escalations: 0, webchatMessages: 0, examples: 0, faqDrafts: 0 });
      expect((await s.privacy.forget(a, at(1))).flaggedFaqIds).toEqual([]);
      expect(await s.privacy.preview(b)).toEqual(before.b);
      expect((await s.privacy.preview({ channel: 'telegram', userId: 'ws_citizen_a' })).turns).toBe(1);

      // The turn is still counted (reports), without words or id; the 👎 stays.
      const turn = await s.conversations.getTurn(seeded.turn.id);
      expect(turn).toMatchObject({ userId: ERASED_USER_ID, channel: 'webchat', intent: 'question', outcome: 'answer', feedback: 'down' });
      expect(turn?.userText).toBeUndefined();
      expect(turn?.replyText).toBeUndefined();
      expect(await s.conversations.recentTurns('webchat', a.userId, 10)).toEqual([]);

      const answered = await s.escalations.get(seeded.answered.id);
      expect(answered).toMatchObject({ status: 'answered', question: ERASED_TEXT, answerText: ERASED_TEXT, answeredBy: 'can-bo@so.vn', recipient: { userId: ERASED_USER_ID } });
      expect(answered?.userName).toBeUndefined();
      const open = await s.escalations.get(seeded.open.id);
      expect(open).toMatchObject({ status: 'closed', closedReason: ERASED_REASON, question: ERASED_TEXT });
      expect(await s.faqs.get(seeded.draft.id)).toMatchObject({ status: 'needs_review', reviewReason: ERASED_REASON });

      expect(await s.inbox.get(seeded.inboxId)).toBeUndefined();
      expect(await s.outbox.get(seeded.outboxId)).toBeUndefined();
      expect(await s.webchat.getSession(a.userId)).toBeUndefined();
      expect((await s.examples.list()).map((e) => e.sourceKey)).not.toContain(`clarify:${seeded.turn.id}`);
      expect(await s.webchat.listMessages(b.userId, 0, 10)).toHaveLength(2);
    });

    it('retention erases what is older than the period and keeps newer data and open work', async () => {
      const old: CitizenRef = { channel: 'zalo', userId: 'zalo-old' };
      const recent: CitizenRef = { channel: 'zalo', userId: 'zalo-recent' };
      const o = await seedCitizen(s, old, 100);
      const r = await seedCitizen(s, recent, 200);
      const result = await s.privacy.prune(at(150));
      expect(result.turns).toBeGreaterThanOrEqual(1);
      expect(result.examples).toBeGreaterThanOrEqual(1);
      expect((await s.conversations.getTurn(o.turn.id))?.userText).toBeUndefined();
      expect((await s.conversations.getTurn(r.turn.id))?.userText).toContain('hộ chiếu');
      // The answered escalation is anonymised; the open one keeps what the officer needs.
      expect((await s.escalations.get(o.answered.id))?.question).toBe(ERASED_TEXT);
      expect((await s.escalations.get(o.open.id))?.question).toBe('Gọi lại cho tôi số 0912345678');
      expect((await s.escalations.get(r.answered.id))?.question).toContain('Nguyễn Văn A');
      expect(await s.inbox.get(o.inboxId)).toBeUndefined();
      expect(await s.inbox.get(r.inboxId)).toBeDefined();
      expect(await s.outbox.get(o.outboxId)).toBeUndefined();
      // A second pass finds nothing more.
      expect(await s.privacy.prune(at(150), 1)).toMatchObject({ turns: 0 });
      const again = await s.privacy.prune(at(150));
      expect(again).toEqual({ turns: 0, inbox: 0, outbox: 0, escalations: 0, webchatMessages: 0, examples: 0 });
    });

    it('prunes in batches of the size asked for', async () => {
      await s.privacy.prune(at(299)); // what the earlier tests left
      for (let i = 0; i < 3; i++) await seedCitizen(s, { channel: 'zalo', userId: `batch-${i}` }, 300);
      const first = await s.privacy.prune(at(301), 2);
      expect(first).toMatchObject({ turns: 2, examples: 2, escalations: 2 });
      const second = await s.privacy.prune(at(301), 2);
      expect(second).toMatchObject({ turns: 1, examples: 1 });
      expect(await s.privacy.prune(at(301), 2)).toEqual({ turns: 0, inbox: 0, outbox: 0, escalations: 0, webchatMessages: 0, examples: 0 });
    });

    it('a recovery code raced 16 times is spent once; a TOTP step raced 16 times is used once', async () => {
      const user = await s.users.create({ email: `race-${backend.name}@loa.test`, name: 'Race', role: 'admin', passwordHash: 'scrypt$x' }, T0);
      const hashes = ['aaaaa11111', 'bbbbb22222'].map((c) => hashRecoveryCode(user.id, c));
      await s.recoveryCodes.replace(user.id, hashes, T0);
      const spent = await Promise.all(Array.from({ length: 16 }, () => s.recoveryCodes.consume(user.id, hashes[0] as string)));
      expect(spent.filter(Boolean)).toHaveLength(1);
      expect(await s.recoveryCodes.count(user.id)).toBe(1);
      await s.users.setTotp(user.id, 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', T0);
      const steps = await Promise.all(Array.from({ length: 16 }, () => s.users.useTotpStep(user.id, 58_000_000)));
      expect(steps.filter(Boolean)).toHaveLength(1);
      // A new set replaces the old one.
      await s.recoveryCodes.replace(user.id, [hashRecoveryCode(user.id, 'ccccc33333')], T0);
      expect(await s.recoveryCodes.consume(user.id, hashes[1] as string)).toBe(false);
      expect(await s.recoveryCodes.deleteForUser(user.id)).toBe(1);
    });

    it('forgetting raced with itself erases everything and flags each draft once', async () => {
      const c: CitizenRef = { channel: 'telegram' as ChannelName, userId: 'tg-race' };
      await seedCitizen(s, c, 0);
      const results = await Promise.all([s.privacy.forget(c, at(1)), s.privacy.forget(c, at(1))]);
      const flagged = results.map((r) => r.flaggedFaqIds.length).sort();
      expect(flagged).toEqual([0, 1]);
      expect(await s.privacy.preview(c)).toMatchObject({ turns: 0, escalations: 0, inbox: 0 });
    });
  });
}
