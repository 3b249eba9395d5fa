/**
 * The schema the pre-Kysely SQLite stores created, verbatim: each scope's steps, recorded in
 * `schema_migrations` (scope, step) as they were. The baseline migration (`baseline.ts`)
 * applies the steps a database lacks, so a new database and one made by an older version end
 * up with the same tables. Never edit a step: add a Kysely migration instead.
 */
export const LEGACY_SQLITE_STEPS: ReadonlyArray<readonly [scope: string, steps: readonly string[]]> = Object.entries({
  knowledge: [
  `CREATE TABLE knowledge_documents (
     id TEXT PRIMARY KEY,
     title TEXT NOT NULL,
     source TEXT NOT NULL,
     content_hash TEXT NOT NULL,
     meta TEXT NOT NULL,
     unit_count INTEGER NOT NULL,
     article_count INTEGER NOT NULL,
     ingested_at TEXT NOT NULL
   );
   CREATE INDEX knowledge_documents_source ON knowledge_documents (source);
   CREATE TABLE knowledge_units (
     doc_id TEXT NOT NULL REFERENCES knowledge_documents (id) ON DELETE CASCADE,
     seq INTEGER NOT NULL,
     id TEXT NOT NULL,
     kind TEXT NOT NULL,
     parent_id TEXT,
     section TEXT NOT NULL,
     article_no TEXT,
     clause_no TEXT,
     point_no TEXT,
     heading TEXT,
     text TEXT NOT NULL,
     PRIMARY KEY (doc_id, seq)
   );
   CREATE INDEX knowledge_units_id ON knowledge_units (id);
   CREATE TABLE knowledge_state (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
   INSERT INTO knowledge_state (key, value) VALUES ('revision', 0);`,
  ],
  inbox: [
  `CREATE TABLE inbox (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     channel TEXT NOT NULL,
     channel_message_id TEXT NOT NULL,
     user_id TEXT NOT NULL,
     kind TEXT NOT NULL,
     message TEXT NOT NULL,
     status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
     outcome TEXT,
     error TEXT,
     received_at TEXT NOT NULL,
     processed_at TEXT,
     UNIQUE (channel, channel_message_id)
   );
   CREATE INDEX inbox_status ON inbox (status, id);`,
  // Leases (issue 9): an item is claimed by one instance at a time, and taken over when its lease runs out.
  `ALTER TABLE inbox ADD COLUMN claimed_by TEXT;
   ALTER TABLE inbox ADD COLUMN lease_until TEXT;
   ALTER TABLE inbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
   CREATE INDEX inbox_processed ON inbox (processed_at) WHERE status <> 'pending';`,
  ],
  outbox: [
  `CREATE TABLE outbox (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     key TEXT NOT NULL UNIQUE,
     channel TEXT NOT NULL,
     user_id TEXT NOT NULL,
     recipient TEXT NOT NULL,
     kind TEXT NOT NULL,
     message TEXT NOT NULL,
     status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
     attempts INTEGER NOT NULL DEFAULT 0,
     next_attempt_at TEXT NOT NULL,
     last_error TEXT,
     channel_message_ids TEXT,
     turn_id TEXT,
     escalation_id TEXT,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     sent_at TEXT
   );
   CREATE INDEX outbox_status ON outbox (status, next_attempt_at);
   CREATE INDEX outbox_escalation ON outbox (escalation_id, id) WHERE escalation_id IS NOT NULL;`,
  // Leases and dead letters (issue 9). SQLite cannot change a CHECK constraint: the table is rebuilt.
  `CREATE TABLE outbox_v2 (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     key TEXT NOT NULL UNIQUE,
     channel TEXT NOT NULL,
     user_id TEXT NOT NULL,
     recipient TEXT NOT NULL,
     kind TEXT NOT NULL,
     message TEXT NOT NULL,
     status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'unknown')),
     attempts INTEGER NOT NULL DEFAULT 0,
     next_attempt_at TEXT NOT NULL,
     last_error TEXT,
     channel_message_ids TEXT,
     turn_id TEXT,
     escalation_id TEXT,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     sent_at TEXT,
     claimed_by TEXT,
     lease_until TEXT,
     unknown_outcomes INTEGER NOT NULL DEFAULT 0,
     resent_at TEXT
   );
   INSERT INTO outbox_v2 (id, key, channel, user_id, recipient, kind, message, status, attempts, next_attempt_at, last_error,
                          channel_message_ids, turn_id, escalation_id, created_at, updated_at, sent_at)
     SELECT id, key, channel, user_id, recipient, kind, message, status, attempts, next_attempt_at, last_error,
            channel_message_ids, turn_id, escalation_id, created_at, updated_at, sent_at FROM outbox;
   DROP TABLE outbox;
   ALTER TABLE outbox_v2 RENAME TO outbox;
   CREATE INDEX outbox_status ON outbox (status, next_attempt_at);
   CREATE INDEX outbox_escalation ON outbox (escalation_id, id) WHERE escalation_id IS NOT NULL;
   CREATE INDEX outbox_updated ON outbox (updated_at) WHERE status IN ('sent', 'failed', 'unknown');`,
  ],
  conversations: [
  `CREATE TABLE conversation_turns (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     id TEXT NOT NULL UNIQUE,
     inbox_id INTEGER UNIQUE,
     channel TEXT NOT NULL,
     user_id TEXT NOT NULL,
     intent TEXT NOT NULL,
     user_text TEXT,
     reply_kind TEXT,
     reply_text TEXT,
     citations TEXT NOT NULL DEFAULT '[]',
     citation_count INTEGER NOT NULL DEFAULT 0,
     answer_id TEXT UNIQUE,
     confidence REAL,
     abstained INTEGER NOT NULL DEFAULT 0 CHECK (abstained IN (0, 1)),
     abstain_reason TEXT,
     escalated INTEGER NOT NULL DEFAULT 0 CHECK (escalated IN (0, 1)),
     escalation_id TEXT,
     feedback TEXT CHECK (feedback IN ('up', 'down')),
     feedback_at TEXT,
     delivery_error TEXT,
     created_at TEXT NOT NULL
   );
   CREATE INDEX conversation_turns_user ON conversation_turns (channel, user_id, seq);
   CREATE INDEX conversation_turns_created ON conversation_turns (created_at, channel, intent);`,
  // The four outcomes: what retrieval decided, the reply's menu (buttons) and who used it, why 👎.
  `ALTER TABLE conversation_turns ADD COLUMN outcome TEXT;
   ALTER TABLE conversation_turns ADD COLUMN menu TEXT;
   ALTER TABLE conversation_turns ADD COLUMN menu_used_by INTEGER;
   ALTER TABLE conversation_turns ADD COLUMN feedback_reason TEXT CHECK (feedback_reason IN ('wrong', 'incomplete', 'unclear'));`,
  ],
  escalations: [
  `CREATE TABLE escalations (
     id TEXT PRIMARY KEY,
     source_key TEXT UNIQUE,
     status TEXT NOT NULL CHECK (status IN ('open', 'claimed', 'answered', 'closed')),
     reason TEXT NOT NULL,
     abstain_reason TEXT,
     channel TEXT NOT NULL,
     user_id TEXT NOT NULL,
     recipient TEXT NOT NULL,
     user_name TEXT,
     question TEXT NOT NULL,
     context TEXT NOT NULL DEFAULT '[]',
     candidates TEXT NOT NULL DEFAULT '[]',
     assignee TEXT,
     claimed_at TEXT,
     closed_reason TEXT,
     answer_text TEXT,
     answer_citations TEXT,
     answered_by TEXT,
     answered_at TEXT,
     delivery_status TEXT NOT NULL DEFAULT 'none' CHECK (delivery_status IN ('none', 'pending', 'sent', 'failed')),
     delivery_error TEXT,
     delivered_at TEXT,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );
   CREATE INDEX escalations_status ON escalations (status, created_at);
   CREATE INDEX escalations_channel ON escalations (channel, created_at);`,
  ],
  secrets: [
  `CREATE TABLE secrets (
     key TEXT PRIMARY KEY,
     value TEXT NOT NULL,
     updated_at TEXT NOT NULL
   ) WITHOUT ROWID;`,
  ],
  webchat: [
  `CREATE TABLE webchat_sessions (
     id TEXT PRIMARY KEY,
     token_hash TEXT NOT NULL,
     created_at TEXT NOT NULL,
     last_active_at TEXT NOT NULL,
     last_seq INTEGER NOT NULL DEFAULT 0
   );
   CREATE INDEX webchat_sessions_last_active ON webchat_sessions (last_active_at);
   CREATE TABLE webchat_messages (
     session_id TEXT NOT NULL REFERENCES webchat_sessions (id) ON DELETE CASCADE,
     seq INTEGER NOT NULL,
     kind TEXT NOT NULL,
     text TEXT NOT NULL,
     citations TEXT NOT NULL DEFAULT '[]',
     answer_id TEXT,
     client_message_id TEXT,
     created_at TEXT NOT NULL,
     PRIMARY KEY (session_id, seq)
   ) WITHOUT ROWID;
   CREATE UNIQUE INDEX webchat_messages_client_id ON webchat_messages (session_id, client_message_id)
     WHERE client_message_id IS NOT NULL;`,
  `ALTER TABLE webchat_messages ADD COLUMN actions TEXT;`,
  ],
  staff_users: [
  `CREATE TABLE staff_users (
     id TEXT PRIMARY KEY,
     email TEXT NOT NULL UNIQUE,
     name TEXT NOT NULL,
     role TEXT NOT NULL CHECK (role IN ('admin', 'spokesperson', 'viewer')),
     disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
     password_hash TEXT NOT NULL,
     failed_logins INTEGER NOT NULL DEFAULT 0,
     locked_until TEXT,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     last_login_at TEXT
   );`,
  // A generated or administrator-set password must be replaced at the next sign-in.
  'ALTER TABLE staff_users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1));',
  // Second factor: the TOTP secret, and the last time step used (a code works once).
  'ALTER TABLE staff_users ADD COLUMN totp_secret TEXT; ALTER TABLE staff_users ADD COLUMN totp_last_step INTEGER;',
  ],
  staff_sessions: [
  `CREATE TABLE staff_sessions (
     id_hash TEXT PRIMARY KEY,
     user_id TEXT NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
     created_at TEXT NOT NULL,
     last_seen_at TEXT NOT NULL,
     expires_at TEXT NOT NULL
   ) WITHOUT ROWID;
   CREATE INDEX staff_sessions_user ON staff_sessions (user_id);`,
  ],
  audit_log: [
  `CREATE TABLE audit_log (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     at TEXT NOT NULL,
     actor TEXT NOT NULL,
     action TEXT NOT NULL,
     target TEXT,
     details TEXT
   );
   CREATE INDEX audit_log_actor ON audit_log (actor, id);
   CREATE INDEX audit_log_action ON audit_log (action, id);
   CREATE INDEX audit_log_target ON audit_log (target, id);
   CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
   CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;`,
  ],
  faqs: [
  `CREATE TABLE faqs (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     status TEXT NOT NULL CHECK (status IN ('draft', 'approved', 'needs_review', 'retired')),
     questions TEXT NOT NULL,
     answer TEXT NOT NULL,
     citations TEXT NOT NULL DEFAULT '[]',
     created_by TEXT NOT NULL,
     approved_by TEXT,
     approved_at TEXT,
     retired_by TEXT,
     retired_at TEXT,
     review_reason TEXT,
     source_escalation_id TEXT UNIQUE,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     updated_by TEXT NOT NULL,
     version INTEGER NOT NULL DEFAULT 1
   );
   CREATE INDEX faqs_status ON faqs (status, updated_at);`,
  ],
  reports: [
  `CREATE INDEX IF NOT EXISTS conversation_turns_escalation ON conversation_turns (escalation_id) WHERE escalation_id IS NOT NULL;`,
  ],
  examples: [
  `CREATE TABLE labelled_examples (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     question TEXT NOT NULL,
     unit_id TEXT NOT NULL,
     channel TEXT NOT NULL,
     source_key TEXT NOT NULL UNIQUE,
     created_at TEXT NOT NULL
   );`,
  ],
  ops: [
  `CREATE INDEX IF NOT EXISTS inbox_unfinished ON inbox (status, received_at) WHERE status <> 'done';
   CREATE INDEX IF NOT EXISTS outbox_unsent ON outbox (status, created_at) WHERE status <> 'sent';`,
  ],
  reviews: [
  `CREATE TABLE answer_reviews (
     turn_id TEXT PRIMARY KEY,
     reviewed_by TEXT NOT NULL,
     reviewed_at TEXT NOT NULL,
     faq_claimed INTEGER NOT NULL DEFAULT 0 CHECK (faq_claimed IN (0, 1)),
     faq_claimed_at TEXT,
     faq_id TEXT
   );
   CREATE INDEX conversation_turns_review ON conversation_turns (feedback, outcome, confidence) WHERE answer_id IS NOT NULL;`,
  ],
  synonyms: [
  `CREATE TABLE agency_synonyms (
     id TEXT PRIMARY KEY,
     everyday TEXT NOT NULL,
     legal TEXT NOT NULL,
     note TEXT,
     created_by TEXT NOT NULL,
     created_at TEXT NOT NULL,
     updated_by TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );
   -- One row per everyday phrase (its phraseKey): the primary key keeps a phrase in one entry only.
   CREATE TABLE agency_synonym_phrases (
     phrase TEXT PRIMARY KEY,
     synonym_id TEXT NOT NULL REFERENCES agency_synonyms (id) ON DELETE CASCADE
   );
   CREATE TABLE agency_synonym_revision (id INTEGER PRIMARY KEY CHECK (id = 1), revision INTEGER NOT NULL);
   INSERT INTO agency_synonym_revision (id, revision) VALUES (1, 0);`,
  ],
});
