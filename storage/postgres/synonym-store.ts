import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { phraseKey, type AgencySynonym, type SynonymChange, type SynonymInput, type SynonymStore } from '../synonym-store.ts';
import { iso, migrate, query, toJson, withTransaction, type PgPool } from './database.ts';

const MIGRATIONS = [
  `CREATE TABLE agency_synonyms (
     id text PRIMARY KEY,
     everyday jsonb NOT NULL,
     legal jsonb NOT NULL,
     note text,
     created_by text NOT NULL,
     created_at timestamptz NOT NULL,
     updated_by text NOT NULL,
     updated_at timestamptz NOT NULL
   );
   -- One row per everyday phrase (its phraseKey): the primary key keeps a phrase in one entry only.
   CREATE TABLE agency_synonym_phrases (
     phrase text PRIMARY KEY,
     synonym_id text NOT NULL REFERENCES agency_synonyms (id) ON DELETE CASCADE
   );
   CREATE TABLE agency_synonym_revision (id integer PRIMARY KEY CHECK (id = 1), revision bigint NOT NULL);
   INSERT INTO agency_synonym_revision (id, revision) VALUES (1, 0);`,
];

interface SynonymRow {
  id: string;
  everyday: string[];
  legal: string[];
  note: string | null;
  created_by: string;
  created_at: Date;
  updated_by: string;
  updated_at: Date;
}

function toSynonym(row: SynonymRow): AgencySynonym {
  return {
    id: row.id,
    everyday: row.everyday,
    legal: row.legal,
    ...(row.note !== null ? { note: row.note } : {}),
    createdBy: row.created_by,
    createdAt: iso(row.created_at),
    updatedBy: row.updated_by,
    updatedAt: iso(row.updated_at),
  };
}

/** Writes take this transaction lock, so two instances' check-then-insert never interleave. */
const lock = (c: pg.PoolClient) => c.query("SELECT pg_advisory_xact_lock(hashtext('loa.synonyms:' || coalesce(current_schema(), '')))");
const bump = (c: pg.PoolClient) => c.query('UPDATE agency_synonym_revision SET revision = revision + 1 WHERE id = 1');

/** Agency synonyms in PostgreSQL; each write and its revision bump are one transaction. */
export class PostgresSynonymStore implements SynonymStore {
  private constructor(private readonly pool: PgPool) {}

  static async open(pool: PgPool): Promise<PostgresSynonymStore> {
    await migrate(pool, 'synonyms', MIGRATIONS);
    return new PostgresSynonymStore(pool);
  }

  async list(): Promise<AgencySynonym[]> {
    const { rows } = await query<SynonymRow>(this.pool, 'SELECT * FROM agency_synonyms ORDER BY updated_at DESC, id');
    return rows.map(toSynonym);
  }

  async get(id: string): Promise<AgencySynonym | undefined> {
    const { rows } = await query<SynonymRow>(this.pool, 'SELECT * FROM agency_synonyms WHERE id = $1', [id]);
    return rows[0] && toSynonym(rows[0]);
  }

  private write(id: string | undefined, input: SynonymInput, by: string, at: Date): Promise<SynonymChange> {
    return withTransaction(this.pool, async (c): Promise<SynonymChange> => {
      await lock(c);
      if (id !== undefined) {
        const found = await query(c, 'SELECT 1 FROM agency_synonyms WHERE id = $1', [id]);
        if (found.rowCount === 0) return { ok: false, reason: 'not_found' };
      }
      const keys = input.everyday.map(phraseKey);
      const owners = await query<{ phrase: string; synonym_id: string }>(
        c,
        'SELECT phrase, synonym_id FROM agency_synonym_phrases WHERE phrase = ANY($1) AND synonym_id IS DISTINCT FROM $2',
        [keys, id ?? null],
      );
      const hit = keys.findIndex((k) => owners.rows.some((o) => o.phrase === k));
      if (hit >= 0) {
        const owner = owners.rows.find((o) => o.phrase === keys[hit])!;
        return { ok: false, reason: 'duplicate', phrase: input.everyday[hit], otherId: owner.synonym_id };
      }
      const synonymId = id ?? randomUUID();
      const params = [toJson(input.everyday), toJson(input.legal), input.note ?? null, by, at];
      const { rows } =
        id === undefined
          ? await query<SynonymRow>(
              c,
              `INSERT INTO agency_synonyms (id, everyday, legal, note, created_by, created_at, updated_by, updated_at)
               VALUES ($6, $1, $2, $3, $4, $5, $4, $5) RETURNING *`,
              [...params, synonymId],
            )
          : await query<SynonymRow>(
              c,
              'UPDATE agency_synonyms SET everyday = $1, legal = $2, note = $3, updated_by = $4, updated_at = $5 WHERE id = $6 RETURNING *',
              [...params, synonymId],
            );
      await query(c, 'DELETE FROM agency_synonym_phrases WHERE synonym_id = $1', [synonymId]);
      await query(c, 'INSERT INTO agency_synonym_phrases (phrase, synonym_id) SELECT unnest($1::text[]), $2', [keys, synonymId]);
      await bump(c);
      return { ok: true, synonym: toSynonym(rows[0]) };
    });
  }

  create(input: SynonymInput, by: string, at: Date): Promise<SynonymChange> {
    return this.write(undefined, input, by, at);
  }

  update(id: string, input: SynonymInput, by: string, at: Date): Promise<SynonymChange> {
    return this.write(id, input, by, at);
  }

  remove(id: string): Promise<AgencySynonym | undefined> {
    return withTransaction(this.pool, async (c) => {
      await lock(c);
      const { rows } = await query<SynonymRow>(c, 'DELETE FROM agency_synonyms WHERE id = $1 RETURNING *', [id]);
      if (!rows[0]) return undefined;
      await bump(c);
      return toSynonym(rows[0]);
    });
  }

  async revision(): Promise<number> {
    const { rows } = await query<{ revision: string }>(this.pool, 'SELECT revision FROM agency_synonym_revision WHERE id = 1');
    return Number(rows[0].revision);
  }
}
