/**
 * What the spokesperson console needs from outside, declared here and provided by app/:
 * the settings it reads (`AdminConfig`, a narrow view of app/config.ts `Config`) and the
 * running runtime (`AdminRuntime`: storage, the logger, and the index refresh). app/'s
 * `Runtime` has this shape; the console never imports app/.
 */
import type { Logger } from 'pino';
import type { Storage } from '../storage/index.ts';

/** The settings the console reads, by their environment names (README's configuration table explains each). */
export interface AdminConfig {
  /** Public base URL of this server (links in notifications). */
  LOA_PUBLIC_URL?: string;
  /** Name of the agency, shown to citizens (the FAQ document's answers). */
  LOA_AGENCY_NAME: string;
  LOA_ADMIN_EMAIL?: string;
  LOA_ADMIN_PASSWORD?: string;
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

/** What the console uses of the running server: its stores, its logger, and the retrieval index refresh. */
export interface AdminRuntime {
  config: AdminConfig;
  logger: Logger;
  storage: Storage;
  /**
   * Rebuilds the index if the knowledge store changed since it was built, or swaps in the
   * agency's synonyms if only they changed. Returns true when it did either.
   */
  refreshKnowledge(): Promise<boolean>;
}
