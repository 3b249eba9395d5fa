import { SqliteAuditStore } from '../../../storage/sqlite/audit-store.ts';
import { SqliteConversationStore } from '../../../storage/sqlite/conversation-store.ts';
import { SqliteEscalationStore } from '../../../storage/sqlite/escalation-store.ts';
import { SqliteLabelledExampleStore } from '../../../storage/sqlite/example-store.ts';
import { SqliteFaqStore } from '../../../storage/sqlite/faq-store.ts';
import { SqliteInboxStore } from '../../../storage/sqlite/inbox-store.ts';
import { SqliteKnowledgeStore } from '../../../storage/sqlite/knowledge-store.ts';
import { SqliteOutboxStore } from '../../../storage/sqlite/outbox-store.ts';
import { SqliteReviewStore } from '../../../storage/sqlite/review-store.ts';
import { SqliteSynonymStore } from '../../../storage/sqlite/synonym-store.ts';
import { SqliteReportStore } from '../../../storage/sqlite/report-store.ts';
import { SqliteSecretStore } from '../../../storage/sqlite/secret-store.ts';
import { SqliteSessionStore } from '../../../storage/sqlite/session-store.ts';
import { SqliteUserStore } from '../../../storage/sqlite/user-store.ts';
import { createSqliteWebchatStore } from '../../../storage/sqlite/webchat-store.ts';
import { tempDatabase } from '../../support/temp-sqlite.ts';
import { lazyStores, type BackendFactory } from './backend.ts';

/** A SQLite file in a fresh temporary folder; each `connect()` opens its own handle on it. */
export const sqliteBackend: BackendFactory = async () => {
  const temp = tempDatabase('loa-contract-');
  return {
    async connect() {
      const db = temp.open();
      return lazyStores({
        knowledge: async () => new SqliteKnowledgeStore(db),
        inbox: async () => new SqliteInboxStore(db),
        outbox: async () => new SqliteOutboxStore(db),
        conversations: async () => new SqliteConversationStore(db),
        escalations: async () => new SqliteEscalationStore(db),
        secrets: async () => new SqliteSecretStore(db),
        webchat: async () => createSqliteWebchatStore(db),
        users: async () => new SqliteUserStore(db),
        staffSessions: async () => new SqliteSessionStore(db),
        audit: async () => new SqliteAuditStore(db),
        faqs: async () => new SqliteFaqStore(db),
        reports: async () => new SqliteReportStore(db),
        examples: async () => new SqliteLabelledExampleStore(db),
        reviews: async () => new SqliteReviewStore(db),
        synonyms: async () => new SqliteSynonymStore(db),
      });
    },
    async cleanup() {
      temp.cleanup();
    },
  };
};
