import type { Selectable } from 'kysely';
import type { ChannelName } from '../../domain/channel.ts';
import type { LabelledExample, LabelledExampleStore, NewLabelledExample } from '../example-store.ts';
import type { SqlDatabase } from './connect.ts';
import type { LabelledExamplesTable } from './schema.ts';

const toExample = (row: Selectable<LabelledExamplesTable>): LabelledExample => ({
  id: row.id,
  question: row.question,
  unitId: row.unit_id,
  channel: row.channel as ChannelName,
  sourceKey: row.source_key,
  createdAt: row.created_at,
});

/** Labelled examples, on SQLite or PostgreSQL: one per source key. */
export class SqlLabelledExampleStore implements LabelledExampleStore {
  constructor(private readonly sql: SqlDatabase) {}

  async record(e: NewLabelledExample, at: Date): Promise<{ example: LabelledExample; created: boolean }> {
    const { db } = this.sql;
    const inserted = await db
      .insertInto('labelled_examples')
      .values({ question: e.question, unit_id: e.unitId, channel: e.channel, source_key: e.sourceKey, created_at: at.toISOString() })
      .onConflict((oc) => oc.column('source_key').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (inserted) return { example: toExample(inserted), created: true };
    const row = await db.selectFrom('labelled_examples').selectAll().where('source_key', '=', e.sourceKey).executeTakeFirstOrThrow();
    return { example: toExample(row), created: false };
  }

  async list(options: { after?: number; limit?: number } = {}): Promise<LabelledExample[]> {
    const rows = await this.sql.db
      .selectFrom('labelled_examples')
      .selectAll()
      .where('id', '>', options.after ?? 0)
      .orderBy('id')
      .limit(options.limit ?? 1000)
      .execute();
    return rows.map(toExample);
  }
}
