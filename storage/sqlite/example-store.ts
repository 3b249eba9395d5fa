import type { ChannelName } from '../../domain/channel.ts';
import type { LabelledExample, LabelledExampleStore, NewLabelledExample } from '../example-store.ts';
import { migrate, type SqliteDatabase } from './database.ts';

const MIGRATIONS = [
  `CREATE TABLE labelled_examples (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     question TEXT NOT NULL,
     unit_id TEXT NOT NULL,
     channel TEXT NOT NULL,
     source_key TEXT NOT NULL UNIQUE,
     created_at TEXT NOT NULL
   );`,
];

interface ExampleRow {
  id: number;
  question: string;
  unit_id: string;
  channel: string;
  source_key: string;
  created_at: string;
}

function toExample(row: ExampleRow): LabelledExample {
  return {
    id: row.id,
    question: row.question,
    unitId: row.unit_id,
    channel: row.channel as ChannelName,
    sourceKey: row.source_key,
    createdAt: row.created_at,
  };
}

/** Labelled examples in SQLite. */
export class SqliteLabelledExampleStore implements LabelledExampleStore {
  private readonly insert;
  private readonly bySource;
  private readonly after;

  constructor(db: SqliteDatabase) {
    migrate(db, 'examples', MIGRATIONS);
    this.insert = db.prepare(
      `INSERT INTO labelled_examples (question, unit_id, channel, source_key, created_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (source_key) DO NOTHING`,
    );
    this.bySource = db.prepare('SELECT * FROM labelled_examples WHERE source_key = ?');
    this.after = db.prepare('SELECT * FROM labelled_examples WHERE id > ? ORDER BY id LIMIT ?');
  }

  async record(e: NewLabelledExample, at: Date): Promise<{ example: LabelledExample; created: boolean }> {
    const created = this.insert.run(e.question, e.unitId, e.channel, e.sourceKey, at.toISOString()).changes > 0;
    return { example: toExample(this.bySource.get(e.sourceKey) as ExampleRow), created };
  }

  async list(options: { after?: number; limit?: number } = {}): Promise<LabelledExample[]> {
    return (this.after.all(options.after ?? 0, options.limit ?? 1000) as ExampleRow[]).map(toExample);
  }
}
