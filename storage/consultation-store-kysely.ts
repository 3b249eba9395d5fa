import { randomUUID } from 'node:crypto';
import { Kysely, PostgresDialect, SqliteDialect, sql, type CompiledQuery, type Selectable } from 'kysely';
import type { ChannelName, Recipient } from '../domain/channel.ts';
import type {
  CommentChannel,
  Consultation,
  ConsultationComment,
  DraftUnit,
  DraftVersion,
  NewComment,
  NewConsultation,
  ResponseKind,
  Stance,
  Theme,
  UnitMapping,
} from '../consultations/ports.ts';
import { fingerprint } from '../consultations/ports.ts';
import { cleanText, type PgPool } from './postgres/database.ts';
import type { SqliteDatabase } from './sqlite/database.ts';
import {
  SlugTakenError,
  VersionConflictError,
  type CommentFilter,
  type ConsultationChatState,
  type ConsultationStore,
} from './consultation-store.ts';

/**
 * The consultation store on Kysely: the same queries on SQLite (better-sqlite3) and
 * PostgreSQL (pg). Every column is text or integer (timestamps are ISO text, booleans 0/1,
 * lists JSON text) so both backends store the same values. Tables are created on open
 * (PostgreSQL under an advisory lock: several instances may start at once).
 */

interface ConsultationsTable {
  id: string;
  slug: string;
  title: string;
  summary: string;
  scope: string;
  questions: string;
  asks_name: number;
  asks_organisation: number;
  asks_contact: number;
  opens_at: string;
  closes_at: string;
  consulted_count: number;
  officers: string;
  current_version: number;
  created_by: string;
  created_at: string;
  published_at: string | null;
}
interface VersionsTable {
  consultation_id: string;
  version: number;
  title: string;
  source_name: string;
  units: string;
  mapping: string | null;
  created_at: string;
}
interface CommentsTable {
  id: string;
  consultation_id: string;
  version: number;
  unit_key: string;
  current_unit_key: string | null;
  channel: string;
  citizen_id: string;
  stance: string;
  text: string;
  name: string | null;
  organisation: string | null;
  contact: string | null;
  hidden: number;
  hidden_reason: string | null;
  withdrawn: number;
  theme_id: string | null;
  fingerprint: string;
  recipient: string | null;
  last_message_id: string | null;
  last_message_at: string | null;
  notified_at: string | null;
  created_at: string;
  updated_at: string;
}
interface ThemesTable {
  id: string;
  consultation_id: string;
  unit_key: string;
  label: string;
  response_kind: string | null;
  response_text: string | null;
  responded_by: string | null;
  created_at: string;
  updated_at: string;
}
interface ChatTable {
  channel: string;
  user_id: string;
  consultation_id: string;
  unit_key: string | null;
  step: string;
  stance: string | null;
  comment_id: string | null;
  updated_at: string;
}
interface Schema {
  consultations: ConsultationsTable;
  consultation_versions: VersionsTable;
  consultation_comments: CommentsTable;
  consultation_themes: ThemesTable;
  consultation_chat: ChatTable;
}

/** Where the store lives: a better-sqlite3 handle or a pg pool (Kysely never closes either). */
export type ConsultationBackend = { sqlite: SqliteDatabase } | { postgres: PgPool };

const MIGRATION_LOCK = 0x10a_c0_11;

const json = (v: unknown): string => cleanText(JSON.stringify(v));
const text = (s: string): string => cleanText(s);
const opt = (s: string | undefined): string | null => (s === undefined ? null : cleanText(s));
const und = <T>(v: T | null): T | undefined => (v === null ? undefined : v);
const iso = (d: Date): string => d.toISOString();

function toConsultation(r: Selectable<ConsultationsTable>): Consultation {
  return {
    id: r.id,
    slug: r.slug,
    title: r.title,
    summary: r.summary,
    scope: r.scope,
    questions: JSON.parse(r.questions) as string[],
    asks: { name: r.asks_name === 1, organisation: r.asks_organisation === 1, contact: r.asks_contact === 1 },
    opensAt: r.opens_at,
    closesAt: r.closes_at,
    consultedCount: Number(r.consulted_count),
    officers: JSON.parse(r.officers) as string[],
    currentVersion: Number(r.current_version),
    createdBy: r.created_by,
    createdAt: r.created_at,
    ...(r.published_at !== null ? { publishedAt: r.published_at } : {}),
  };
}

function toVersion(r: Selectable<VersionsTable>): DraftVersion {
  return {
    consultationId: r.consultation_id,
    version: Number(r.version),
    title: r.title,
    sourceName: r.source_name,
    units: JSON.parse(r.units) as DraftUnit[],
    ...(r.mapping !== null ? { mapping: JSON.parse(r.mapping) as Record<string, UnitMapping> } : {}),
    createdAt: r.created_at,
  };
}

function toComment(r: Selectable<CommentsTable>): ConsultationComment {
  const c: ConsultationComment = {
    id: r.id,
    consultationId: r.consultation_id,
    version: Number(r.version),
    unitKey: r.unit_key,
    currentUnitKey: und(r.current_unit_key),
    channel: r.channel as CommentChannel,
    citizenId: r.citizen_id,
    stance: r.stance as Stance,
    text: r.text,
    name: und(r.name),
    organisation: und(r.organisation),
    contact: und(r.contact),
    hidden: Number(r.hidden) === 1,
    hiddenReason: und(r.hidden_reason),
    withdrawn: Number(r.withdrawn) === 1,
    themeId: und(r.theme_id),
    fingerprint: r.fingerprint,
    recipient: r.recipient === null ? undefined : (JSON.parse(r.recipient) as Recipient),
    lastMessageId: und(r.last_message_id),
    lastMessageAt: und(r.last_message_at),
    notifiedAt: und(r.notified_at),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
  for (const k of Object.keys(c) as (keyof ConsultationComment)[]) if (c[k] === undefined) delete c[k];
  return c;
}

function toTheme(r: Selectable<ThemesTable>): Theme {
  return {
    id: r.id,
    consultationId: r.consultation_id,
    unitKey: r.unit_key,
    label: r.label,
    ...(r.response_kind !== null ? { responseKind: r.response_kind as ResponseKind } : {}),
    ...(r.response_text !== null ? { responseText: r.response_text } : {}),
    ...(r.responded_by !== null ? { respondedBy: r.responded_by } : {}),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e.code === '23505' || e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** Creates the tables (idempotent). */
async function createSchema(db: Kysely<Schema>, postgres: boolean): Promise<void> {
  await db.connection().execute(async (conn) => {
    if (postgres) await sql`SELECT pg_advisory_lock(${MIGRATION_LOCK})`.execute(conn);
    try {
      await conn.schema
        .createTable('consultations')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('slug', 'text', (c) => c.notNull().unique())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('summary', 'text', (c) => c.notNull())
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('questions', 'text', (c) => c.notNull())
        .addColumn('asks_name', 'integer', (c) => c.notNull())
        .addColumn('asks_organisation', 'integer', (c) => c.notNull())
        .addColumn('asks_contact', 'integer', (c) => c.notNull())
        .addColumn('opens_at', 'text', (c) => c.notNull())
        .addColumn('closes_at', 'text', (c) => c.notNull())
        .addColumn('consulted_count', 'integer', (c) => c.notNull())
        .addColumn('officers', 'text', (c) => c.notNull())
        .addColumn('current_version', 'integer', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('published_at', 'text')
        .execute();
      await conn.schema
        .createTable('consultation_versions')
        .ifNotExists()
        .addColumn('consultation_id', 'text', (c) => c.notNull().references('consultations.id').onDelete('cascade'))
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('source_name', 'text', (c) => c.notNull())
        .addColumn('units', 'text', (c) => c.notNull())
        .addColumn('mapping', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('consultation_versions_pk', ['consultation_id', 'version'])
        .execute();
      await conn.schema
        .createTable('consultation_themes')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('consultation_id', 'text', (c) => c.notNull().references('consultations.id').onDelete('cascade'))
        .addColumn('unit_key', 'text', (c) => c.notNull())
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('response_kind', 'text')
        .addColumn('response_text', 'text')
        .addColumn('responded_by', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await conn.schema
        .createTable('consultation_comments')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('consultation_id', 'text', (c) => c.notNull().references('consultations.id').onDelete('cascade'))
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('unit_key', 'text', (c) => c.notNull())
        .addColumn('current_unit_key', 'text')
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('citizen_id', 'text', (c) => c.notNull())
        .addColumn('stance', 'text', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('name', 'text')
        .addColumn('organisation', 'text')
        .addColumn('contact', 'text')
        .addColumn('hidden', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('hidden_reason', 'text')
        .addColumn('withdrawn', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('theme_id', 'text', (c) => c.references('consultation_themes.id').onDelete('set null'))
        .addColumn('fingerprint', 'text', (c) => c.notNull())
        .addColumn('recipient', 'text')
        .addColumn('last_message_id', 'text')
        .addColumn('last_message_at', 'text')
        .addColumn('notified_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('consultation_comments_one_per_unit', ['consultation_id', 'channel', 'citizen_id', 'version', 'unit_key'])
        .execute();
      await conn.schema.createIndex('consultation_comments_by_consultation').ifNotExists().on('consultation_comments').columns(['consultation_id', 'created_at']).execute();
      await conn.schema.createIndex('consultation_comments_by_theme').ifNotExists().on('consultation_comments').column('theme_id').execute();
      await conn.schema
        .createTable('consultation_chat')
        .ifNotExists()
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('consultation_id', 'text', (c) => c.notNull().references('consultations.id').onDelete('cascade'))
        .addColumn('unit_key', 'text')
        .addColumn('step', 'text', (c) => c.notNull())
        .addColumn('stance', 'text')
        .addColumn('comment_id', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('consultation_chat_pk', ['channel', 'user_id'])
        .execute();
    } finally {
      if (postgres) await sql`SELECT pg_advisory_unlock(${MIGRATION_LOCK})`.execute(conn);
    }
  });
}

/** Opens the store on a backend, creating its tables. */
export async function openConsultationStore(backend: ConsultationBackend): Promise<ConsultationStore> {
  const postgres = 'postgres' in backend;
  const db = new Kysely<Schema>({
    dialect: 'postgres' in backend ? new PostgresDialect({ pool: backend.postgres }) : new SqliteDialect({ database: backend.sqlite }),
  });
  await createSchema(db, postgres);
  return new KyselyConsultationStore(db, 'sqlite' in backend ? backend.sqlite : undefined);
}

/** A query that can be compiled (built on `db`, run inside a transaction by `atomic`). */
interface Compilable {
  compile(): CompiledQuery;
}

class KyselyConsultationStore implements ConsultationStore {
  constructor(
    private readonly db: Kysely<Schema>,
    /** The SQLite handle, when that is the backend: transactions then run synchronously on it. */
    private readonly sqlite?: SqliteDatabase,
  ) {}

  /**
   * Runs the steps in one transaction and returns each step's affected rows; `check` may throw
   * after a step to roll everything back. On SQLite the other stores share this connection and
   * write synchronously: a Kysely transaction there stays open across awaits, so another
   * store's write could land inside it (and be lost on a rollback). The steps therefore run in
   * one synchronous better-sqlite3 transaction, with nothing else in between. PostgreSQL: a
   * Kysely transaction on a pooled connection of its own.
   */
  private async atomic(steps: Compilable[], check?: (step: number, changes: number) => void): Promise<number[]> {
    const sqlite = this.sqlite;
    if (sqlite) {
      return sqlite.transaction(() =>
        steps.map((step, i) => {
          const c = step.compile();
          const changes = sqlite.prepare(c.sql).run(...(c.parameters as unknown[])).changes;
          check?.(i, changes);
          return changes;
        }),
      )();
    }
    return this.db.transaction().execute(async (tx) => {
      const out: number[] = [];
      for (const [i, step] of steps.entries()) {
        const changes = Number((await tx.executeQuery(step.compile())).numAffectedRows ?? 0n);
        check?.(i, changes);
        out.push(changes);
      }
      return out;
    });
  }

  async create(input: NewConsultation, draft: { title: string; sourceName: string; units: DraftUnit[] }, now: Date): Promise<Consultation> {
    const id = randomUUID();
    try {
      await this.atomic([
        this.db.insertInto('consultations').values({
          id,
          slug: input.slug,
          title: text(input.title),
          summary: text(input.summary),
          scope: text(input.scope),
          questions: json(input.questions),
          asks_name: input.asks.name ? 1 : 0,
          asks_organisation: input.asks.organisation ? 1 : 0,
          asks_contact: input.asks.contact ? 1 : 0,
          opens_at: input.opensAt,
          closes_at: input.closesAt,
          consulted_count: input.consultedCount,
          officers: json(input.officers),
          current_version: 1,
          created_by: input.createdBy,
          created_at: iso(now),
          published_at: null,
        }),
        this.db
          .insertInto('consultation_versions')
          .values({ consultation_id: id, version: 1, title: text(draft.title), source_name: text(draft.sourceName), units: json(draft.units), mapping: null, created_at: iso(now) }),
      ]);
    } catch (err) {
      if (isUniqueViolation(err)) throw new SlugTakenError(input.slug);
      throw err;
    }
    return (await this.get(id))!;
  }

  async update(id: string, patch: Partial<Omit<NewConsultation, 'slug' | 'createdBy'>>): Promise<Consultation | undefined> {
    const set: Partial<ConsultationsTable> = {};
    if (patch.title !== undefined) set.title = text(patch.title);
    if (patch.summary !== undefined) set.summary = text(patch.summary);
    if (patch.scope !== undefined) set.scope = text(patch.scope);
    if (patch.questions !== undefined) set.questions = json(patch.questions);
    if (patch.asks !== undefined) {
      set.asks_name = patch.asks.name ? 1 : 0;
      set.asks_organisation = patch.asks.organisation ? 1 : 0;
      set.asks_contact = patch.asks.contact ? 1 : 0;
    }
    if (patch.opensAt !== undefined) set.opens_at = patch.opensAt;
    if (patch.closesAt !== undefined) set.closes_at = patch.closesAt;
    if (patch.consultedCount !== undefined) set.consulted_count = patch.consultedCount;
    if (patch.officers !== undefined) set.officers = json(patch.officers);
    if (Object.keys(set).length) await this.db.updateTable('consultations').set(set).where('id', '=', id).execute();
    return this.get(id);
  }

  async get(id: string): Promise<Consultation | undefined> {
    const r = await this.db.selectFrom('consultations').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toConsultation(r);
  }

  async getBySlug(slug: string): Promise<Consultation | undefined> {
    const r = await this.db.selectFrom('consultations').selectAll().where('slug', '=', slug).executeTakeFirst();
    return r && toConsultation(r);
  }

  async list(): Promise<Consultation[]> {
    const rows = await this.db.selectFrom('consultations').selectAll().orderBy('created_at', 'desc').orderBy('id').execute();
    return rows.map(toConsultation);
  }

  async markPublished(id: string, now: Date): Promise<boolean> {
    const r = await this.db.updateTable('consultations').set({ published_at: iso(now) }).where('id', '=', id).where('published_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async addVersion(
    id: string,
    expected: number,
    draft: { title: string; sourceName: string; units: DraftUnit[]; mapping: Record<string, UnitMapping> },
    now: Date,
  ): Promise<DraftVersion> {
    const version = expected + 1;
    // Comments follow their unit; a removed unit leaves them without a current unit.
    const moves = new Map<string, string[]>();
    for (const [from, m] of Object.entries(draft.mapping)) moves.set(m.to, [...(moves.get(m.to) ?? []), from]);
    const kept = Object.keys(draft.mapping);
    await this.atomic(
      [
        // The conditional bump is the claim: of two revisions of the same version, one wins.
        this.db.updateTable('consultations').set({ current_version: version }).where('id', '=', id).where('current_version', '=', expected),
        this.db
          .insertInto('consultation_versions')
          .values({ consultation_id: id, version, title: text(draft.title), source_name: text(draft.sourceName), units: json(draft.units), mapping: json(draft.mapping), created_at: iso(now) }),
        this.db
          .updateTable('consultation_comments')
          .set({ current_unit_key: null })
          .where('consultation_id', '=', id)
          .$if(kept.length > 0, (q) => q.where('current_unit_key', 'not in', kept)),
        // Two steps (marked, then unmarked) so a key mapped onto another old key ("3" → "4", "4" → "5") moves once.
        ...[...moves].map(([to, froms]) =>
          this.db.updateTable('consultation_comments').set({ current_unit_key: `\u0001${to}` }).where('consultation_id', '=', id).where('current_unit_key', 'in', froms),
        ),
        this.db
          .updateTable('consultation_comments')
          .set({ current_unit_key: sql<string>`substr(current_unit_key, 2)` })
          .where('consultation_id', '=', id)
          .where('current_unit_key', 'like', '\u0001%'),
      ],
      (step, changes) => {
        if (step === 0 && changes !== 1) throw new VersionConflictError(expected);
      },
    );
    return (await this.getVersion(id, version))!;
  }

  async getVersion(id: string, version: number): Promise<DraftVersion | undefined> {
    const r = await this.db.selectFrom('consultation_versions').selectAll().where('consultation_id', '=', id).where('version', '=', version).executeTakeFirst();
    return r && toVersion(r);
  }

  async listVersions(id: string): Promise<DraftVersion[]> {
    const rows = await this.db.selectFrom('consultation_versions').selectAll().where('consultation_id', '=', id).orderBy('version').execute();
    return rows.map(toVersion);
  }

  async saveComment(input: NewComment, now: Date): Promise<{ comment: ConsultationComment; created: boolean }> {
    const id = randomUUID();
    const at = iso(now);
    const lastAt = input.lastMessageId !== undefined ? at : null;
    const row = await this.db
      .insertInto('consultation_comments')
      .values({
        id,
        consultation_id: input.consultationId,
        version: input.version,
        unit_key: input.unitKey,
        current_unit_key: input.unitKey,
        channel: input.channel,
        citizen_id: input.citizenId,
        stance: input.stance,
        text: text(input.text),
        name: opt(input.name),
        organisation: opt(input.organisation),
        contact: opt(input.contact),
        hidden: 0,
        hidden_reason: null,
        withdrawn: 0,
        theme_id: null,
        fingerprint: fingerprint(input.text),
        recipient: input.recipient ? json(input.recipient) : null,
        last_message_id: opt(input.lastMessageId),
        last_message_at: lastAt,
        notified_at: null,
        created_at: at,
        updated_at: at,
      })
      .onConflict((oc) =>
        oc.columns(['consultation_id', 'channel', 'citizen_id', 'version', 'unit_key']).doUpdateSet((eb) => ({
          stance: eb.ref('excluded.stance'),
          text: eb.ref('excluded.text'),
          fingerprint: eb.ref('excluded.fingerprint'),
          withdrawn: 0,
          updated_at: eb.ref('excluded.updated_at'),
          name: sql<string | null>`coalesce(excluded.name, consultation_comments.name)`,
          organisation: sql<string | null>`coalesce(excluded.organisation, consultation_comments.organisation)`,
          contact: sql<string | null>`coalesce(excluded.contact, consultation_comments.contact)`,
          recipient: sql<string | null>`coalesce(excluded.recipient, consultation_comments.recipient)`,
          last_message_id: sql<string | null>`coalesce(excluded.last_message_id, consultation_comments.last_message_id)`,
          last_message_at: sql<string | null>`coalesce(excluded.last_message_at, consultation_comments.last_message_at)`,
        })),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
    return { comment: toComment(row), created: row.id === id };
  }

  async editComment(id: string, owner: { channel: CommentChannel; citizenId: string }, change: { stance: Stance; text: string }, now: Date): Promise<ConsultationComment | undefined> {
    const row = await this.db
      .updateTable('consultation_comments')
      .set({ stance: change.stance, text: text(change.text), fingerprint: fingerprint(change.text), withdrawn: 0, updated_at: iso(now) })
      .where('id', '=', id)
      .where('channel', '=', owner.channel)
      .where('citizen_id', '=', owner.citizenId)
      .returningAll()
      .executeTakeFirst();
    return row && toComment(row);
  }

  async withdrawComment(id: string, owner: { channel: CommentChannel; citizenId: string }, now: Date): Promise<boolean> {
    const r = await this.db
      .updateTable('consultation_comments')
      .set({ withdrawn: 1, updated_at: iso(now) })
      .where('id', '=', id)
      .where('channel', '=', owner.channel)
      .where('citizen_id', '=', owner.citizenId)
      .where('withdrawn', '=', 0)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async getComment(id: string): Promise<ConsultationComment | undefined> {
    const r = await this.db.selectFrom('consultation_comments').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toComment(r);
  }

  async listComments(consultationId: string, filter: CommentFilter = {}): Promise<ConsultationComment[]> {
    const rows = await this.db
      .selectFrom('consultation_comments')
      .selectAll()
      .where('consultation_id', '=', consultationId)
      .$if(!filter.hidden, (q) => q.where('hidden', '=', 0))
      .$if(!filter.withdrawn, (q) => q.where('withdrawn', '=', 0))
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toComment);
  }

  async countsByUnit(consultationId: string): Promise<Map<string, number>> {
    const rows = await this.db
      .selectFrom('consultation_comments')
      .select(['current_unit_key', (eb) => eb.fn.countAll<number>().as('n')])
      .where('consultation_id', '=', consultationId)
      .where('hidden', '=', 0)
      .where('withdrawn', '=', 0)
      .where('current_unit_key', 'is not', null)
      .groupBy('current_unit_key')
      .execute();
    return new Map(rows.map((r) => [r.current_unit_key!, Number(r.n)]));
  }

  async commentsOf(consultationId: string, owner: { channel: CommentChannel; citizenId: string }): Promise<ConsultationComment[]> {
    const rows = await this.db
      .selectFrom('consultation_comments')
      .selectAll()
      .where('consultation_id', '=', consultationId)
      .where('channel', '=', owner.channel)
      .where('citizen_id', '=', owner.citizenId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toComment);
  }

  async setHidden(id: string, hidden: boolean, reason: string | undefined, now: Date): Promise<boolean> {
    const r = await this.db
      .updateTable('consultation_comments')
      .set({ hidden: hidden ? 1 : 0, hidden_reason: hidden ? opt(reason) : null, updated_at: iso(now) })
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async markNotified(ids: string[], now: Date): Promise<void> {
    for (let i = 0; i < ids.length; i += 500) {
      await this.db.updateTable('consultation_comments').set({ notified_at: iso(now) }).where('id', 'in', ids.slice(i, i + 500)).execute();
    }
  }

  async forgetPersonalData(consultationId: string): Promise<number> {
    const r = await this.db
      .updateTable('consultation_comments')
      .set({ name: null, organisation: null, contact: null, recipient: null, last_message_id: null })
      .where('consultation_id', '=', consultationId)
      .executeTakeFirst();
    await this.db.deleteFrom('consultation_chat').where('consultation_id', '=', consultationId).execute();
    return Number(r.numUpdatedRows);
  }

  async listThemes(consultationId: string): Promise<Theme[]> {
    const rows = await this.db.selectFrom('consultation_themes').selectAll().where('consultation_id', '=', consultationId).orderBy('created_at').orderBy('id').execute();
    return rows.map(toTheme);
  }

  async getTheme(id: string): Promise<Theme | undefined> {
    const r = await this.db.selectFrom('consultation_themes').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toTheme(r);
  }

  async createThemes(consultationId: string, themes: { unitKey: string; label: string; commentIds: string[] }[], now: Date): Promise<Theme[]> {
    const at = iso(now);
    const ids: string[] = [];
    const steps: Compilable[] = [];
    for (const t of themes) {
      const id = randomUUID();
      ids.push(id);
      steps.push(this.db.insertInto('consultation_themes').values({ id, consultation_id: consultationId, unit_key: t.unitKey, label: text(t.label), response_kind: null, response_text: null, responded_by: null, created_at: at, updated_at: at }));
      for (let i = 0; i < t.commentIds.length; i += 500) {
        steps.push(this.db.updateTable('consultation_comments').set({ theme_id: id }).where('consultation_id', '=', consultationId).where('id', 'in', t.commentIds.slice(i, i + 500)));
      }
    }
    await this.atomic(steps);
    const created = new Set(ids);
    return (await this.listThemes(consultationId)).filter((t) => created.has(t.id));
  }

  async assignComments(consultationId: string, themeId: string | undefined, commentIds: string[]): Promise<number> {
    let n = 0;
    for (let i = 0; i < commentIds.length; i += 500) {
      const r = await this.db
        .updateTable('consultation_comments')
        .set({ theme_id: themeId ?? null })
        .where('consultation_id', '=', consultationId)
        .where('id', 'in', commentIds.slice(i, i + 500))
        .executeTakeFirst();
      n += Number(r.numUpdatedRows);
    }
    return n;
  }

  async updateTheme(id: string, change: { label?: string; responseKind?: ResponseKind; responseText?: string; respondedBy?: string }, now: Date): Promise<Theme | undefined> {
    const set: Partial<ThemesTable> = { updated_at: iso(now) };
    if (change.label !== undefined) set.label = text(change.label);
    if (change.responseKind !== undefined) set.response_kind = change.responseKind;
    if (change.responseText !== undefined) set.response_text = text(change.responseText);
    if (change.respondedBy !== undefined) set.responded_by = change.respondedBy;
    await this.db.updateTable('consultation_themes').set(set).where('id', '=', id).execute();
    return this.getTheme(id);
  }

  async mergeThemes(consultationId: string, targetId: string, sourceIds: string[], now: Date): Promise<Theme | undefined> {
    const sources = sourceIds.filter((s) => s !== targetId);
    if (sources.length) {
      await this.atomic([
        this.db.updateTable('consultation_comments').set({ theme_id: targetId }).where('consultation_id', '=', consultationId).where('theme_id', 'in', sources),
        this.db.deleteFrom('consultation_themes').where('consultation_id', '=', consultationId).where('id', 'in', sources),
        this.db.updateTable('consultation_themes').set({ updated_at: iso(now) }).where('id', '=', targetId),
      ]);
    }
    return this.getTheme(targetId);
  }

  async deleteTheme(id: string): Promise<boolean> {
    const [, deleted] = await this.atomic([
      this.db.updateTable('consultation_comments').set({ theme_id: null }).where('theme_id', '=', id),
      this.db.deleteFrom('consultation_themes').where('id', '=', id),
    ]);
    return deleted === 1;
  }

  async getChatState(channel: ChannelName, userId: string): Promise<ConsultationChatState | undefined> {
    const r = await this.db.selectFrom('consultation_chat').selectAll().where('channel', '=', channel).where('user_id', '=', userId).executeTakeFirst();
    if (!r) return undefined;
    return {
      channel: r.channel as ChannelName,
      userId: r.user_id,
      consultationId: r.consultation_id,
      ...(r.unit_key !== null ? { unitKey: r.unit_key } : {}),
      step: r.step as ConsultationChatState['step'],
      ...(r.stance !== null ? { stance: r.stance as Stance } : {}),
      ...(r.comment_id !== null ? { commentId: r.comment_id } : {}),
      updatedAt: r.updated_at,
    };
  }

  async setChatState(s: ConsultationChatState): Promise<void> {
    const row = {
      channel: s.channel,
      user_id: s.userId,
      consultation_id: s.consultationId,
      unit_key: s.unitKey ?? null,
      step: s.step,
      stance: s.stance ?? null,
      comment_id: s.commentId ?? null,
      updated_at: s.updatedAt,
    };
    await this.db
      .insertInto('consultation_chat')
      .values(row)
      .onConflict((oc) => oc.columns(['channel', 'user_id']).doUpdateSet({ consultation_id: row.consultation_id, unit_key: row.unit_key, step: row.step, stance: row.stance, comment_id: row.comment_id, updated_at: row.updated_at }))
      .execute();
  }

  async clearChatState(channel: ChannelName, userId: string): Promise<void> {
    await this.db.deleteFrom('consultation_chat').where('channel', '=', channel).where('user_id', '=', userId).execute();
  }
}
