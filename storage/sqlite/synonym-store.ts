import { randomUUID } from 'node:crypto';
import { phraseKey, type AgencySynonym, type SynonymChange, type SynonymInput, type SynonymStore } from '../synonym-store.ts';
import { migrate, type SqliteDatabase } from './database.ts';

const MIGRATIONS = [
  `CREATE TABLE agency_synonyms (
     id TEXT PRIMARY KEY,
     everyday TEXT NOT NULL,
     legal TEXT NOT NULL,
     note TEXT,
     created_by TEXT NOT NULL,
     created_at TEXT NOT NULL,
     updated_by TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );
   -- One row per everyday phrase (its phraseKey): the primary key keeps a phrase in one entry only.
   CREATE TABLE agency_synonym_phrases (
     phrase TEXT PRIMARY KEY,
     synonym_id TEXT NOT NULL REFERENCES agency_synonyms (id) ON DELETE CASCADE
   );
   CREATE TABLE agency_synonym_revision (id INTEGER PRIMARY KEY CHECK (id = 1), revision INTEGER NOT NULL);
   INSERT INTO agency_synonym_revision (id, revision) VALUES (1, 0);`,
];

interface SynonymRow {
  id: string;
  everyday: string;
  legal: string;
  note: string | null;
  created_by: string;
  created_at: string;
  updated_by: string;
  updated_at: string;
}

function toSynonym(row: SynonymRow): AgencySynonym {
  return {
    id: row.id,
    everyday: JSON.parse(row.everyday) as string[],
    legal: JSON.parse(row.legal) as string[],
    ...(row.note !== null ? { note: row.note } : {}),
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedBy: row.updated_by,
    updatedAt: row.updated_at,
  };
}

/** Agency synonyms in SQLite; each write and its revision bump are one (immediate) transaction. */
export class SqliteSynonymStore implements SynonymStore {
  private readonly all;
  private readonly byId;
  private readonly owner;
  private readonly insert;
  private readonly change;
  private readonly insertPhrase;
  private readonly clearPhrases;
  private readonly del;
  private readonly bump;
  private readonly rev;
  private readonly write;

  constructor(private readonly db: SqliteDatabase) {
    migrate(db, 'synonyms', MIGRATIONS);
    this.all = db.prepare('SELECT * FROM agency_synonyms ORDER BY updated_at DESC, id');
    this.byId = db.prepare('SELECT * FROM agency_synonyms WHERE id = ?');
    this.owner = db.prepare('SELECT synonym_id FROM agency_synonym_phrases WHERE phrase = ?');
    this.insert = db.prepare(
      `INSERT INTO agency_synonyms (id, everyday, legal, note, created_by, created_at, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.change = db.prepare('UPDATE agency_synonyms SET everyday = ?, legal = ?, note = ?, updated_by = ?, updated_at = ? WHERE id = ?');
    this.insertPhrase = db.prepare('INSERT INTO agency_synonym_phrases (phrase, synonym_id) VALUES (?, ?)');
    this.clearPhrases = db.prepare('DELETE FROM agency_synonym_phrases WHERE synonym_id = ?');
    this.del = db.prepare('DELETE FROM agency_synonyms WHERE id = ?');
    this.bump = db.prepare('UPDATE agency_synonym_revision SET revision = revision + 1 WHERE id = 1');
    this.rev = db.prepare('SELECT revision FROM agency_synonym_revision WHERE id = 1');
    // Writes run immediate: a check then an insert on two connections must not interleave.
    const tx = db.transaction((id: string | undefined, input: SynonymInput, by: string, at: string): SynonymChange => {
      const existing = id === undefined ? undefined : (this.byId.get(id) as SynonymRow | undefined);
      if (id !== undefined && !existing) return { ok: false, reason: 'not_found' };
      for (const phrase of input.everyday) {
        const o = this.owner.get(phraseKey(phrase)) as { synonym_id: string } | undefined;
        if (o && o.synonym_id !== id) return { ok: false, reason: 'duplicate', phrase, otherId: o.synonym_id };
      }
      const synonymId = id ?? randomUUID();
      if (existing) {
        this.change.run(JSON.stringify(input.everyday), JSON.stringify(input.legal), input.note ?? null, by, at, synonymId);
        this.clearPhrases.run(synonymId);
      } else {
        this.insert.run(synonymId, JSON.stringify(input.everyday), JSON.stringify(input.legal), input.note ?? null, by, at, by, at);
      }
      for (const phrase of input.everyday) this.insertPhrase.run(phraseKey(phrase), synonymId);
      this.bump.run();
      return { ok: true, synonym: toSynonym(this.byId.get(synonymId) as SynonymRow) };
    });
    this.write = (id: string | undefined, input: SynonymInput, by: string, at: Date) => tx.immediate(id, input, by, at.toISOString());
  }

  async list(): Promise<AgencySynonym[]> {
    return (this.all.all() as SynonymRow[]).map(toSynonym);
  }

  async get(id: string): Promise<AgencySynonym | undefined> {
    const row = this.byId.get(id) as SynonymRow | undefined;
    return row && toSynonym(row);
  }

  async create(input: SynonymInput, by: string, at: Date): Promise<SynonymChange> {
    return this.write(undefined, input, by, at);
  }

  async update(id: string, input: SynonymInput, by: string, at: Date): Promise<SynonymChange> {
    return this.write(id, input, by, at);
  }

  async remove(id: string): Promise<AgencySynonym | undefined> {
    return this.db.transaction(() => {
      const row = this.byId.get(id) as SynonymRow | undefined;
      if (!row) return undefined;
      this.clearPhrases.run(id);
      this.del.run(id);
      this.bump.run();
      return toSynonym(row);
    }).immediate();
  }

  async revision(): Promise<number> {
    return (this.rev.get() as { revision: number }).revision;
  }
}
