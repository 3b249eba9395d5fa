import type { ChannelName } from '../../domain/channel.ts';
import type { LabelledExample, LabelledExampleStore, NewLabelledExample } from '../example-store.ts';
import { iso, migrate, query, type PgPool } from './database.ts';

const MIGRATIONS = [
  `CREATE TABLE labelled_examples (
     id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     question text NOT NULL,
     unit_id text NOT NULL,
     channel text NOT NULL,
     source_key text NOT NULL UNIQUE,
     created_at timestamptz NOT NULL
   );`,
];

interface ExampleRow {
  id: string;
  question: string;
  unit_id: string;
  channel: string;
  source_key: string;
  created_at: Date;
}

function toExample(row: ExampleRow): LabelledExample {
  return {
    id: Number(row.id),
    question: row.question,
    unitId: row.unit_id,
    channel: row.channel as ChannelName,
    sourceKey: row.source_key,
    createdAt: iso(row.created_at),
  };
}

/** Labelled examples in PostgreSQL; one per source key, whichever instance records it first. */
export class PostgresLabelledExampleStore implements LabelledExampleStore {
  private constructor(private readonly pool: PgPool) {}

  static async open(pool: PgPool): Promise<PostgresLabelledExampleStore> {
    await migrate(pool, 'examples', MIGRATIONS);
    return new PostgresLabelledExampleStore(pool);
  }

  async record(e: NewLabelledExample, at: Date): Promise<{ example: LabelledExample; created: boolean }> {
    const inserted = await query<ExampleRow>(
      this.pool,
      `INSERT INTO labelled_examples (question, unit_id, channel, source_key, created_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (source_key) DO NOTHING RETURNING *`,
      [e.question, e.unitId, e.channel, e.sourceKey, at],
    );
    if (inserted.rows[0]) return { example: toExample(inserted.rows[0]), created: true };
    const { rows } = await query<ExampleRow>(this.pool, 'SELECT * FROM labelled_examples WHERE source_key = $1', [e.sourceKey]);
    return { example: toExample(rows[0]), created: false };
  }

  async list(options: { after?: number; limit?: number } = {}): Promise<LabelledExample[]> {
    const { rows } = await query<ExampleRow>(this.pool, 'SELECT * FROM labelled_examples WHERE id > $1 ORDER BY id LIMIT $2', [
      options.after ?? 0,
      options.limit ?? 1000,
    ]);
    return rows.map(toExample);
  }
}
