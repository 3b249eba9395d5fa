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
import { SqliteOpsStore } from './sqlite/ops-store.ts';
import type { ReviewStore } from './review-store.ts';
import type { SynonymStore } from './synonym-store.ts';
import type { ProactiveStore } from '../proactive/store.ts';
import { sqliteProactiveStore } from '../proactive/kysely-store.ts';
import type { ConsultationStore } from './consultation-store.ts';
import { openConsultationStore } from './consultation-store-kysely.ts';
import { isPostgresUrl } from './postgres/database.ts';
import { ProcessLock, type SharedLock } from './shared-lock.ts';
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
  /** Subscriptions, announcements and their deliveries (proactive/, on Kysely); absent in stores built by hand for tests. */
  proactive?: ProactiveStore;
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
    return openPostgresStorage(config.DATABASE_URL, { statementTimeoutMs: config.LOA_DB_STATEMENT_TIMEOUT_MS });
  }
  const db = openSqlite(config.sqliteFile);
  const proactive = sqliteProactiveStore(db);
  await proactive.migrate();
  return {
    proactive,
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
    // Reaches into the citizens' tables: created after all of them.
    privacy: new SqlitePrivacyStore(db),
    close: async () => {
      db.close();
    },
  };
}

export { openCoordination, type Coordination } from './redis/coordination.ts';
