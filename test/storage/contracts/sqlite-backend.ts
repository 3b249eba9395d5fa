import { SqliteFaqStore } from '../../../storage/sqlite/faq-store.ts';
import { SqliteKnowledgeStore } from '../../../storage/sqlite/knowledge-store.ts';
import { SqliteReviewStore } from '../../../storage/sqlite/review-store.ts';
import { SqliteReportStore } from '../../../storage/sqlite/report-store.ts';
import { SqliteUserStore } from '../../../storage/sqlite/user-store.ts';
import { openSqlDatabase, sqlStores } from '../../../storage/sql/index.ts';
import type { SqlDatabase } from '../../../storage/sql/connect.ts';
import type { SqliteDatabase } from '../../../storage/sqlite/database.ts';
import { tempDatabase } from '../../support/temp-sqlite.ts';
import { lazyStores, type BackendFactory } from './backend.ts';

/** A SQLite file in a fresh temporary folder; each `connect()` opens its own handle on it. */
export const sqliteBackend: BackendFactory = async () => {
  const temp = tempDatabase('loa-contract-');
  const opened: SqlDatabase[] = [];
  return {
    async connect() {
      const database = await openSqlDatabase({ sqliteFile: temp.file });
      opened.push(database);
      const db = database.sqlite as SqliteDatabase;
      const stores = sqlStores(database);
      return lazyStores({
        knowledge: async () => new SqliteKnowledgeStore(db),
        inbox: async () => stores.inbox,
        outbox: async () => stores.outbox,
        conversations: async () => stores.conversations,
        escalations: async () => stores.escalations,
        secrets: async () => stores.secrets,
        webchat: async () => stores.webchat,
        users: async () => new SqliteUserStore(db),
        staffSessions: async () => stores.staffSessions,
        audit: async () => stores.audit,
        faqs: async () => new SqliteFaqStore(db),
        reports: async () => new SqliteReportStore(db),
        examples: async () => stores.examples,
        reviews: async () => new SqliteReviewStore(db),
        synonyms: async () => stores.synonyms,
      });
    },
    async cleanup() {
      for (const database of opened) await database.close();
      temp.cleanup();
    },
  };
};
