/**
 * `npm run bench -- privacy`: how long erasing one citizen and one retention batch take on a
 * database with many citizens (SQLite, and PostgreSQL when it answers at the test URL).
 * Prints a table; nothing is asserted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SYSTEM_ACTOR } from '../domain/escalation.ts';
import { openStorage, type Storage } from '../storage/index.ts';
import { openPostgresStorage } from '../storage/postgres/index.ts';
import { createTempSchema, postgresAvailable } from '../test/support/services.ts';

const CITIZENS = Number(process.env.BENCH_CITIZENS ?? 5_000);
const TURNS_EACH = 10;
const DAY = 86_400_000;

async function seed(s: Storage): Promise<void> {
  const t0 = Date.now() - 400 * DAY;
  for (let c = 0; c < CITIZENS; c++) {
    const userId = `u${c}`;
    const recipient = { channel: 'zalo' as const, userId, address: {} };
    for (let i = 0; i < TURNS_EACH; i++) {
      // Half of the citizens are older than a 365-day period.
      const at = new Date(t0 + (c % 2 ? 300 : 0) * DAY + i * 60_000).toISOString();
      await s.conversations.recordTurn({ channel: 'zalo', userId, intent: 'question', userText: `câu hỏi ${c}/${i} CCCD 0010990${c}`, replyKind: 'answer', replyText: 'trả lời', createdAt: at });
    }
    const e = await s.escalations.create({ reason: 'abstained', recipient, userName: `Công dân ${c}`, question: `câu hỏi ${c}`, context: [], candidates: [] }, new Date(t0));
    await s.escalations.apply(e.id, { type: 'close', reason: 'spam' }, SYSTEM_ACTOR, new Date(t0));
  }
}

async function measure(name: string, s: Storage): Promise<string[]> {
  const started = performance.now();
  await seed(s);
  const seeded = performance.now() - started;
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    await s.privacy.forget({ channel: 'zalo', userId: `u${i * 7}` }, new Date());
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const p = performance.now();
  const first = await s.privacy.prune(new Date(Date.now() - 365 * DAY));
  const batchMs = performance.now() - p;
  return [name, String(CITIZENS * TURNS_EACH), (seeded / 1000).toFixed(1), times[10]?.toFixed(1) ?? '', times[19]?.toFixed(1) ?? '', String(first.turns), batchMs.toFixed(0)];
}

export async function runPrivacyBench(): Promise<void> {
  const rows: string[][] = [];
  const dir = mkdtempSync(join(tmpdir(), 'loa-bench-privacy-'));
  const sqlite = await openStorage({ sqliteFile: join(dir, 'loa.db'), DATABASE_URL: undefined });
  try {
    rows.push(await measure('SQLite', sqlite));
  } finally {
    await sqlite.close();
    rmSync(dir, { recursive: true, force: true });
  }
  if (await postgresAvailable()) {
    const temp = await createTempSchema();
    const pg = await openPostgresStorage(temp.url);
    try {
      rows.push(await measure('PostgreSQL', pg));
    } finally {
      await pg.close();
      await temp.drop();
    }
  }
  console.log('backend | turns | seed s | forget one citizen p50 ms | p95 ms | retention batch rows | batch ms');
  for (const r of rows) console.log(r.join(' | '));
}
