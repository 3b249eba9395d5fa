import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Citation } from '../retrieval/types.ts';
import { openSqlDatabase, sqlStores } from '../storage/sql/index.ts';

/**
 * Bytes of storage per answered message (issue 9 retention): a turn with its reply and
 * citations, the reply's outbox row, and the inbox event, in a SQLite file. "copy" stores
 * the outbox row as before (the whole message; no turn reference), "reference" as now (the
 * outbox keeps the turn's id; text and citations are read from the turn when sent).
 */
const MESSAGES = 500;

const quote = (n: number) =>
  `Điều ${n}. Công dân có quyền tự do cư trú theo quy định của Luật này và quy định khác của pháp luật có liên quan. `.repeat(12);
const citations: Citation[] = [20, 21, 22].map((n) => ({
  id: `luat-cu-tru::d${n}`,
  title: 'Luật Cư trú',
  number: '68/2020/QH14',
  section: `Điều ${n}, Khoản 1`,
  status: 'in_force',
  quote: quote(n),
  score: 0.8,
}));
const answer = 'Theo Luật Cư trú, để đăng ký thường trú bạn cần chuẩn bị tờ khai thay đổi thông tin cư trú và giấy tờ chứng minh chỗ ở hợp pháp. '.repeat(8);

async function measure(mode: 'copy' | 'reference'): Promise<{ fileBytes: number; outboxBytes: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'loa-bench-bytes-'));
  const file = join(dir, 'loa.sqlite');
  const database = await openSqlDatabase({ sqliteFile: file });
  try {
    const { inbox, conversations, outbox } = sqlStores(database);
    const sqlite = database.sqlite;
    if (!sqlite) throw new Error('SQLite only');
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const before = statSync(file).size;
    for (let i = 0; i < MESSAGES; i++) {
      const recipient = { channel: 'zalo' as const, userId: `u${i}`, address: {} };
      const added = await inbox.add(
        { channel: 'zalo', channelMessageId: `m${i}`, from: recipient, kind: 'text', text: 'Đăng ký thường trú cần giấy tờ gì?', sentAt: new Date().toISOString() },
        new Date(),
      );
      if (added.duplicate) throw new Error('duplicate');
      const turn = await conversations.recordTurn({
        inboxId: added.item.id, channel: 'zalo', userId: recipient.userId, intent: 'question', userText: 'Đăng ký thường trú cần giấy tờ gì?',
        replyKind: 'answer', replyText: answer, citations, answerId: `a${i}`, createdAt: new Date().toISOString(),
      });
      await outbox.enqueue(
        { key: `inbox:${added.item.id}`, recipient, message: { kind: 'answer', text: answer, citations, answerId: `a${i}` }, turnId: mode === 'reference' ? turn.id : undefined },
        new Date(),
      );
    }
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const outboxBytes = (sqlite.prepare('SELECT sum(length(message)) AS n FROM outbox').get() as { n: number }).n;
    return { fileBytes: (statSync(file).size - before) / MESSAGES, outboxBytes: outboxBytes / MESSAGES };
  } finally {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Prints bytes per message, with the outbox copying the turn and with it referring to the turn. */
export async function runStorageBytesBench(): Promise<void> {
  const copy = await measure('copy');
  const reference = await measure('reference');
  const kb = (n: number) => `${(n / 1024).toFixed(2)} KB`;
  console.log(`${MESSAGES} answered messages (answer ${answer.length} chars, ${citations.length} citations of ${citations[0].quote.length} chars), SQLite file`);
  console.log(`  outbox copies the turn:   ${kb(copy.fileBytes)} per message on disk, outbox message column ${kb(copy.outboxBytes)}`);
  console.log(`  outbox refers to the turn: ${kb(reference.fileBytes)} per message on disk, outbox message column ${kb(reference.outboxBytes)}`);
  console.log(`  saved: ${kb(copy.fileBytes - reference.fileBytes)} per message (${(100 * (1 - reference.fileBytes / copy.fileBytes)).toFixed(0)}%)`);
}
