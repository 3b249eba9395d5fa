import type { PgPool } from './database.ts';
import { postgresProactiveStore } from '../../storage/proactive-store-kysely.ts';
import type { ProactiveStore } from '../../proactive/ports.ts';
import type { Storage } from '../storage.ts';
import type { SqlStores } from '../sql/index.ts';
import { openPostgresPool } from './database.ts';
import { PostgresFaqStore } from './faq-store.ts';
import { PostgresKnowledgeStore } from './knowledge-store.ts';
import { PostgresReportStore } from './report-store.ts';
import { PostgresReviewStore } from './review-store.ts';
import { PostgresUserStore } from './user-store.ts';
import { PostgresRecoveryCodeStore } from './recovery-code-store.ts';
import { PostgresPrivacyStore } from './privacy-store.ts';
import { openConsultationStore } from '../consultation-store-kysely.ts';

/** The stores not yet moved to `storage/sql/`. */
export type LegacyStorage = Omit<Storage, keyof SqlStores>;

/** Thrown at start-up when DATABASE_URL selects PostgreSQL but a store has no PostgreSQL version. */
export class MissingPostgresStoreError extends Error {
  constructor(readonly store: string) {
    super(
      `DATABASE_URL selects PostgreSQL, but the "${store}" store has no PostgreSQL implementation yet ` +
        '(storage/postgres/). Unset DATABASE_URL to use SQLite, or add the store.',
    );
    this.name = 'MissingPostgresStoreError';
  }
}

export interface PostgresStorageOptions {
  /** Connections in the pool (default 10). */
  poolSize?: number;
  /** LOA_DB_STATEMENT_TIMEOUT_MS. */
  statementTimeoutMs?: number;
  /** Connection problems that do not fail a query (an idle connection dropped). */
  onError?: (err: Error) => void;
}

/**
 * Every store in the PostgreSQL database at `url`, migrated. Several instances may open the
 * same database at once (migrations take an advisory lock); inbox and outbox work is shared
 * between them through leases.
 */
async function openPostgresProactive(pool: PgPool): Promise<ProactiveStore> {
  const store = postgresProactiveStore(pool);
  await store.migrate();
  return store;
}

export async function openPostgresStorage(url: string, opts: PostgresStorageOptions = {}): Promise<LegacyStorage> {
  const pool = openPostgresPool(url, { max: opts.poolSize, onError: opts.onError, statementTimeoutMs: opts.statementTimeoutMs });
  const close = async (): Promise<void> => {
    await pool.end();
  };
  try {
    // In this order: sessions reference users.
    const storage: LegacyStorage = {
      knowledge: await PostgresKnowledgeStore.open(pool),
      users: await PostgresUserStore.open(pool),
      recoveryCodes: await PostgresRecoveryCodeStore.open(pool),
      faqs: await PostgresFaqStore.open(pool),
      // Reads the turns and escalations tables: opened after their stores.
      reports: await PostgresReportStore.open(pool),
      // Indexes the turns table: opened after the conversation store.
      reviews: await PostgresReviewStore.open(pool),
      consultations: await openConsultationStore({ postgres: pool }),
      proactive: await openPostgresProactive(pool),
      // Reaches into the citizens' tables: opened after all of them.
      privacy: await PostgresPrivacyStore.open(pool),
      close,
    };
    // The type above keeps this list complete at compile time; this catches a store left undefined at run time.
    for (const [name, store] of Object.entries(storage)) if (store === undefined) throw new MissingPostgresStoreError(name);
    return storage;
  } catch (err) {
    await close();
    throw err;
  }
}
