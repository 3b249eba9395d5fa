import type { ProactiveStore } from '../proactive/ports.ts';
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
import type { AuditStore } from './audit-store.ts';
import type { FaqStore } from './faq-store.ts';
import type { ReportStore } from './report-store.ts';
import type { LabelledExampleStore } from './example-store.ts';
import type { OpsStore } from './ops-store.ts';
import type { ReviewStore } from './review-store.ts';
import type { SynonymStore } from './synonym-store.ts';
import type { ConsultationStore } from './consultation-store.ts';
import type { SharedLock } from './shared-lock.ts';

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
  /** Subscriptions, announcements, deliveries and claims (proactive/, on Kysely); absent in stores built by hand for tests. */
  proactive?: ProactiveStore;
  close(): Promise<void>;
}

/** The stores the conversation core works with: its port, declared in bots/core/ports.ts. */
export type { BotStorage } from '../bots/core/ports.ts';
