/**
 * What the spokesperson console needs from outside, declared here: the stores it owns
 * (staff accounts, sessions, audit trail, FAQs, reports, the review queue, synonyms;
 * implemented in storage/), the settings it reads (`AdminConfig`, a narrow view of
 * app/config.ts `Config`) and the running runtime (`AdminRuntime`: stores, the logger, the
 * index refresh), which app/ provides. The console never imports app/.
 */
import type { Logger } from 'pino';
import type { ConversationStore, FeedbackReason, FeedbackValue, OutboxStore, SecretStore } from '../bots/core/ports.ts';
import type { AbstainReason, Outcome } from '../domain/answer.ts';
import type { AuditEntryInput } from '../domain/audit.ts';
import type { ChannelName } from '../domain/channel.ts';
import type { Citation } from '../domain/citation.ts';
import { fold } from '../domain/fold.ts';
import type { Role, StaffUser } from '../domain/roles.ts';
import type { KnowledgeLibrary } from '../knowledge/library/library.ts';
import type { ConsultationStore } from '../consultations/ports.ts';
import type { KnowledgeStore } from '../knowledge/ports.ts';
import type { EscalationReason, EscalationStatus, EscalationStore } from '../storage/escalation-store.ts';
import type { PrivacyStore } from '../storage/privacy-store.ts';
import type { RecoveryCodeStore } from '../storage/recovery-code-store.ts';

/** The settings the console reads, by their environment names (README's configuration table explains each). */
export interface AdminConfig {
  /** Public base URL of this server (links in notifications). */
  LOA_PUBLIC_URL?: string;
  /** Name of the agency, shown to citizens (the FAQ document's answers). */
  LOA_AGENCY_NAME: string;
  LOA_ADMIN_EMAIL?: string;
  LOA_ADMIN_PASSWORD?: string;
  /** Who must sign in with a second factor. */
  LOA_REQUIRE_TOTP: 'admin' | 'all' | 'none';
  LOA_SESSION_IDLE_HOURS: number;
  LOA_SESSION_MAX_DAYS: number;
  LOA_LOGIN_MAX_FAILURES: number;
  LOA_LOGIN_LOCK_MINUTES: number;
  LOA_LOGIN_FAILURES_PER_IP: number;
  /** Largest document upload, in megabytes. */
  LOA_MAX_FILE_MB: number;
  LOA_PARSE_TIMEOUT_S: number;
  LOA_PARSE_MEMORY_MB: number;
  /** Answers under this confidence go to the review queue. */
  LOA_REVIEW_CONFIDENCE: number;
  /** The agency's time zone: report days run from its midnight. */
  LOA_TIMEZONE: string;
  LOA_NOTIFY_TELEGRAM_CHAT_ID?: string;
  LOA_NOTIFY_TELEGRAM_BATCH_S: number;
  TELEGRAM_BOT_TOKEN?: string;
  TELEGRAM_API_ROOT: string;
}

/** The stores the console works with (storage/storage.ts `Storage` has them). */
export interface AdminStorage {
  users: UserStore;
  staffSessions: SessionStore;
  recoveryCodes: RecoveryCodeStore;
  privacy: PrivacyStore;
  audit: AuditStore;
  faqs: FaqStore;
  reports: ReportStore;
  reviews: ReviewStore;
  synonyms: SynonymStore;
  knowledge: KnowledgeStore;
  escalations: EscalationStore;
  conversations: ConversationStore;
  outbox: OutboxStore;
  secrets: SecretStore;
  /** Consultations on draft documents. */
  consultations: ConsultationStore;
}

/** What the console uses of the running server: its stores, its logger, and the retrieval index refresh. */
export interface AdminRuntime {
  config: AdminConfig;
  logger: Logger;
  storage: AdminStorage;
  /** The knowledge library: uploads, metadata, deletion, the FAQ document and the index refresh. */
  library: KnowledgeLibrary;
  /**
   * Rebuilds the index if the knowledge store changed since it was built, or swaps in the
   * agency's synonyms if only they changed. Returns true when it did either.
   */
  refreshKnowledge(): Promise<boolean>;
}

// ── Staff accounts
// (implemented by storage/sqlite/ and storage/postgres/user-store.ts) ──

/** A staff account with what only the login code may see. */
export interface StaffCredentials {
  user: StaffUser;
  /** Self-describing hash, e.g. `scrypt$32768$8$1$<salt>$<hash>`; never plaintext. */
  passwordHash: string;
  /** Wrong passwords since the last success or lockout. */
  failedLogins: number;
  /** ISO time until which every login is refused, when locked. */
  lockedUntil?: string;
  /** Base32 TOTP secret, when the second factor is on. */
  totpSecret?: string;
}

/** How every backend stores and looks up an email: trimmed and lower-cased, so comparisons ignore case. */
export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

export interface NewStaffUser {
  /** Stored lower-cased: emails are compared case-insensitively. */
  email: string;
  name: string;
  role: Role;
  passwordHash: string;
  /** A generated or administrator-set password: to be replaced at the next sign-in. */
  mustChangePassword?: boolean;
}

export interface StaffUserPatch {
  name?: string;
  role?: Role;
  disabled?: boolean;
}

/** What a wrong password did to the account. */
export interface LoginFailureOutcome {
  failedLogins: number;
  /** Set when this failure locked the account. */
  lockedUntil?: string;
}

/** Thrown by `create` when the email is taken. */
export class DuplicateEmailError extends Error {
  constructor(readonly email: string) {
    super(`A staff account with email ${email} already exists`);
    this.name = 'DuplicateEmailError';
  }
}

/** Staff accounts of the console. Lockout counters change atomically. */
export interface UserStore {
  /** Throws `DuplicateEmailError` when the email is taken. */
  create(input: NewStaffUser, now: Date): Promise<StaffUser>;
  get(id: string): Promise<StaffUser | undefined>;
  getByEmail(email: string): Promise<StaffUser | undefined>;
  /** For login only. */
  credentials(email: string): Promise<StaffCredentials | undefined>;
  credentialsById(id: string): Promise<StaffCredentials | undefined>;
  /** Oldest first. */
  list(): Promise<StaffUser[]>;
  update(id: string, patch: StaffUserPatch, now: Date): Promise<StaffUser | undefined>;
  /** Sets a new password hash and clears any lockout; `mustChange` when someone else chose it (generated, reset). */
  setPassword(id: string, passwordHash: string, now: Date, opts?: { mustChange?: boolean }): Promise<boolean>;
  /**
   * Counts one wrong password; the `maxFailures`-th locks the account until `now + lockMs`
   * (and resets the counter). Atomic, so parallel guesses cannot slip past the limit.
   */
  recordLoginFailure(id: string, now: Date, policy: { maxFailures: number; lockMs: number }): Promise<LoginFailureOutcome>;
  /** Turns the second factor on (a secret) or off (undefined). */
  setTotp(id: string, secret: string | undefined, now: Date): Promise<boolean>;
  /**
   * Records that the TOTP code of time step `step` was used; false if that step (or a later
   * one) was used already. Atomic: a code works once, even raced on two instances.
   */
  useTotpStep(id: string, step: number): Promise<boolean>;
  /** Clears the failure counter and stamps `lastLoginAt`. */
  recordLoginSuccess(id: string, now: Date): Promise<void>;
  /** Admin accounts that are not disabled. */
  countActiveAdmins(): Promise<number>;
}

// ── Console sessions (hashed ids)
// (implemented by storage/sqlite/ and storage/postgres/session-store.ts) ──

/**
 * A signed-in staff member's session. Only the SHA-256 of the session id is stored, so a
 * leaked database does not hand out live sessions.
 */
export interface StaffSession {
  /** Hex SHA-256 of the cookie value. */
  idHash: string;
  userId: string;
  createdAt: string;
  lastSeenAt: string;
  /** Absolute end of the session, whatever the activity. */
  expiresAt: string;
}

/** Console sessions, server side. */
export interface SessionStore {
  create(session: { idHash: string; userId: string; expiresAt: string }, now: Date): Promise<StaffSession>;
  get(idHash: string): Promise<StaffSession | undefined>;
  /** Marks activity (idle expiry counts from here). */
  touch(idHash: string, now: Date): Promise<void>;
  delete(idHash: string): Promise<boolean>;
  /** Ends every session of a user except `keepIdHash` (after a password change, disabling …). */
  deleteForUser(userId: string, keepIdHash?: string): Promise<number>;
  /** A user's sessions, most recently used first (expired ones included until swept). */
  listForUser(userId: string): Promise<StaffSession[]>;
  /** Removes sessions idle since `idleBefore` or past their absolute expiry at `now`. */
  deleteExpired(idleBefore: Date, now: Date): Promise<number>;
}

// ── The append-only audit trail
// (implemented by storage/sqlite/ and storage/postgres/audit-store.ts) ──

/** One stored audit entry. */
export interface AuditEntry extends AuditEntryInput {
  id: number;
  at: string;
}

export interface AuditFilter {
  /** Exact staff email (or 'system', 'cli'). */
  actor?: string;
  /** Exact action ('escalation.reply') or a prefix of dotted segments ('escalation'). */
  action?: string;
  /** Exact target ('escalation:<id>'). */
  target?: string;
  /** Default 50, at most 500. */
  limit?: number;
  offset?: number;
}

/**
 * The audit trail. Append-only on purpose: there is no method to change or delete an
 * entry (and the SQLite table refuses UPDATE and DELETE).
 */
export interface AuditStore {
  append(entry: AuditEntryInput, now: Date): Promise<AuditEntry>;
  /** Newest first, with the total that matches the filter. */
  list(filter?: AuditFilter): Promise<{ items: AuditEntry[]; total: number }>;
}

// ── Approved answers and their drafts (the console's FAQs)
// (implemented by storage/sqlite/ and storage/postgres/faq-store.ts) ──

/**
 * `draft` (written by a spokesperson) → `approved` (by an administrator: the bot answers
 * with it) → `retired`. An approved FAQ whose legal basis changed (a cited document was
 * superseded, amended, expired or removed) becomes `needs_review` and is approved again
 * after it has been checked.
 */
export const FAQ_STATUSES = ['draft', 'approved', 'needs_review', 'retired'] as const;
export type FaqStatus = (typeof FAQ_STATUSES)[number];

/** An answer the agency approved for reuse. */
export interface Faq {
  /** Short stable id; the knowledge unit of an approved FAQ is `faq::<id>`. */
  id: string;
  status: FaqStatus;
  /** Ways citizens ask it (at least one); all of them are searchable. */
  questions: string[];
  /** The approved answer text. */
  answer: string;
  /** The legal basis the officer attached. */
  citations: Citation[];
  createdBy: string;
  approvedBy?: string;
  approvedAt?: string;
  retiredBy?: string;
  retiredAt?: string;
  /** Why it needs review (e.g. which document was superseded). */
  reviewReason?: string;
  /** The escalation whose reply it came from, if any. */
  sourceEscalationId?: string;
  createdAt: string;
  updatedAt: string;
  updatedBy: string;
  /** Increases on every change: clients send it back to detect concurrent edits. */
  version: number;
}

export interface NewFaq {
  questions: string[];
  answer: string;
  citations: Citation[];
  createdBy: string;
  /** Creating twice from the same escalation returns the first FAQ. */
  sourceEscalationId?: string;
}

export interface FaqPatch {
  questions?: string[];
  answer?: string;
  citations?: Citation[];
}

export interface FaqFilter {
  status?: FaqStatus | FaqStatus[];
  /** Default 100, at most 1000. */
  limit?: number;
  offset?: number;
}

/** The result of a change that may be refused. */
export type FaqChange =
  | { ok: true; faq: Faq }
  | { ok: false; reason: 'not_found' | 'wrong_status' | 'version_conflict'; faq?: Faq };

/** Approved answers and their drafts. Every state change is a conditional, atomic update. */
export interface FaqStore {
  create(input: NewFaq, now: Date): Promise<Faq>;
  get(id: string): Promise<Faq | undefined>;
  /** The FAQ saved from this escalation's reply, if any. */
  findByEscalation(escalationId: string): Promise<Faq | undefined>;
  /** Newest change first. */
  list(filter?: FaqFilter): Promise<Faq[]>;
  count(filter?: FaqFilter): Promise<number>;
  /**
   * Edits questions, answer or citations of a FAQ whose status is one of `allowed`; when
   * `expectedVersion` is given and differs, refuses with `version_conflict`.
   */
  update(
    id: string,
    patch: FaqPatch,
    opts: { by: string; allowed: readonly FaqStatus[]; expectedVersion?: number },
    now: Date,
  ): Promise<FaqChange>;
  /** draft / needs_review → approved. */
  approve(id: string, by: string, now: Date): Promise<FaqChange>;
  /** Any status but retired → retired. */
  retire(id: string, by: string, now: Date): Promise<FaqChange>;
  /** approved → needs_review with the reason; refused for any other status. */
  markNeedsReview(id: string, reason: string, now: Date): Promise<FaqChange>;
}

// ── Read-only report queries over turns and escalations
// (implemented by storage/sqlite/ and storage/postgres/report-store.ts) ──

/**
 * A report period: instants `[from, to)` (ISO, UTC) and the agency's offset from UTC, so
 * that "days" start at the agency's midnight rather than UTC's.
 */
export interface ReportRange {
  from: string;
  to: string;
  /** Minutes east of UTC (Việt Nam: 420). */
  utcOffsetMinutes: number;
  channel?: ChannelName;
}

/** Citizen questions of one local day on one channel. */
export interface DailyQuestionCount {
  /** yyyy-mm-dd in the agency's time zone. */
  day: string;
  channel: ChannelName;
  /** Turns with intent `question`. */
  questions: number;
  /** Answered by the bot (not escalated). */
  answered: number;
  /** Handed to a spokesperson. */
  escalated: number;
  /** Escalated, and a spokesperson's reply reached the citizen. */
  escalatedAnswered: number;
  /** Escalated, then closed without a reply. */
  escalatedClosed: number;
  /** Escalated and still waiting (open or claimed: no reply delivered yet). */
  unanswered: number;
  /** Requests for a person ("gặp cán bộ"), counted apart from questions. */
  personRequests: number;
}

/** 👍/👎 on the replies of one kind on one channel (by the time of the reply). */
export interface FeedbackCount {
  channel: ChannelName;
  /** Who replied: the bot (`answer`) or a spokesperson (`spokesperson_reply`). */
  replyKind: 'answer' | 'spokesperson_reply';
  replies: number;
  up: number;
  down: number;
  /** 👎 by the reason the citizen gave (the rest gave none). */
  wrong: number;
  incomplete: number;
  unclear: number;
}

/** Seconds from an escalation's creation to the delivery of the spokesperson's reply. */
export interface ResponseTime {
  channel: ChannelName;
  seconds: number;
}

/** Escalations created in the range, by reason and current status. */
export interface EscalationCount {
  channel: ChannelName;
  reason: EscalationReason;
  status: EscalationStatus;
  count: number;
}

/** A cited (or candidate) source of a question, as reports need it. */
export interface ReportCitation {
  id: string;
  title: string;
  section: string;
  kind?: 'document' | 'faq';
}

/** One citizen question with what became of it: topics, repeats and the CSV export read these. */
export interface QuestionRecord {
  turnId: string;
  createdAt: string;
  /** yyyy-mm-dd in the agency's time zone. */
  day: string;
  channel: ChannelName;
  userId: string;
  text: string;
  escalated: boolean;
  abstained: boolean;
  abstainReason?: AbstainReason;
  confidence?: number;
  /** Sources of the bot's answer, best first. */
  citations: ReportCitation[];
  /** For escalated questions: what retrieval found but was not sure about, best first. */
  candidates: ReportCitation[];
  escalationId?: string;
  escalationStatus?: EscalationStatus;
  feedback?: FeedbackValue;
  /** Why 👎 (sai / chưa đủ / khó hiểu), when the citizen said. */
  feedbackReason?: FeedbackReason;
  /** What retrieval decided: answer, clarify, handoff or decline. */
  outcome?: Outcome;
  /** The spokesperson's reply feedback, for escalated questions. */
  replyFeedback?: FeedbackValue;
}

/** Who asked what: enough to find the same question asked by several citizens. */
export interface QuestionText {
  channel: ChannelName;
  userId: string;
  text: string;
}

/** How often an approved FAQ (or any unit) was cited since a moment. */
export interface CitationUsage {
  count: number;
  lastAt?: string;
}

/**
 * Read-only aggregate queries over conversation turns and escalations for the console's
 * reports. Kept apart from the stores that write those tables so that report SQL does not
 * leak into them (and a PostgreSQL backend can implement the same questions its own way).
 */
export interface ReportStore {
  questionCounts(range: ReportRange): Promise<DailyQuestionCount[]>;
  feedbackCounts(range: ReportRange): Promise<FeedbackCount[]>;
  /** For escalations created in the range whose reply was delivered. */
  responseTimes(range: ReportRange): Promise<ResponseTime[]>;
  escalationCounts(range: ReportRange): Promise<EscalationCount[]>;
  /**
   * Questions in the range, oldest first: at most `limit` (default 100 000), the oldest ones,
   * or with `newest` the newest ones.
   */
  questions(range: ReportRange, opts?: { limit?: number; newest?: boolean }): Promise<QuestionRecord[]>;
  /** The text of every question in the range with who asked it (lighter than `questions`). */
  questionTexts(range: ReportRange): Promise<QuestionText[]>;
  /**
   * How many conversation turns cited each citation id at or after its `since` instant:
   * e.g. an approved FAQ's unit `faq::12` since its approval.
   */
  citationUsage(items: readonly { citationId: string; since: string }[]): Promise<Map<string, CitationUsage>>;
}

// ── Answers to check: 👎 and low confidence
// (implemented by storage/sqlite/ and storage/postgres/review-store.ts) ──

/**
 * The review queue: answers citizens gave 👎, and answers given at low confidence, for an
 * officer to check, mark reviewed or turn into an FAQ draft. Reads the conversation turns.
 */

/** How long a claim to make an FAQ draft holds without a draft being recorded. */
export const FAQ_CLAIM_MS = 60_000;

/** Why a turn is in the queue. */
export type ReviewCause = 'down' | 'low_confidence';

export interface AnswerReview {
  turnId: string;
  reviewedBy: string;
  reviewedAt: string;
  /** The FAQ draft made from the answer, once made. */
  faqId?: string;
}

export interface ReviewItem {
  turnId: string;
  channel: ChannelName;
  question?: string;
  answer?: string;
  citations: Citation[];
  confidence?: number;
  outcome?: Outcome;
  feedback?: FeedbackValue;
  feedbackReason?: FeedbackReason;
  causes: ReviewCause[];
  createdAt: string;
  review?: AnswerReview;
}

export interface ReviewFilter {
  /** Answers (outcome 'answer') with a confidence under this are in the queue. */
  confidenceBelow: number;
  /** `pending` (default): not reviewed yet; `reviewed`; `all`. */
  status?: 'pending' | 'reviewed' | 'all';
  /** Only one cause. */
  cause?: ReviewCause;
}

export interface ReviewCounts {
  /** Not reviewed yet, by cause (a turn with both causes counts in both) and in all. */
  pending: { down: number; lowConfidence: number; total: number };
  reviewed: number;
}

export interface ReviewStore {
  /** Queue items, newest first. */
  list(filter: ReviewFilter, page: { limit: number; offset: number }): Promise<{ items: ReviewItem[]; total: number }>;
  counts(filter: Pick<ReviewFilter, 'confidenceBelow'>): Promise<ReviewCounts>;
  /** One queue item by turn id (whether or not it is still pending); undefined when the turn is not reviewable. */
  get(turnId: string, filter: Pick<ReviewFilter, 'confidenceBelow'>): Promise<ReviewItem | undefined>;
  /** Marks a turn reviewed; the first review stays (`created: false` for later calls). */
  markReviewed(turnId: string, by: string, at: Date): Promise<{ review: AnswerReview; created: boolean }>;
  /**
   * Claims the right to make the FAQ draft of a turn (marking it reviewed if it was not):
   * true for exactly one caller, even on two instances at once. A claim older than
   * `FAQ_CLAIM_MS` with no draft recorded (its holder crashed) may be taken again.
   */
  claimFaqDraft(turnId: string, by: string, at: Date): Promise<boolean>;
  /** Records the draft made after a successful claim. */
  setFaqDraft(turnId: string, faqId: string): Promise<void>;
  /** Gives a claim back when making the draft failed. */
  releaseFaqDraft(turnId: string): Promise<void>;
}

// ── The agency's everyday → legal vocabulary
// (implemented by storage/sqlite/ and storage/postgres/synonym-store.ts) ──

/**
 * The agency's own everyday → legal vocabulary ("gửi xe" → "trông giữ xe"), edited in the
 * console and added to the built-in lexicon of retrieval without a restart.
 */
export interface AgencySynonym {
  id: string;
  /** Everyday phrases (NFC, lower case, each unique across all entries). */
  everyday: string[];
  /** Legal phrases the documents use. */
  legal: string[];
  note?: string;
  createdBy: string;
  createdAt: string;
  updatedBy: string;
  updatedAt: string;
}

/**
 * The key that keeps an everyday phrase in one entry: lower case without diacritics, as the
 * lexicon matches it ("gui xe" is read as "gửi xe", so the two cannot point to different terms).
 */
export function phraseKey(phrase: string): string {
  return fold(phrase).toLowerCase().replace(/\s+/gu, ' ').trim();
}

export interface SynonymInput {
  everyday: string[];
  legal: string[];
  note?: string;
}

/** A write that worked, or why not: an everyday phrase belongs to another entry, or no such entry. */
export type SynonymChange =
  | { ok: true; synonym: AgencySynonym }
  | { ok: false; reason: 'duplicate'; phrase: string; otherId: string }
  | { ok: false; reason: 'not_found' };

export interface SynonymStore {
  /** Every entry, newest change first. */
  list(): Promise<AgencySynonym[]>;
  get(id: string): Promise<AgencySynonym | undefined>;
  /**
   * Adds an entry; refused when one of its everyday phrases is another entry's, compared by
   * `phraseKey` (checked atomically). The phrases of one entry must have distinct keys.
   */
  create(input: SynonymInput, by: string, at: Date): Promise<SynonymChange>;
  /** Replaces an entry's phrases and note (same duplicate rule). */
  update(id: string, input: SynonymInput, by: string, at: Date): Promise<SynonymChange>;
  /** Removes an entry; the removed entry, or undefined when there was none. */
  remove(id: string): Promise<AgencySynonym | undefined>;
  /** Grows by at least one on every change: the runtime rebuilds the retriever's lexicon when it moves. */
  revision(): Promise<number>;
}
