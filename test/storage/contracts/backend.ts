import { afterEach, beforeEach } from 'vitest';
import type { AuditStore } from '../../../storage/audit-store.ts';
import type { ConversationStore } from '../../../storage/conversation-store.ts';
import type { EscalationStore } from '../../../storage/escalation-store.ts';
import type { FaqStore } from '../../../storage/faq-store.ts';
import type { InboxStore } from '../../../storage/inbox-store.ts';
import type { KnowledgeStore } from '../../../storage/knowledge-store.ts';
import type { OutboxStore } from '../../../storage/outbox-store.ts';
import type { ReportStore } from '../../../storage/report-store.ts';
import type { LabelledExampleStore } from '../../../storage/example-store.ts';
import type { ReviewStore } from '../../../storage/review-store.ts';
import type { SynonymStore } from '../../../storage/synonym-store.ts';
import type { SecretStore } from '../../../storage/secret-store.ts';
import type { SessionStore } from '../../../storage/session-store.ts';
import type { UserStore } from '../../../storage/user-store.ts';
import type { WebchatStore } from '../../../storage/webchat-store.ts';

/** The stores over one connection (pool) to a database, each opened (and migrated) on first use. */
export interface StoreSet {
  knowledge(): Promise<KnowledgeStore>;
  inbox(): Promise<InboxStore>;
  outbox(): Promise<OutboxStore>;
  conversations(): Promise<ConversationStore>;
  escalations(): Promise<EscalationStore>;
  secrets(): Promise<SecretStore>;
  webchat(): Promise<WebchatStore>;
  users(): Promise<UserStore>;
  staffSessions(): Promise<SessionStore>;
  audit(): Promise<AuditStore>;
  faqs(): Promise<FaqStore>;
  reports(): Promise<ReportStore>;
  examples(): Promise<LabelledExampleStore>;
  reviews(): Promise<ReviewStore>;
  synonyms(): Promise<SynonymStore>;
}

/** One empty database of a backend, for one test. */
export interface TestBackend {
  /** Opens a new connection to the same database, as another process or instance would. */
  connect(): Promise<StoreSet>;
  cleanup(): Promise<void>;
}

export type BackendFactory = () => Promise<TestBackend>;

/** Memoises each store of a set, so a test's calls share one store per connection. */
export function lazyStores(open: { [K in keyof StoreSet]: () => ReturnType<StoreSet[K]> }): StoreSet {
  const cache = new Map<keyof StoreSet, Promise<unknown>>();
  const get = <K extends keyof StoreSet>(k: K): ReturnType<StoreSet[K]> => {
    if (!cache.has(k)) cache.set(k, open[k]());
    return cache.get(k) as ReturnType<StoreSet[K]>;
  };
  return {
    knowledge: () => get('knowledge'),
    inbox: () => get('inbox'),
    outbox: () => get('outbox'),
    conversations: () => get('conversations'),
    escalations: () => get('escalations'),
    secrets: () => get('secrets'),
    webchat: () => get('webchat'),
    users: () => get('users'),
    // Sessions reference users: PostgreSQL needs their table first.
    staffSessions: async () => {
      await get('users');
      return get('staffSessions');
    },
    audit: () => get('audit'),
    faqs: () => get('faqs'),
    // Reports read the turns and escalations tables.
    reports: async () => {
      await get('conversations');
      await get('escalations');
      return get('reports');
    },
    examples: () => get('examples'),
    // The review queue indexes and reads the turns table.
    reviews: async () => {
      await get('conversations');
      return get('reviews');
    },
    synonyms: () => get('synonyms'),
  };
}

/**
 * Gives each test of the calling suite a fresh database; `db()` returns it.
 * @example
 * const db = useBackend(factory);
 * it('…', async () => { const store = await (await db().connect()).inbox(); … });
 */
export function useBackend(factory: BackendFactory): () => TestBackend {
  let backend: TestBackend | undefined;
  beforeEach(async () => {
    backend = await factory();
  });
  afterEach(async () => {
    await backend?.cleanup();
    backend = undefined;
  });
  return () => {
    if (!backend) throw new Error('useBackend: no backend outside a test');
    return backend;
  };
}
