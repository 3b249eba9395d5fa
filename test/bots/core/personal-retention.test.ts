import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConversationCore } from '../../../bots/core/conversation-core.ts';
import { openStorage, type Storage } from '../../../storage/index.ts';
import { TestAnswerer, TestChannel, incoming, silentLogger } from './support.ts';

const QUESTION = 'Điều kiện đăng ký thường trú là gì? Số CCCD của tôi là 001099012345';
const DAY = 86_400_000;

let storage: Storage | undefined;
let dir: string | undefined;
const cores: ConversationCore[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) await c.stop();
  await storage?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const core = (s: Storage, personalDataRetentionMs: number, clock: () => Date) =>
  new ConversationCore({
    answerer: new TestAnswerer(),
    clock,
    storage: s,
    logger: silentLogger,
    config: { rateLimitPerMinute: 1_000, agencyName: 'Sở Tư pháp tỉnh Thử nghiệm', durability: { leaseMs: 500, sweepMs: 50, personalDataRetentionMs } },
  });

describe('LOA_PERSONAL_DATA_RETENTION_DAYS in the sweeper', () => {
  it("erases citizens' words older than the period and keeps the turns countable", async () => {
    dir = mkdtempSync(join(tmpdir(), 'loa-retention-'));
    storage = await openStorage({ sqliteFile: join(dir, 'loa.db'), DATABASE_URL: undefined });
    const first = core(storage, 0, () => new Date());
    cores.push(first);
    first.registerSender(new TestChannel('telegram'));
    await first.start();
    await first.receive(incoming({ text: QUESTION, userId: 'citizen-1' }));
    await first.drain();
    await first.stop();
    const [turn] = await storage.conversations.recentTurns('telegram', 'citizen-1', 5);
    expect(turn?.userText).toBe(QUESTION);

    // 31 days later, with a period of 30 days: the first sweep erases it.
    const later = core(storage, 30 * DAY, () => new Date(Date.now() + 31 * DAY));
    cores.push(later);
    later.registerSender(new TestChannel('telegram'));
    await later.start();
    const after = await storage.conversations.getTurn(turn?.id as string);
    expect(after).toMatchObject({ userId: 'erased', intent: turn?.intent });
    expect(after?.userText).toBeUndefined();
    expect(await storage.conversations.recentTurns('telegram', 'citizen-1', 5)).toEqual([]);
  });

  it('keeps them with a period of 0 (kept for ever)', async () => {
    dir = mkdtempSync(join(tmpdir(), 'loa-retention-'));
    storage = await openStorage({ sqliteFile: join(dir, 'loa.db'), DATABASE_URL: undefined });
    const past = core(storage, 0, () => new Date(Date.now() - 1000 * DAY));
    cores.push(past);
    past.registerSender(new TestChannel('telegram'));
    await past.start();
    await past.receive(incoming({ text: QUESTION, userId: 'citizen-2' }));
    await past.drain();
    await past.stop();
    const now = core(storage, 0, () => new Date());
    cores.push(now);
    await now.start();
    await now.sweepNow();
    expect((await storage.conversations.recentTurns('telegram', 'citizen-2', 5))[0]?.userText).toBe(QUESTION);
  });
});
