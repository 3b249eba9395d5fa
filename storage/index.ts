import type { Config } from '../app/config.ts';
import type { ConversationStore } from './conversation-store.ts';
import type { EscalationStore } from './escalation-store.ts';
import type { InboxStore } from './inbox-store.ts';
import type { KnowledgeStore } from './knowledge-store.ts';
import type { OutboxStore } from './outbox-store.ts';
import type { SecretStore } from './secret-store.ts';
import type { WebchatStore } from './webchat-store.ts';
import type { UserStore } from './user-store.ts';
import type { SessionStore } from './session-store.ts';
import type { RecoveryCodeStore } from './recovery-code-store.ts';
import type { PrivacyStore } from './privacy-store.ts';
import { SqliteRecoveryCodeStore } from './sqlite/recovery-code-store.ts';
import { SqlitePrivacyStore } from './sqlite/privacy-store.ts';
import type { AuditStore } from './audit-store.ts';
import type { FaqStore } from './faq-store.ts';
import type { ReportStore } from './report-store.ts';
import type { LabelledExampleStore } from './example-store.ts';
import type { OpsStore } from './ops-store.ts';
import type { ReviewStore } from './review-store.ts';
import type { SynonymStore } from './synonym-store.ts';
import type { ConsultationStore } from './consultation-store.ts';
import { openConsultationStore } from './consultation-store-kysely.ts';
import { isPostgresUrl } from './postgres/database.ts';
import type { SharedLock } from './shared-lock.ts';
import { openPostgresStorage } from './postgres/index.ts';
import type { SqliteDatabase } from './sqlite/database.ts';
import { openSqlDatabase, sqlStores } from './sql/index.ts';
import { SqliteKnowledgeStore } from './sqlite/knowledge-store.ts';
import { SqliteUserStore } from './sqlite/user-store.ts';
import { SqliteFaqStore } from './sqlite/faq-store.ts';
import { SqliteReportStore } from './sqlite/report-store.ts';
import { SqliteReviewStore } from './sqlite/review-store.ts';

/** All of Loa's persistent state, behind interfaces. Nothing outside `storage/` knows the backend. */
export interface Storage {
  knowledge: KnowledgeStore;
  /** Incoming channel events, deduplicated, kept until handled. */
  inbox: InboxStore;
  /** Outgoing messages, kept until the channel accepted them. */
  outbox: OutboxStore;
  /** Every conversation turn, with feedback: history and reports. */
  conversations: ConversationStore;
  /** Questions handed to spokespeople. */
  escalations: EscalationStore;
  /** Small durable values such as channel tokens. */
  secrets: SecretStore;
  /** Web chat sessions and transcripts. */
  webchat: WebchatStore;
  /** Console staff accounts. */
  users: UserStore;
  /** Console sessions (hashed ids). */
  staffSessions: SessionStore;
  /** One-time recovery codes of the second factor (hashed). */
  recoveryCodes: RecoveryCodeStore;
  /** Citizens' personal data: retention and deletion on request (Decree 13/2023/NĐ-CP). */
  privacy: PrivacyStore;
  /** Append-only audit trail of staff actions. */
  audit: AuditStore;
  /** Approved answers and their drafts (the console's FAQs). */
  faqs: FaqStore;
  /** Read-only report queries over turns and escalations. */
  reports: ReportStore;
  /** Citizens' questions labelled with the unit they chose (clarify choices). */
  examples: LabelledExampleStore;
  /** Read-only queue figures and a database ping, for readiness and metrics. */
  ops: OpsStore;
  /** Locks across the instances sharing this database (in-process for SQLite). */
  locks: SharedLock;
  /** Answers to check: 👎 and low confidence, and whether an officer reviewed them. */
  reviews: ReviewStore;
  /** The agency's everyday → legal vocabulary, added to retrieval's built-in lexicon. */
  synonyms: SynonymStore;
  /** Consultations on draft documents: versions, citizens' comments, themes and answers (one Kysely implementation). */
  consultations: ConsultationStore;
  close(): Promise<void>;
}

/** The stores the conversation core works with. */
export type BotStorage = Pick<Storage, 'inbox' | 'outbox' | 'conversations' | 'escalations' | 'examples'> & Partial<Pick<Storage, 'privacy'>>;

/**
 * Opens the configured backend: SQLite under the data directory, or PostgreSQL when
 * DATABASE_URL is a postgres:// URL (several instances may share it). Shared rate limits and
 * web chat fan-out come from `openCoordination` (Redis).
 */
export async function openStorage(config: Pick<Config, 'sqliteFile' | 'DATABASE_URL'> & Partial<Pick<Config, 'LOA_DB_STATEMENT_TIMEOUT_MS'>>): Promise<Storage> {
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
    // Reaches into the citizens' tables: created after all of them.
    privacy: new SqlitePrivacyStore(db),
    ...sqlStores(database),
    close: () => database.close(),
  };
}

export { openCoordination, type Coordination } from './redis/coordination.ts';
