import { SqliteRecoveryCodeStore } from './sqlite/recovery-code-store.ts';
import { SqlitePrivacyStore } from './sqlite/privacy-store.ts';
import { sqliteProactiveStore } from './proactive-store-kysely.ts';
import type { ProactiveStore } from '../proactive/ports.ts';
import { openConsultationStore } from './consultation-store-kysely.ts';
import { isPostgresUrl } from './postgres/database.ts';
import { openPostgresStorage } from './postgres/index.ts';
import type { SqliteDatabase } from './sqlite/database.ts';
import { openSqlDatabase, sqlStores } from './sql/index.ts';
import { SqliteKnowledgeStore } from './sqlite/knowledge-store.ts';
import { SqliteUserStore } from './sqlite/user-store.ts';
import { SqliteFaqStore } from './sqlite/faq-store.ts';
import { SqliteReportStore } from './sqlite/report-store.ts';
import { SqliteReviewStore } from './sqlite/review-store.ts';
import type { Storage } from './storage.ts';

// The aggregate interface is declared apart, so that backends can name it without importing this module.
export type { BotStorage, Storage } from './storage.ts';

/**
 * Opens the configured backend: SQLite under the data directory, or PostgreSQL when
 * DATABASE_URL is a postgres:// URL (several instances may share it). Shared rate limits and
 * web chat fan-out come from `openCoordination` (Redis).
 */
/** What `openStorage` needs of the configuration (app/config.ts `Config` has these fields). */
export interface StorageOptions {
  /** The SQLite file, used when `DATABASE_URL` is unset. */
  sqliteFile: string;
  DATABASE_URL?: string;
  LOA_DB_STATEMENT_TIMEOUT_MS?: number;
}

export async function openStorage(config: StorageOptions): Promise<Storage> {
  if (config.DATABASE_URL !== undefined) {
    // Never fall back to SQLite when a database was asked for: instances would silently stop sharing state.
    if (!isPostgresUrl(config.DATABASE_URL)) throw new Error('DATABASE_URL must start with postgres:// or postgresql:// (unset it to use SQLite)');
    const database = await openSqlDatabase({ postgresUrl: config.DATABASE_URL, statementTimeoutMs: config.LOA_DB_STATEMENT_TIMEOUT_MS });
    const legacy = await openPostgresStorage(config.DATABASE_URL, { statementTimeoutMs: config.LOA_DB_STATEMENT_TIMEOUT_MS });
    return {
      ...legacy,
      ...sqlStores(database),
      close: async () => {
        await legacy.close();
        await database.close();
      },
    };
  }
  const database = await openSqlDatabase({ sqliteFile: config.sqliteFile });
  const db = database.sqlite as SqliteDatabase;
  return {
    knowledge: new SqliteKnowledgeStore(db),
    users: new SqliteUserStore(db),
    recoveryCodes: new SqliteRecoveryCodeStore(db),
    faqs: new SqliteFaqStore(db),
    reports: new SqliteReportStore(db),
    reviews: new SqliteReviewStore(db),
    consultations: await openConsultationStore({ sqlite: db }),
    proactive: await openSqliteProactive(db),
    // Reaches into the citizens' tables: created after all of them.
    privacy: new SqlitePrivacyStore(db),
    ...sqlStores(database),
    close: () => database.close(),
  };
}

export { openCoordination, type Coordination } from './redis/coordination.ts';

async function openSqliteProactive(db: Parameters<typeof sqliteProactiveStore>[0]): Promise<ProactiveStore> {
  const store = sqliteProactiveStore(db);
  await store.migrate();
  return store;
}
