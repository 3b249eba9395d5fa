import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { phraseKey, type AgencySynonym, type SynonymChange, type SynonymInput, type SynonymStore } from '../synonym-store.ts';
import type { SqlDatabase } from './connect.ts';
import { toJson } from './json.ts';
import type { AgencySynonymsTable, Database } from './schema.ts';

function toSynonym(row: Selectable<AgencySynonymsTable>): AgencySynonym {
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

const bump = (trx: Kysely<Database>) =>
  trx.updateTable('agency_synonym_revision').set((eb) => ({ revision: eb('revision', '+', 1) })).where('id', '=', 1).execute();

/**
 * Agency synonyms, on SQLite or PostgreSQL. Each write and its revision bump are one
 * transaction that excludes the other writers, so two check-then-inserts never interleave;
 * `agency_synonym_phrases` (one row per everyday phrase key) keeps a phrase in one entry.
 */
export class SqlSynonymStore implements SynonymStore {
  constructor(private readonly sql: SqlDatabase) {}

  async list(): Promise<AgencySynonym[]> {
    const rows = await this.sql.db.selectFrom('agency_synonyms').selectAll().orderBy('updated_at', 'desc').orderBy('id').execute();
    return rows.map(toSynonym);
  }

  async get(id: string): Promise<AgencySynonym | undefined> {
    const row = await this.sql.db.selectFrom('agency_synonyms').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toSynonym(row);
  }

  async create(input: SynonymInput, by: string, at: Date): Promise<SynonymChange> {
    return this.write(undefined, input, by, at);
  }

  async update(id: string, input: SynonymInput, by: string, at: Date): Promise<SynonymChange> {
    return this.write(id, input, by, at);
  }

  private async write(id: string | undefined, input: SynonymInput, by: string, now: Date): Promise<SynonymChange> {
    const { dialect } = this.sql;
    const at = now.toISOString();
    return dialect.writeTransaction(this.sql.db, async (trx) => {
      await dialect.serialize(trx, 'synonyms');
      const existing = id === undefined ? undefined : await trx.selectFrom('agency_synonyms').select('id').where('id', '=', id).executeTakeFirst();
      if (id !== undefined && !existing) return { ok: false, reason: 'not_found' } as const;
      const keys = input.everyday.map(phraseKey);
      const owners = keys.length
        ? await trx.selectFrom('agency_synonym_phrases').select(['phrase', 'synonym_id']).where('phrase', 'in', keys).execute()
        : [];
      for (const [i, key] of keys.entries()) {
        const owner = owners.find((o) => o.phrase === key);
        if (owner && owner.synonym_id !== id) return { ok: false, reason: 'duplicate', phrase: input.everyday[i], otherId: owner.synonym_id } as const;
      }
      const synonymId = id ?? randomUUID();
      const values = { everyday: toJson(input.everyday), legal: toJson(input.legal), note: input.note ?? null, updated_by: by, updated_at: at };
      if (existing) {
        await trx.updateTable('agency_synonyms').set(values).where('id', '=', synonymId).execute();
        await trx.deleteFrom('agency_synonym_phrases').where('synonym_id', '=', synonymId).execute();
      } else {
        await trx.insertInto('agency_synonyms').values({ id: synonymId, ...values, created_by: by, created_at: at }).execute();
      }
      if (keys.length) await trx.insertInto('agency_synonym_phrases').values(keys.map((phrase) => ({ phrase, synonym_id: synonymId }))).execute();
      await bump(trx);
      const row = await trx.selectFrom('agency_synonyms').selectAll().where('id', '=', synonymId).executeTakeFirstOrThrow();
      return { ok: true, synonym: toSynonym(row) } as const;
    });
  }

  async remove(id: string): Promise<AgencySynonym | undefined> {
    const { dialect } = this.sql;
    return dialect.writeTransaction(this.sql.db, async (trx) => {
      await dialect.serialize(trx, 'synonyms');
      const row = await trx.selectFrom('agency_synonyms').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) return undefined;
      await trx.deleteFrom('agency_synonym_phrases').where('synonym_id', '=', id).execute();
      await trx.deleteFrom('agency_synonyms').where('id', '=', id).execute();
      await bump(trx);
      return toSynonym(row);
    });
  }

  async revision(): Promise<number> {
    const row = await this.sql.db.selectFrom('agency_synonym_revision').select('revision').where('id', '=', 1).executeTakeFirst();
    return row?.revision ?? 0;
  }
}
