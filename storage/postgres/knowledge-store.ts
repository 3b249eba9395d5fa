import type { DocumentSummary, KnowledgeStore } from '../knowledge-store.ts';
import { documentMetaSchema } from '../../domain/document.ts';
import type { DocumentMeta, KnowledgeDocument, KnowledgeUnit, UnitKind } from '../../domain/document.ts';
import { iso, migrate, query, toJson, withTransaction, type PgPool, type PgQueryable, type TransactionMode } from './database.ts';

const MIGRATIONS = [
  `CREATE TABLE knowledge_documents (
     id text PRIMARY KEY,
     title text NOT NULL,
     source text NOT NULL,
     content_hash text NOT NULL,
     meta jsonb NOT NULL,
     unit_count integer NOT NULL,
     article_count integer NOT NULL,
     ingested_at timestamptz NOT NULL
   );
   CREATE INDEX knowledge_documents_source ON knowledge_documents (source, ingested_at DESC);
   CREATE TABLE knowledge_units (
     doc_id text NOT NULL REFERENCES knowledge_documents (id) ON DELETE CASCADE,
     seq integer NOT NULL,
     id text NOT NULL,
     kind text NOT NULL,
     parent_id text,
     section text NOT NULL,
     article_no text,
     clause_no text,
     point_no text,
     heading text,
     text text NOT NULL,
     PRIMARY KEY (doc_id, seq)
   );
   CREATE INDEX knowledge_units_id ON knowledge_units (id);
   CREATE TABLE knowledge_state (key text PRIMARY KEY, value bigint NOT NULL);
   INSERT INTO knowledge_state (key, value) VALUES ('revision', 0);`,
];

interface DocumentRow {
  id: string;
  title: string;
  source: string;
  content_hash: string;
  meta: unknown;
  unit_count: number;
  article_count: number;
  ingested_at: Date;
}

interface UnitRow {
  doc_id: string;
  id: string;
  kind: string;
  parent_id: string | null;
  section: string;
  article_no: string | null;
  clause_no: string | null;
  point_no: string | null;
  heading: string | null;
  text: string;
}

function parseMeta(json: unknown): DocumentMeta {
  const r = documentMetaSchema.safeParse(json);
  return r.success ? r.data : { status: 'unknown' };
}

function toSummary(r: DocumentRow): DocumentSummary {
  return {
    id: r.id,
    title: r.title,
    source: r.source,
    contentHash: r.content_hash,
    meta: parseMeta(r.meta),
    unitCount: r.unit_count,
    articleCount: r.article_count,
    ingestedAt: iso(r.ingested_at),
  };
}

/** Builds a unit from a row, leaving absent optional fields out rather than null. */
function toUnit(r: UnitRow): KnowledgeUnit {
  const u: KnowledgeUnit = { id: r.id, docId: r.doc_id, kind: r.kind as UnitKind, section: r.section, text: r.text };
  if (r.parent_id !== null) u.parentId = r.parent_id;
  if (r.article_no !== null) u.articleNo = r.article_no;
  if (r.clause_no !== null) u.clauseNo = r.clause_no;
  if (r.point_no !== null) u.pointNo = r.point_no;
  if (r.heading !== null) u.heading = r.heading;
  return u;
}

function toDocument(row: DocumentRow, units: KnowledgeUnit[]): KnowledgeDocument {
  const s = toSummary(row);
  return { id: s.id, title: s.title, source: s.source, contentHash: s.contentHash, meta: s.meta, units, ingestedAt: s.ingestedAt };
}

/** A consistent read of several statements (a document and its units are never from two versions). */
const READ_SNAPSHOT: TransactionMode = 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY';

const UNIT_COLUMNS = 'doc_id, id, kind, parent_id, section, article_no, clause_no, point_no, heading, text';
const DOC_COLUMNS = 'id, title, source, content_hash, meta, unit_count, article_count, ingested_at';

/**
 * Every write takes the revision row's lock first: writes (ingestion, the console) are rare
 * and short, and one at a time they cannot interleave a document's units, even when two
 * instances ingest the same document at once.
 */
async function lockRevision(db: PgQueryable): Promise<void> {
  await query(db, "SELECT value FROM knowledge_state WHERE key = 'revision' FOR UPDATE");
}

async function bump(db: PgQueryable): Promise<void> {
  await query(db, "UPDATE knowledge_state SET value = value + 1 WHERE key = 'revision'");
}

/**
 * Official documents in PostgreSQL: one row per document (metadata as jsonb), one row per
 * unit. Replacing a document swaps all its units in one transaction, and every change bumps
 * the revision counter every instance's retrieval index compares against.
 */
export class PostgresKnowledgeStore implements KnowledgeStore {
  private constructor(private readonly pool: PgPool) {}

  /** Applies the migrations and returns the store. */
  static async open(pool: PgPool): Promise<PostgresKnowledgeStore> {
    await migrate(pool, 'knowledge', MIGRATIONS);
    return new PostgresKnowledgeStore(pool);
  }

  async putDocument(d: KnowledgeDocument): Promise<'added' | 'replaced' | 'unchanged'> {
    return withTransaction(this.pool, (db) => this.putIn(db, d));
  }

  async putDocuments(docs: KnowledgeDocument[]): Promise<Array<'added' | 'replaced' | 'unchanged'>> {
    return withTransaction(this.pool, async (db) => {
      const outcomes: Array<'added' | 'replaced' | 'unchanged'> = [];
      for (const d of docs) outcomes.push(await this.putIn(db, d));
      return outcomes;
    });
  }

  /** Compare hash, swap units, bump revision, inside the caller's transaction. */
  private async putIn(db: PgQueryable, d: KnowledgeDocument): Promise<'added' | 'replaced' | 'unchanged'> {
    await lockRevision(db);
    const existing = await query<{ content_hash: string }>(db, 'SELECT content_hash FROM knowledge_documents WHERE id = $1', [d.id]);
    const previous = existing.rows[0];
    if (previous && previous.content_hash === d.contentHash) return 'unchanged' as const;
    await query(db, 'DELETE FROM knowledge_units WHERE doc_id = $1', [d.id]);
    await query(
      db,
      `INSERT INTO knowledge_documents (${DOC_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (id) DO UPDATE SET title = excluded.title, source = excluded.source, content_hash = excluded.content_hash,
         meta = excluded.meta, unit_count = excluded.unit_count, article_count = excluded.article_count, ingested_at = excluded.ingested_at`,
      [
        d.id, d.title, d.source, d.contentHash, toJson(d.meta), d.units.length,
        d.units.filter((u) => u.kind === 'article').length, d.ingestedAt,
      ],
    );
    // One statement per batch of columns (unnest), not one per unit: documents have thousands.
    const col = <T>(f: (u: KnowledgeUnit) => T) => d.units.map(f);
    if (d.units.length) {
      await query(
        db,
        `INSERT INTO knowledge_units (doc_id, seq, id, kind, parent_id, section, article_no, clause_no, point_no, heading, text)
         SELECT $1, t.ord - 1, t.id, t.kind, t.parent_id, t.section, t.article_no, t.clause_no, t.point_no, t.heading, t.text
         FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
           WITH ORDINALITY AS t (id, kind, parent_id, section, article_no, clause_no, point_no, heading, text, ord)`,
        [
          d.id,
          col((u) => u.id),
          col((u) => u.kind),
          col((u) => u.parentId ?? null),
          col((u) => u.section),
          col((u) => u.articleNo ?? null),
          col((u) => u.clauseNo ?? null),
          col((u) => u.pointNo ?? null),
          col((u) => u.heading ?? null),
          col((u) => u.text),
        ],
      );
    }
    await bump(db);
    return previous ? ('replaced' as const) : ('added' as const);
  }

  async getDocument(id: string): Promise<KnowledgeDocument | undefined> {
    return withTransaction(
      this.pool,
      async (db) => {
        const doc = (await query<DocumentRow>(db, `SELECT ${DOC_COLUMNS} FROM knowledge_documents WHERE id = $1`, [id])).rows[0];
        if (!doc) return undefined;
        const units = await query<UnitRow>(db, `SELECT ${UNIT_COLUMNS} FROM knowledge_units WHERE doc_id = $1 ORDER BY seq`, [id]);
        return toDocument(doc, units.rows.map(toUnit));
      },
      READ_SNAPSHOT,
    );
  }

  async findBySource(source: string): Promise<DocumentSummary | undefined> {
    const { rows } = await query<DocumentRow>(
      this.pool,
      `SELECT ${DOC_COLUMNS} FROM knowledge_documents WHERE source = $1 ORDER BY ingested_at DESC LIMIT 1`,
      [source],
    );
    return rows[0] && toSummary(rows[0]);
  }

  async listDocuments(): Promise<DocumentSummary[]> {
    const { rows } = await query<DocumentRow>(this.pool, `SELECT ${DOC_COLUMNS} FROM knowledge_documents ORDER BY id`);
    return rows.map(toSummary);
  }

  async allDocuments(): Promise<KnowledgeDocument[]> {
    // Two queries in one snapshot, grouped in JS: one query per document would be slow at 60k units.
    return withTransaction(
      this.pool,
      async (db) => {
        const docs = (await query<DocumentRow>(db, `SELECT ${DOC_COLUMNS} FROM knowledge_documents ORDER BY id`)).rows;
        const byDoc = new Map<string, KnowledgeUnit[]>(docs.map((d) => [d.id, []]));
        const units = await query<UnitRow>(db, `SELECT ${UNIT_COLUMNS} FROM knowledge_units ORDER BY doc_id, seq`);
        for (const row of units.rows) byDoc.get(row.doc_id)?.push(toUnit(row));
        return docs.map((d) => toDocument(d, byDoc.get(d.id) ?? []));
      },
      READ_SNAPSHOT,
    );
  }

  async updateMeta(id: string, meta: DocumentMeta): Promise<boolean> {
    return withTransaction(this.pool, async (db) => {
      await lockRevision(db);
      const changed = ((await query(db, 'UPDATE knowledge_documents SET meta = $1 WHERE id = $2', [toJson(meta), id])).rowCount ?? 0) > 0;
      if (changed) await bump(db);
      return changed;
    });
  }

  async removeDocument(id: string): Promise<boolean> {
    return withTransaction(this.pool, async (db) => {
      await lockRevision(db);
      const removed = ((await query(db, 'DELETE FROM knowledge_documents WHERE id = $1', [id])).rowCount ?? 0) > 0;
      if (removed) await bump(db);
      return removed;
    });
  }

  async revision(): Promise<number> {
    const { rows } = await query<{ value: string }>(this.pool, "SELECT value FROM knowledge_state WHERE key = 'revision'");
    return rows[0] ? Number(rows[0].value) : 0;
  }
}
