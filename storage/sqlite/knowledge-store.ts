import type { DocumentSummary, KnowledgeStore } from '../knowledge-store.ts';
import { documentMetaSchema } from '../../domain/document.ts';
import type { DocumentMeta, KnowledgeDocument, KnowledgeUnit, UnitKind } from '../../domain/document.ts';
import { migrate, type SqliteDatabase } from './database.ts';

const MIGRATIONS = [
  `CREATE TABLE knowledge_documents (
     id TEXT PRIMARY KEY,
     title TEXT NOT NULL,
     source TEXT NOT NULL,
     content_hash TEXT NOT NULL,
     meta TEXT NOT NULL,
     unit_count INTEGER NOT NULL,
     article_count INTEGER NOT NULL,
     ingested_at TEXT NOT NULL
   );
   CREATE INDEX knowledge_documents_source ON knowledge_documents (source);
   CREATE TABLE knowledge_units (
     doc_id TEXT NOT NULL REFERENCES knowledge_documents (id) ON DELETE CASCADE,
     seq INTEGER NOT NULL,
     id TEXT NOT NULL,
     kind TEXT NOT NULL,
     parent_id TEXT,
     section TEXT NOT NULL,
     article_no TEXT,
     clause_no TEXT,
     point_no TEXT,
     heading TEXT,
     text TEXT NOT NULL,
     PRIMARY KEY (doc_id, seq)
   );
   CREATE INDEX knowledge_units_id ON knowledge_units (id);
   CREATE TABLE knowledge_state (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
   INSERT INTO knowledge_state (key, value) VALUES ('revision', 0);`,
];

interface DocumentRow {
  id: string;
  title: string;
  source: string;
  content_hash: string;
  meta: string;
  unit_count: number;
  article_count: number;
  ingested_at: string;
}

type UnitRow = [
  docId: string,
  id: string,
  kind: string,
  parentId: string | null,
  section: string,
  articleNo: string | null,
  clauseNo: string | null,
  pointNo: string | null,
  heading: string | null,
  text: string,
];

function parseMeta(json: string): DocumentMeta {
  const r = documentMetaSchema.safeParse(JSON.parse(json));
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
    ingestedAt: r.ingested_at,
  };
}

/** Builds a unit from a raw row, leaving absent optional fields out rather than null. */
function toUnit(r: UnitRow): KnowledgeUnit {
  const u: KnowledgeUnit = { id: r[1], docId: r[0], kind: r[2] as UnitKind, section: r[4], text: r[9] };
  if (r[3] !== null) u.parentId = r[3];
  if (r[5] !== null) u.articleNo = r[5];
  if (r[6] !== null) u.clauseNo = r[6];
  if (r[7] !== null) u.pointNo = r[7];
  if (r[8] !== null) u.heading = r[8];
  return u;
}

const UNIT_COLUMNS = 'doc_id, id, kind, parent_id, section, article_no, clause_no, point_no, heading, text';

function prepareStatements(db: SqliteDatabase) {
  return {
    hashOf: db.prepare<[string], { content_hash: string }>('SELECT content_hash FROM knowledge_documents WHERE id = ?'),
    upsertDoc: db.prepare(
      `INSERT INTO knowledge_documents (id, title, source, content_hash, meta, unit_count, article_count, ingested_at)
       VALUES (@id, @title, @source, @contentHash, @meta, @unitCount, @articleCount, @ingestedAt)
       ON CONFLICT (id) DO UPDATE SET title = excluded.title, source = excluded.source, content_hash = excluded.content_hash,
         meta = excluded.meta, unit_count = excluded.unit_count, article_count = excluded.article_count, ingested_at = excluded.ingested_at`,
    ),
    deleteUnits: db.prepare('DELETE FROM knowledge_units WHERE doc_id = ?'),
    insertUnit: db.prepare(
      `INSERT INTO knowledge_units (doc_id, seq, id, kind, parent_id, section, article_no, clause_no, point_no, heading, text)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    getDoc: db.prepare<[string], DocumentRow>('SELECT * FROM knowledge_documents WHERE id = ?'),
    unitsOf: db.prepare<[string], UnitRow>(`SELECT ${UNIT_COLUMNS} FROM knowledge_units WHERE doc_id = ? ORDER BY seq`).raw(true),
    bySource: db.prepare<[string], DocumentRow>('SELECT * FROM knowledge_documents WHERE source = ? ORDER BY ingested_at DESC LIMIT 1'),
    allDocs: db.prepare<[], DocumentRow>('SELECT * FROM knowledge_documents ORDER BY id'),
    allUnits: db.prepare<[], UnitRow>(`SELECT ${UNIT_COLUMNS} FROM knowledge_units ORDER BY doc_id, seq`).raw(true),
    updateMeta: db.prepare('UPDATE knowledge_documents SET meta = ? WHERE id = ?'),
    deleteDoc: db.prepare('DELETE FROM knowledge_documents WHERE id = ?'),
    bump: db.prepare("UPDATE knowledge_state SET value = value + 1 WHERE key = 'revision'"),
    revision: db.prepare<[], { value: number }>("SELECT value FROM knowledge_state WHERE key = 'revision'"),
  };
}

/**
 * Official documents in the embedded SQLite database: one row per document (metadata as
 * JSON), one row per unit. Replacing a document swaps all its units in one transaction, and
 * every change bumps a revision counter the retrieval index compares against.
 */
export class SqliteKnowledgeStore implements KnowledgeStore {
  private readonly db: SqliteDatabase;
  private readonly stmts: ReturnType<typeof prepareStatements>;
  /** Compare hash, swap units, bump revision: all or nothing. */
  private readonly putTx: (doc: KnowledgeDocument) => 'added' | 'replaced' | 'unchanged';

  constructor(db: SqliteDatabase) {
    this.db = db;
    migrate(db, 'knowledge', MIGRATIONS);
    const stmts = prepareStatements(db);
    this.stmts = stmts;
    this.putTx = db.transaction((d: KnowledgeDocument) => {
      const existing = stmts.hashOf.get(d.id);
      if (existing && existing.content_hash === d.contentHash) return 'unchanged' as const;
      stmts.deleteUnits.run(d.id);
      stmts.upsertDoc.run({
        id: d.id,
        title: d.title,
        source: d.source,
        contentHash: d.contentHash,
        meta: JSON.stringify(d.meta),
        unitCount: d.units.length,
        articleCount: d.units.filter((u) => u.kind === 'article').length,
        ingestedAt: d.ingestedAt,
      });
      d.units.forEach((u, seq) => {
        stmts.insertUnit.run(
          d.id, seq, u.id, u.kind, u.parentId ?? null, u.section,
          u.articleNo ?? null, u.clauseNo ?? null, u.pointNo ?? null, u.heading ?? null, u.text,
        );
      });
      stmts.bump.run();
      return existing ? ('replaced' as const) : ('added' as const);
    });
  }

  async putDocument(doc: KnowledgeDocument): Promise<'added' | 'replaced' | 'unchanged'> {
    return this.putTx(doc);
  }

  async putDocuments(docs: KnowledgeDocument[]): Promise<Array<'added' | 'replaced' | 'unchanged'>> {
    // The per-document transactions nest as savepoints inside this one.
    return this.db.transaction((ds: KnowledgeDocument[]) => ds.map((d) => this.putTx(d)))(docs);
  }

  async getDocument(id: string): Promise<KnowledgeDocument | undefined> {
    const row = this.stmts.getDoc.get(id);
    if (!row) return undefined;
    return this.toDocument(row, this.stmts.unitsOf.all(id).map(toUnit));
  }

  async findBySource(source: string): Promise<DocumentSummary | undefined> {
    const row = this.stmts.bySource.get(source);
    return row ? toSummary(row) : undefined;
  }

  async listDocuments(): Promise<DocumentSummary[]> {
    return this.stmts.allDocs.all().map(toSummary);
  }

  async allDocuments(): Promise<KnowledgeDocument[]> {
    // Two queries inside one read transaction, grouped in JS: one query per document would be slow at 60k units.
    return this.db.transaction(() => {
      const docs = this.stmts.allDocs.all();
      const byDoc = new Map<string, KnowledgeUnit[]>(docs.map((d) => [d.id, []]));
      for (const row of this.stmts.allUnits.iterate()) byDoc.get(row[0])?.push(toUnit(row));
      return docs.map((d) => this.toDocument(d, byDoc.get(d.id) ?? []));
    })();
  }

  async updateMeta(id: string, meta: DocumentMeta): Promise<boolean> {
    return this.db.transaction(() => {
      const changed = this.stmts.updateMeta.run(JSON.stringify(meta), id).changes > 0;
      if (changed) this.stmts.bump.run();
      return changed;
    })();
  }

  async removeDocument(id: string): Promise<boolean> {
    return this.db.transaction(() => {
      const removed = this.stmts.deleteDoc.run(id).changes > 0;
      if (removed) this.stmts.bump.run();
      return removed;
    })();
  }

  async revision(): Promise<number> {
    return this.stmts.revision.get()?.value ?? 0;
  }

  private toDocument(row: DocumentRow, units: KnowledgeUnit[]): KnowledgeDocument {
    const s = toSummary(row);
    return { id: s.id, title: s.title, source: s.source, contentHash: s.contentHash, meta: s.meta, units, ingestedAt: s.ingestedAt };
  }
}
