import { sql, type Kysely } from 'kysely';
import type { SqlDatabase } from '../connect.ts';
import { storedMessage } from '../outbox-message.ts';
import type { Database } from '../schema.ts';

const PAGE = 500;

/**
 * Issue 9 retention: the outbox kept a copy of its turn's text and citations (about 7.6 KB a
 * message). Adds `text_from_turn` and rewrites the rows whose turn holds the same text and
 * citations, page by page; the others keep their whole message.
 */
export async function outboxTurnReference(target: SqlDatabase, db: Kysely<Database>): Promise<void> {
  const flag = target.dialect.name === 'sqlite' ? sql`INTEGER NOT NULL DEFAULT 0` : sql`boolean NOT NULL DEFAULT false`;
  await sql`ALTER TABLE outbox ADD COLUMN text_from_turn ${flag}`.execute(db);
  let after = 0;
  for (;;) {
    const rows = await db
      .selectFrom('outbox as o')
      .innerJoin('conversation_turns as t', 't.id', 'o.turn_id')
      .select(['o.id', 'o.message', 't.reply_text', 't.citations'])
      .where('o.id', '>', after)
      .orderBy('o.id')
      .limit(PAGE)
      .execute();
    for (const row of rows) {
      const stored = storedMessage(JSON.parse(row.message), row);
      if (stored.fromTurn) await db.updateTable('outbox').set({ message: stored.json, text_from_turn: 1 }).where('id', '=', row.id).execute();
    }
    if (rows.length < PAGE) break;
    after = rows[rows.length - 1].id;
  }
}
