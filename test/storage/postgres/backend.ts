import { openPostgresPool, type PgPool } from '../../../storage/postgres/database.ts';
import { PostgresFaqStore } from '../../../storage/postgres/faq-store.ts';
import { PostgresKnowledgeStore } from '../../../storage/postgres/knowledge-store.ts';
import { PostgresReviewStore } from '../../../storage/postgres/review-store.ts';
import { PostgresReportStore } from '../../../storage/postgres/report-store.ts';
import { PostgresUserStore } from '../../../storage/postgres/user-store.ts';
import type { SqlDatabase } from '../../../storage/sql/connect.ts';
import { openSqlDatabase, sqlStores } from '../../../storage/sql/index.ts';
import { createTempSchema } from '../../support/services.ts';
import { lazyStores, type BackendFactory, type StoreSet } from '../contracts/backend.ts';

/** One connection of a PostgreSQL test backend: its pool and its stores. */
export interface PostgresConnection {
  pool: PgPool;
  /** The same database through Kysely (the stores of `storage/sql/`). */
  database: SqlDatabase;
  stores: StoreSet;
}

/** A PostgreSQL test database in a schema of its own; also hands out raw connections. */
export async function postgresTestDatabase() {
  const temp = await createTempSchema();
  const connections: PostgresConnection[] = [];
  const connect = async (): Promise<PostgresConnection> => {
    const pool = openPostgresPool(temp.url, { max: 4 });
    const database = await openSqlDatabase({ postgresUrl: temp.url, poolSize: 4 });
    const sql = sqlStores(database);
    const stores = lazyStores({
      knowledge: () => PostgresKnowledgeStore.open(pool),
      inbox: async () => sql.inbox,
      outbox: async () => sql.outbox,
      conversations: async () => sql.conversations,
      escalations: async () => sql.escalations,
      secrets: async () => sql.secrets,
      webchat: async () => sql.webchat,
      users: () => PostgresUserStore.open(pool),
      staffSessions: async () => sql.staffSessions,
      audit: async () => sql.audit,
      faqs: () => PostgresFaqStore.open(pool),
      reports: () => PostgresReportStore.open(pool),
      examples: async () => sql.examples,
      reviews: () => PostgresReviewStore.open(pool),
      synonyms: async () => sql.synonyms,
    });
    const connection = { pool, database, stores };
    connections.push(connection);
    return connection;
  };
  return {
    schema: temp.schema,
    url: temp.url,
    connect,
    async cleanup() {
      for (const c of connections) {
        await c.pool.end();
        await c.database.close();
      }
      await temp.drop();
    },
  };
}

/** The PostgreSQL backend for the shared store contracts. */
export const postgresBackend: BackendFactory = async () => {
  const db = await postgresTestDatabase();
  return { connect: async () => (await db.connect()).stores, cleanup: db.cleanup };
};
