/**
 * The schema the pre-Kysely PostgreSQL stores created, verbatim (see `legacy-sqlite.ts`).
 * Never edit a step: add a Kysely migration instead.
 */
export const LEGACY_POSTGRES_STEPS: ReadonlyArray<readonly [scope: string, steps: readonly string[]]> = Object.entries({
  knowledge: [
  `CREATE TABLE knowledge_documents (
     id text PRIMARY KEY,
     title text NOT NULL,
     source text NOT NULL,
     content_hash text NOT NULL,
     meta jsonb NOT NULL,
     unit_count integer NOT NULL,
     article_count integer NOT NULL,
     ingested_at timestamptz NOT NULL
   );
   CREATE INDEX knowledge_documents_source ON knowledge_documents (source, ingested_at DESC);
   CREATE TABLE knowledge_units (
     doc_id text NOT NULL REFERENCES knowledge_documents (id) ON DELETE CASCADE,
     seq integer NOT NULL,
     id text NOT NULL,
     kind text NOT NULL,
     parent_id text,
     section text NOT NULL,
     article_no text,
     clause_no text,
     point_no text,
     heading text,
     text text NOT NULL,
     PRIMARY KEY (doc_id, seq)
   );
   CREATE INDEX knowledge_units_id ON knowledge_units (id);
   CREATE TABLE knowledge_state (key text PRIMARY KEY, value bigint NOT NULL);
   INSERT INTO knowledge_state (key, value) VALUES ('revision', 0);`,
  ],
  inbox: [
  `CREATE TABLE inbox (
     id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     channel text NOT NULL,
     channel_message_id text NOT NULL,
     user_id text NOT NULL,
     kind text NOT NULL,
     message jsonb NOT NULL,
     status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
     outcome text,
     error text,
     received_at timestamptz NOT NULL,
     processed_at timestamptz,
     UNIQUE (channel, channel_message_id)
   );
   CREATE INDEX inbox_pending ON inbox (id) WHERE status = 'pending';
   CREATE INDEX inbox_received ON inbox (received_at, channel);`,
  // Leases (issue 9): an item is claimed by one instance at a time, and taken over when its lease runs out.
  `ALTER TABLE inbox ADD COLUMN claimed_by text, ADD COLUMN lease_until timestamptz, ADD COLUMN attempts integer NOT NULL DEFAULT 0;
   CREATE INDEX inbox_processed ON inbox (processed_at) WHERE status <> 'pending';`,
  ],
  outbox: [
  `CREATE TABLE outbox (
     id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     key text NOT NULL UNIQUE,
     channel text NOT NULL,
     user_id text NOT NULL,
     recipient jsonb NOT NULL,
     kind text NOT NULL,
     message jsonb NOT NULL,
     status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
     attempts integer NOT NULL DEFAULT 0,
     next_attempt_at timestamptz NOT NULL,
     last_error text,
     channel_message_ids jsonb,
     turn_id text,
     escalation_id text,
     claimed_by integer,
     created_at timestamptz NOT NULL,
     updated_at timestamptz NOT NULL,
     sent_at timestamptz
   );
   CREATE INDEX outbox_status ON outbox (status, next_attempt_at);
   CREATE INDEX outbox_escalation ON outbox (escalation_id, id) WHERE escalation_id IS NOT NULL;
   CREATE INDEX outbox_created ON outbox (created_at, channel);`,
  // Leases and dead letters (issue 9): the lease replaces the instance lock as the sign of a live sender.
  `ALTER TABLE outbox DROP CONSTRAINT outbox_status_check;
   ALTER TABLE outbox ADD CONSTRAINT outbox_status_check CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'unknown'));
   ALTER TABLE outbox DROP COLUMN claimed_by;
   ALTER TABLE outbox ADD COLUMN claimed_by text, ADD COLUMN lease_until timestamptz,
     ADD COLUMN unknown_outcomes integer NOT NULL DEFAULT 0, ADD COLUMN resent_at timestamptz;
   CREATE INDEX outbox_updated ON outbox (updated_at) WHERE status IN ('sent', 'failed', 'unknown');
   CREATE INDEX outbox_dead ON outbox (id) WHERE status IN ('failed', 'unknown');`,
  ],
  conversations: [
  `CREATE TABLE conversation_turns (
     seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     id text NOT NULL UNIQUE,
     inbox_id bigint UNIQUE,
     channel text NOT NULL,
     user_id text NOT NULL,
     intent text NOT NULL,
     user_text text,
     reply_kind text,
     reply_text text,
     citations jsonb NOT NULL DEFAULT '[]',
     citation_count integer NOT NULL DEFAULT 0,
     answer_id text UNIQUE,
     confidence double precision,
     abstained boolean NOT NULL DEFAULT false,
     abstain_reason text,
     escalated boolean NOT NULL DEFAULT false,
     escalation_id text,
     feedback text CHECK (feedback IN ('up', 'down')),
     feedback_at timestamptz,
     delivery_error text,
     created_at timestamptz NOT NULL
   );
   CREATE INDEX conversation_turns_user ON conversation_turns (channel, user_id, seq);
   CREATE INDEX conversation_turns_created ON conversation_turns (created_at, channel, intent);
   CREATE INDEX conversation_turns_feedback ON conversation_turns (feedback_at) WHERE feedback IS NOT NULL;`,
  // The four outcomes: what retrieval decided, the reply's menu (buttons) and who used it, why 👎.
  `ALTER TABLE conversation_turns ADD COLUMN outcome text;
   ALTER TABLE conversation_turns ADD COLUMN menu jsonb;
   ALTER TABLE conversation_turns ADD COLUMN menu_used_by bigint;
   ALTER TABLE conversation_turns ADD COLUMN feedback_reason text CHECK (feedback_reason IN ('wrong', 'incomplete', 'unclear'));`,
  ],
  escalations: [
  `CREATE TABLE escalations (
     seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
     id text PRIMARY KEY,
     source_key text UNIQUE,
     status text NOT NULL CHECK (status IN ('open', 'claimed', 'answered', 'closed')),
     reason text NOT NULL,
     abstain_reason text,
     channel text NOT NULL,
     user_id text NOT NULL,
     recipient jsonb NOT NULL,
     user_name text,
     question text NOT NULL,
     question_folded text NOT NULL,
     context jsonb NOT NULL DEFAULT '[]',
     candidates jsonb NOT NULL DEFAULT '[]',
     assignee text,
     claimed_at timestamptz,
     closed_reason text,
     answer_text text,
     answer_citations jsonb,
     answered_by text,
     answered_at timestamptz,
     delivery_status text NOT NULL DEFAULT 'none' CHECK (delivery_status IN ('none', 'pending', 'sent', 'failed')),
     delivery_error text,
     delivered_at timestamptz,
     created_at timestamptz NOT NULL,
     updated_at timestamptz NOT NULL
   );
   CREATE INDEX escalations_status ON escalations (status, created_at);
   CREATE INDEX escalations_channel ON escalations (channel, created_at);
   CREATE INDEX escalations_assignee ON escalations (assignee, created_at) WHERE assignee IS NOT NULL;
   CREATE INDEX escalations_created ON escalations (created_at, seq);`,
  ],
  secrets: [
  `CREATE TABLE secrets (
     key text PRIMARY KEY,
     value text NOT NULL,
     updated_at timestamptz NOT NULL
   );`,
  ],
  webchat: [
  `CREATE TABLE webchat_sessions (
     id text PRIMARY KEY,
     token_hash text NOT NULL,
     created_at timestamptz NOT NULL,
     last_active_at timestamptz NOT NULL,
     last_seq integer NOT NULL DEFAULT 0
   );
   CREATE INDEX webchat_sessions_last_active ON webchat_sessions (last_active_at);
   CREATE TABLE webchat_messages (
     session_id text NOT NULL REFERENCES webchat_sessions (id) ON DELETE CASCADE,
     seq integer NOT NULL,
     kind text NOT NULL,
     text text NOT NULL,
     citations jsonb NOT NULL DEFAULT '[]',
     answer_id text,
     client_message_id text,
     created_at timestamptz NOT NULL,
     PRIMARY KEY (session_id, seq)
   );
   CREATE UNIQUE INDEX webchat_messages_client_id ON webchat_messages (session_id, client_message_id)
     WHERE client_message_id IS NOT NULL;`,
  `ALTER TABLE webchat_messages ADD COLUMN actions jsonb;`,
  ],
  staff_users: [
  `CREATE TABLE staff_users (
     seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
     id text PRIMARY KEY,
     email text NOT NULL UNIQUE,
     name text NOT NULL,
     role text NOT NULL CHECK (role IN ('admin', 'spokesperson', 'viewer')),
     disabled boolean NOT NULL DEFAULT false,
     password_hash text NOT NULL,
     failed_logins integer NOT NULL DEFAULT 0,
     locked_until timestamptz,
     created_at timestamptz NOT NULL,
     updated_at timestamptz NOT NULL,
     last_login_at timestamptz
   );`,
  // A generated or administrator-set password must be replaced at the next sign-in.
  'ALTER TABLE staff_users ADD COLUMN must_change_password boolean NOT NULL DEFAULT false;',
  // Second factor: the TOTP secret, and the last time step used (a code works once).
  'ALTER TABLE staff_users ADD COLUMN totp_secret text, ADD COLUMN totp_last_step bigint;',
  ],
  staff_sessions: [
  `CREATE TABLE staff_sessions (
     id_hash text PRIMARY KEY,
     user_id text NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
     created_at timestamptz NOT NULL,
     last_seen_at timestamptz NOT NULL,
     expires_at timestamptz NOT NULL
   );
   CREATE INDEX staff_sessions_user ON staff_sessions (user_id);
   CREATE INDEX staff_sessions_last_seen ON staff_sessions (last_seen_at);`,
  ],
  audit_log: [
  `CREATE TABLE audit_log (
     id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     at timestamptz NOT NULL,
     actor text NOT NULL,
     action text NOT NULL,
     target text,
     details jsonb
   );
   CREATE INDEX audit_log_actor ON audit_log (actor, id);
   CREATE INDEX audit_log_action ON audit_log (action text_pattern_ops, id);
   CREATE INDEX audit_log_target ON audit_log (target, id);
   CREATE FUNCTION loa_audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$;
   CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
     FOR EACH ROW EXECUTE FUNCTION loa_audit_log_append_only();
   CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
     FOR EACH STATEMENT EXECUTE FUNCTION loa_audit_log_append_only();`,
  ],
  faqs: [
  `CREATE TABLE faqs (
     id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     status text NOT NULL CHECK (status IN ('draft', 'approved', 'needs_review', 'retired')),
     questions jsonb NOT NULL,
     answer text NOT NULL,
     citations jsonb NOT NULL DEFAULT '[]',
     created_by text NOT NULL,
     approved_by text,
     approved_at timestamptz,
     retired_by text,
     retired_at timestamptz,
     review_reason text,
     source_escalation_id text UNIQUE,
     created_at timestamptz NOT NULL,
     updated_at timestamptz NOT NULL,
     updated_by text NOT NULL,
     version integer NOT NULL DEFAULT 1
   );
   CREATE INDEX faqs_status ON faqs (status, updated_at);
   CREATE INDEX faqs_updated ON faqs (updated_at, id);`,
  ],
  reports: [
  `CREATE INDEX IF NOT EXISTS conversation_turns_escalation ON conversation_turns (escalation_id) WHERE escalation_id IS NOT NULL;
   CREATE INDEX IF NOT EXISTS conversation_turns_citations ON conversation_turns USING gin (citations jsonb_path_ops)
     WHERE citation_count > 0;`,
  ],
  examples: [
  `CREATE TABLE labelled_examples (
     id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     question text NOT NULL,
     unit_id text NOT NULL,
     channel text NOT NULL,
     source_key text NOT NULL UNIQUE,
     created_at timestamptz NOT NULL
   );`,
  ],
  ops: [
  `CREATE INDEX IF NOT EXISTS inbox_unfinished ON inbox (status, received_at) WHERE status <> 'done';
   CREATE INDEX IF NOT EXISTS outbox_unsent ON outbox (status, created_at) WHERE status <> 'sent';`,
  ],
  reviews: [
  `CREATE TABLE answer_reviews (
     turn_id text PRIMARY KEY,
     reviewed_by text NOT NULL,
     reviewed_at timestamptz NOT NULL,
     faq_claimed boolean NOT NULL DEFAULT false,
     faq_claimed_at timestamptz,
     faq_id text
   );
   CREATE INDEX conversation_turns_review ON conversation_turns (feedback, outcome, confidence) WHERE answer_id IS NOT NULL;`,
  ],
  synonyms: [
  `CREATE TABLE agency_synonyms (
     id text PRIMARY KEY,
     everyday jsonb NOT NULL,
     legal jsonb NOT NULL,
     note text,
     created_by text NOT NULL,
     created_at timestamptz NOT NULL,
     updated_by text NOT NULL,
     updated_at timestamptz NOT NULL
   );
   -- One row per everyday phrase (its phraseKey): the primary key keeps a phrase in one entry only.
   CREATE TABLE agency_synonym_phrases (
     phrase text PRIMARY KEY,
     synonym_id text NOT NULL REFERENCES agency_synonyms (id) ON DELETE CASCADE
   );
   CREATE TABLE agency_synonym_revision (id integer PRIMARY KEY CHECK (id = 1), revision bigint NOT NULL);
   INSERT INTO agency_synonym_revision (id, revision) VALUES (1, 0);`,
  ],
});
