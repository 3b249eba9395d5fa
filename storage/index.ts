import { SqliteRecoveryCodeStore } from './sqlite/recovery-code-store.ts';
import { SqlitePrivacyStore } from './sqlite/privacy-store.ts';
import { SqliteOpsStore } from './sqlite/ops-store.ts';
import { sqliteProactiveStore } from '../storage/proactive-store-kysely.ts';
import type { ProactiveStore } from '../proactive/ports.ts';
import { openConsultationStore } from './consultation-store-kysely.ts';
import { isPostgresUrl } from './postgres/database.ts';
import { ProcessLock } from './shared-lock.ts';
import { openPostgresStorage } from './postgres/index.ts';
import { SqliteConversationStore } from './sqlite/conversation-store.ts';
import { openSqlite } from './sqlite/database.ts';
import { SqliteEscalationStore } from './sqlite/escalation-store.ts';
import { SqliteInboxStore } from './sqlite/inbox-store.ts';
import { SqliteKnowledgeStore } from './sqlite/knowledge-store.ts';
import { SqliteOutboxStore } from './sqlite/outbox-store.ts';
import { SqliteSecretStore } from './sqlite/secret-store.ts';
import { createSqliteWebchatStore } from './sqlite/webchat-store.ts';
import { SqliteUserStore } from './sqlite/user-store.ts';
import { SqliteSessionStore } from './sqlite/session-store.ts';
import { SqliteAuditStore } from './sqlite/audit-store.ts';
import { SqliteFaqStore } from './sqlite/faq-store.ts';
import { SqliteReportStore } from './sqlite/report-store.ts';
import { SqliteLabelledExampleStore } from './sqlite/example-store.ts';
import { SqliteReviewStore } from './sqlite/review-store.ts';
import { SqliteSynonymStore } from './sqlite/synonym-store.ts';
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
    return openPostgresStorage(config.DATABASE_URL, { statementTimeoutMs: config.LOA_DB_STATEMENT_TIMEOUT_MS });
  }
  const db = openSqlite(config.sqliteFile);
  return {
    knowledge: new SqliteKnowledgeStore(db),
    inbox: new SqliteInboxStore(db),
    outbox: new SqliteOutboxStore(db),
    conversations: new SqliteConversationStore(db),
    escalations: new SqliteEscalationStore(db),
    secrets: new SqliteSecretStore(db),
    webchat: createSqliteWebchatStore(db),
    // Sessions reference users: the users table is created first.
    users: new SqliteUserStore(db),
    staffSessions: new SqliteSessionStore(db),
    recoveryCodes: new SqliteRecoveryCodeStore(db),
    audit: new SqliteAuditStore(db),
    faqs: new SqliteFaqStore(db),
    // Reads the turns and escalations tables: created after their stores.
    reports: new SqliteReportStore(db),
    examples: new SqliteLabelledExampleStore(db),
    ops: new SqliteOpsStore(db),
    locks: new ProcessLock(),
    // Indexes the turns table: created after the conversation store.
    reviews: new SqliteReviewStore(db),
    synonyms: new SqliteSynonymStore(db),
    consultations: await openConsultationStore({ sqlite: db }),
    proactive: await openSqliteProactive(db),
    // Reaches into the citizens' tables: created after all of them.
    privacy: new SqlitePrivacyStore(db),
    close: async () => {
      db.close();
    },
  };
}

export { openCoordination, type Coordination } from './redis/coordination.ts';

async function openSqliteProactive(db: Parameters<typeof sqliteProactiveStore>[0]): Promise<ProactiveStore> {
  const store = sqliteProactiveStore(db);
  await store.migrate();
  return store;
}
