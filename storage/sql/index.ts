import type { Storage } from '../storage.ts';
import { PostgresAdvisoryLock } from '../postgres/advisory-lock.ts';
import { ProcessLock } from '../shared-lock.ts';
import { openPostgresDatabase, openSqliteDatabase, type PostgresOptions, type SqlDatabase } from './connect.ts';
import { migrateToLatest } from './migrations/index.ts';
import { SqlAuditStore } from './audit-store.ts';
import { SqlConversationStore } from './conversation-store.ts';
import { SqlEscalationStore } from './escalation-store.ts';
import { SqlLabelledExampleStore } from './example-store.ts';
import { SqlOpsStore } from './ops-store.ts';
import { SqlSecretStore } from './secret-store.ts';
import { SqlSessionStore } from './session-store.ts';
import { SqlSynonymStore } from './synonym-store.ts';
import { SqlWebchatStore } from './webchat-store.ts';
import { SqlInboxStore } from './inbox-store.ts';
import { SqlOutboxStore } from './outbox-store.ts';

/** Where the database is: a SQLite file (or `:memory:`), or a PostgreSQL URL with its pool options. */
export type SqlTarget = { sqliteFile: string } | ({ postgresUrl: string } & PostgresOptions);

/** Opens the database of `target` and brings its schema up to date (`migrations/`). */
export async function openSqlDatabase(target: SqlTarget): Promise<SqlDatabase> {
  const database = 'sqliteFile' in target ? openSqliteDatabase(target.sqliteFile) : openPostgresDatabase(target.postgresUrl, target);
  try {
    await migrateToLatest(database);
    return database;
  } catch (err) {
    await database.close();
    throw err;
  }
}

/** The stores of `Storage` written once in this folder. */
export type SqlStores = Pick<
  Storage,
  'inbox' | 'outbox' | 'conversations' | 'escalations' | 'secrets' | 'webchat' | 'staffSessions' | 'audit' | 'examples' | 'ops' | 'synonyms' | 'locks'
>;

/** The stores written once over Kysely, on an open, migrated database. */
export function sqlStores(database: SqlDatabase): SqlStores {
  return {
    inbox: new SqlInboxStore(database),
    conversations: new SqlConversationStore(database),
    escalations: new SqlEscalationStore(database),
    secrets: new SqlSecretStore(database),
    webchat: new SqlWebchatStore(database),
    staffSessions: new SqlSessionStore(database),
    audit: new SqlAuditStore(database),
    examples: new SqlLabelledExampleStore(database),
    ops: new SqlOpsStore(database),
    synonyms: new SqlSynonymStore(database),
    outbox: new SqlOutboxStore(database),
    locks: database.pool ? new PostgresAdvisoryLock(database.pool) : new ProcessLock(),
  };
}
