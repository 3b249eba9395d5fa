import type { Generated } from 'kysely';

/**
 * Every table of Loa's database, as the stores in this folder read and write it on both
 * SQLite and PostgreSQL. The connection (`connect.ts`) makes both backends hand back the same
 * JavaScript values, so one type serves both:
 * - timestamps are ISO strings (`Iso`; `timestamptz` in PostgreSQL, TEXT in SQLite);
 * - JSON columns are their JSON text (`Json`; `jsonb` in PostgreSQL), parsed by the stores;
 * - booleans are 0 or 1 (`Flag`; `boolean` in PostgreSQL, INTEGER in SQLite);
 * - bigint ids and counts are numbers.
 * The DDL lives in `migrations/`; keep this file in step with it.
 */
export type Iso = string;
export type Json = string;
export type Flag = number;

export interface KnowledgeDocumentsTable {
  id: string;
  title: string;
  source: string;
  content_hash: string;
  meta: Json;
  unit_count: number;
  article_count: number;
  ingested_at: Iso;
}

export interface KnowledgeUnitsTable {
  doc_id: string;
  seq: number;
  id: string;
  kind: string;
  parent_id: string | null;
  section: string;
  article_no: string | null;
  clause_no: string | null;
  point_no: string | null;
  heading: string | null;
  text: string;
}

export interface KnowledgeStateTable {
  key: string;
  value: number;
}

export interface InboxTable {
  id: Generated<number>;
  channel: string;
  channel_message_id: string;
  user_id: string;
  kind: string;
  message: Json;
  status: Generated<string>;
  outcome: string | null;
  error: string | null;
  received_at: Iso;
  processed_at: Iso | null;
  claimed_by: string | null;
  lease_until: Iso | null;
  attempts: Generated<number>;
}

export interface OutboxTable {
  id: Generated<number>;
  key: string;
  channel: string;
  user_id: string;
  recipient: Json;
  kind: string;
  /**
   * The outgoing message. For a reply recorded as a conversation turn, its text and citations
   * are left out (`text_from_turn` = 1) and read from the turn (`turn_id`) when sent.
   */
  message: Json;
  text_from_turn: Generated<Flag>;
  status: Generated<string>;
  attempts: Generated<number>;
  next_attempt_at: Iso;
  last_error: string | null;
  channel_message_ids: Json | null;
  turn_id: string | null;
  escalation_id: string | null;
  created_at: Iso;
  updated_at: Iso;
  sent_at: Iso | null;
  claimed_by: string | null;
  lease_until: Iso | null;
  unknown_outcomes: Generated<number>;
  resent_at: Iso | null;
}

export interface ConversationTurnsTable {
  seq: Generated<number>;
  id: string;
  inbox_id: number | null;
  channel: string;
  user_id: string;
  intent: string;
  user_text: string | null;
  reply_kind: string | null;
  reply_text: string | null;
  citations: Generated<Json>;
  citation_count: Generated<number>;
  answer_id: string | null;
  confidence: number | null;
  abstained: Generated<Flag>;
  abstain_reason: string | null;
  escalated: Generated<Flag>;
  escalation_id: string | null;
  feedback: string | null;
  feedback_at: Iso | null;
  delivery_error: string | null;
  created_at: Iso;
  outcome: string | null;
  menu: Json | null;
  menu_used_by: number | null;
  feedback_reason: string | null;
}

export interface EscalationsTable {
  id: string;
  source_key: string | null;
  status: string;
  reason: string;
  abstain_reason: string | null;
  channel: string;
  user_id: string;
  recipient: Json;
  user_name: string | null;
  question: string;
  /** The question without case and diacritics (`fold`), for the console's search. */
  question_folded: string | null;
  context: Generated<Json>;
  candidates: Generated<Json>;
  assignee: string | null;
  claimed_at: Iso | null;
  closed_reason: string | null;
  answer_text: string | null;
  answer_citations: Json | null;
  answered_by: string | null;
  answered_at: Iso | null;
  delivery_status: Generated<string>;
  delivery_error: string | null;
  delivered_at: Iso | null;
  created_at: Iso;
  updated_at: Iso;
}

export interface SecretsTable {
  key: string;
  value: string;
  updated_at: Iso;
}

export interface WebchatSessionsTable {
  id: string;
  token_hash: string;
  created_at: Iso;
  last_active_at: Iso;
  last_seq: Generated<number>;
}

export interface WebchatMessagesTable {
  session_id: string;
  seq: number;
  kind: string;
  text: string;
  citations: Generated<Json>;
  answer_id: string | null;
  client_message_id: string | null;
  created_at: Iso;
  actions: Json | null;
}

export interface StaffUsersTable {
  id: string;
  email: string;
  name: string;
  role: string;
  disabled: Generated<Flag>;
  password_hash: string;
  failed_logins: Generated<number>;
  locked_until: Iso | null;
  created_at: Iso;
  updated_at: Iso;
  last_login_at: Iso | null;
  must_change_password: Generated<Flag>;
  totp_secret: string | null;
  totp_last_step: number | null;
}

export interface StaffSessionsTable {
  id_hash: string;
  user_id: string;
  created_at: Iso;
  last_seen_at: Iso;
  expires_at: Iso;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Iso;
  actor: string;
  action: string;
  target: string | null;
  details: Json | null;
}

export interface FaqsTable {
  id: Generated<number>;
  status: string;
  questions: Json;
  answer: string;
  citations: Generated<Json>;
  created_by: string;
  approved_by: string | null;
  approved_at: Iso | null;
  retired_by: string | null;
  retired_at: Iso | null;
  review_reason: string | null;
  source_escalation_id: string | null;
  created_at: Iso;
  updated_at: Iso;
  updated_by: string;
  version: Generated<number>;
}

export interface LabelledExamplesTable {
  id: Generated<number>;
  question: string;
  unit_id: string;
  channel: string;
  source_key: string;
  created_at: Iso;
}

export interface AnswerReviewsTable {
  turn_id: string;
  reviewed_by: string;
  reviewed_at: Iso;
  faq_claimed: Generated<Flag>;
  faq_claimed_at: Iso | null;
  faq_id: string | null;
}

export interface AgencySynonymsTable {
  id: string;
  everyday: Json;
  legal: Json;
  note: string | null;
  created_by: string;
  created_at: Iso;
  updated_by: string;
  updated_at: Iso;
}

export interface AgencySynonymPhrasesTable {
  phrase: string;
  synonym_id: string;
}

export interface AgencySynonymRevisionTable {
  id: number;
  revision: number;
}

/** The pre-Kysely migration record (still written, so an older Loa can open a newer database's baseline). */
export interface SchemaMigrationsTable {
  scope: string;
  step: number;
}

/** Loa's database, for `Kysely<Database>`. */
export interface Database {
  knowledge_documents: KnowledgeDocumentsTable;
  knowledge_units: KnowledgeUnitsTable;
  knowledge_state: KnowledgeStateTable;
  inbox: InboxTable;
  outbox: OutboxTable;
  conversation_turns: ConversationTurnsTable;
  escalations: EscalationsTable;
  secrets: SecretsTable;
  webchat_sessions: WebchatSessionsTable;
  webchat_messages: WebchatMessagesTable;
  staff_users: StaffUsersTable;
  staff_sessions: StaffSessionsTable;
  audit_log: AuditLogTable;
  faqs: FaqsTable;
  labelled_examples: LabelledExamplesTable;
  answer_reviews: AnswerReviewsTable;
  agency_synonyms: AgencySynonymsTable;
  agency_synonym_phrases: AgencySynonymPhrasesTable;
  agency_synonym_revision: AgencySynonymRevisionTable;
  schema_migrations: SchemaMigrationsTable;
}
