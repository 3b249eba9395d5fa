import { z } from 'zod';
import { resolve } from 'node:path';
import { parseTrustProxy, type TrustProxy } from './trust-proxy.ts';

/**
 * Every setting Loa reads from the environment, with its default. The README's
 * configuration table mirrors this list; keep them in step.
 */
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const boolish = (def: boolean) =>
  z
    .string()
    .optional()
    .transform((v) => (v === undefined || v === '' ? def : ['1', 'true', 'yes', 'on'].includes(v.toLowerCase())));

export const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  LOA_DATA_DIR: z.string().default('./data'),
  /**
   * Behind a reverse proxy, which X-Forwarded-For hops to trust (Express "trust proxy"):
   * "false" (default), a hop count such as "1", or the proxies' addresses/subnets such as
   * "loopback" or "10.0.0.5,10.0.1.0/24". "true" is refused (any client could pick its own address).
   * Without it, per-IP limits see only the proxy's address.
   */
  LOA_TRUST_PROXY: z
    .string()
    .default('false')
    .transform((v, ctx): TrustProxy => {
      const parsed = parseTrustProxy(v);
      if (parsed.ok) return parsed.value;
      ctx.addIssue({ code: 'custom', message: parsed.message });
      return z.NEVER;
    }),
  LOA_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Public base URL of this server (for links in messages and channel setup). */
  LOA_PUBLIC_URL: optionalString,
  /** Name of the agency, shown to citizens ("Câu trả lời của …"). */
  LOA_AGENCY_NAME: z.string().default('Cơ quan quản lý'),
  /** Load the bundled sample knowledge base when the store is empty. */
  LOA_SAMPLE_KNOWLEDGE: boolish(true),
  /** Confidence under which the bot abstains and escalates (0..1). */
  LOA_ABSTAIN_THRESHOLD: z.coerce.number().min(0).max(1).default(0.6),
  LOA_CLARIFY_FLOOR: z.coerce.number().min(0).max(1).default(0.1),
  /** Answers given with a confidence under this go to the console's review queue (0..1). */
  LOA_REVIEW_CONFIDENCE: z.coerce.number().min(0).max(1).default(0.7),
  /** Largest file `loa ingest` accepts, in megabytes. */
  LOA_MAX_FILE_MB: z.coerce.number().positive().default(50),
  /** Longest a DOCX or PDF may take to parse (in a worker thread), in seconds. */
  LOA_PARSE_TIMEOUT_S: z.coerce.number().positive().default(60),
  /** Heap a DOCX or PDF parse may use (the worker's limit), in megabytes. */
  LOA_PARSE_MEMORY_MB: z.coerce.number().int().min(32).default(512),
  /** Heap an index build may use (the index worker's limit), in megabytes; over it the build fails and the old index keeps serving. */
  LOA_INDEX_MEMORY_MB: z.coerce.number().int().min(64).default(4096),
  /** How often the knowledge revision is polled, in seconds: a fallback for a lost change notification (PostgreSQL), the only signal with SQLite. */
  LOA_KNOWLEDGE_POLL_S: z.coerce.number().positive().optional(),
  /** Storage backend: embedded SQLite (default) or PostgreSQL. */
  DATABASE_URL: optionalString,
  /** Redis for cross-instance rate limits, fan-out, live events and locks (optional). */
  REDIS_URL: optionalString,
  /** PostgreSQL cancels a statement running longer than this; the client gives up 2 s later (a partition). */
  LOA_DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().positive().default(15_000),
  /** A Redis command unanswered after this fails, and rate limits fall back to per-instance memory. */
  LOA_REDIS_COMMAND_TIMEOUT_MS: z.coerce.number().int().positive().default(500),
  /**
   * How long an idle keep-alive connection stays open (seconds). Above a reverse proxy's own
   * (nginx keepalive_timeout 60 s, most load balancers 60 s), so that Loa never closes a
   * connection the proxy is about to reuse (an ECONNRESET / 502 for that request).
   */
  LOA_HTTP_KEEPALIVE_TIMEOUT_S: z.coerce.number().int().positive().default(75),
  // Operations: readiness, metrics, shutdown
  /** Each readiness check (database, Redis, backlog, disk) fails after this. */
  LOA_READY_CHECK_TIMEOUT_MS: z.coerce.number().int().positive().default(2_000),
  /** Readiness fails when the oldest citizen message waiting in the inbox is older than this (seconds). */
  LOA_READY_MAX_BACKLOG_S: z.coerce.number().int().positive().default(600),
  /** Readiness fails when the data directory has less free space than this (megabytes). */
  LOA_READY_MIN_FREE_MB: z.coerce.number().nonnegative().default(100),
  /** Bearer token for GET /metrics on the main port; without it (and without LOA_METRICS_PORT) /metrics is off. */
  LOA_METRICS_TOKEN: optionalString,
  /** Serve /metrics (without a token) on this separate port instead, bound to LOA_METRICS_HOST. */
  LOA_METRICS_PORT: z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().min(0).max(65535).optional()),
  LOA_METRICS_HOST: z.string().default('127.0.0.1'),
  /** On SIGTERM, how long readiness reports "draining" before the server stops accepting connections (ms). */
  LOA_DRAIN_DELAY_MS: z.coerce.number().int().nonnegative().default(0),
  /** On SIGTERM, how long requests in flight may take to finish before connections are closed (seconds). */
  LOA_DRAIN_TIMEOUT_S: z.coerce.number().positive().default(25),
  /** Optional embeddings: 'corpus' (default, built from the corpus), 'transformers' (local model folder) or 'openai' (OpenAI-compatible endpoint). */
  LOA_EMBEDDINGS: z.enum(['corpus', 'transformers', 'openai', 'none']).default('corpus'),
  LOA_EMBEDDINGS_MODEL_DIR: optionalString,
  LOA_EMBEDDINGS_MODEL: optionalString,
  LOA_EMBEDDINGS_URL: optionalString,
  LOA_EMBEDDINGS_API_KEY: optionalString,
  /** Optional LLM rewrite of extractive answers (OpenAI-compatible or Ollama /v1 endpoint). */
  LOA_LLM_URL: optionalString,
  LOA_LLM_MODEL: optionalString,
  LOA_LLM_API_KEY: optionalString,
  /** Citizen messages the conversation core works on at once (per instance). */
  LOA_PIPELINE_CONCURRENCY: z.coerce.number().int().positive().default(4),
  /**
   * Event-loop delay (ms) above which answering gives way to webhook acknowledgements (its
   * concurrency drops towards 1 and grows back when the loop is on time); 0: fixed concurrency.
   */
  LOA_PIPELINE_MAX_LOOP_DELAY_MS: z.coerce.number().int().nonnegative().default(20),
  /** Messages sent at once per channel (per instance), apart from the answering slots. */
  LOA_SEND_CONCURRENCY: z.coerce.number().int().positive().default(64),
  /** Longest wait for a channel's answer to one send, in milliseconds; after it the outcome is unknown. */
  LOA_SEND_TIMEOUT_MS: z.coerce.number().int().positive().default(15_000),
  /** How long a Telegram, web chat or Bot Framework message is retried before it becomes a dead letter (Zalo: its own 48 h / 7 day windows). */
  LOA_DELIVERY_MAX_AGE_HOURS: z.coerce.number().positive().default(24),
  /** A send whose outcome is unknown: 'resend' it after a pause (a rare duplicate, counted) or 'hold' it as a dead letter. */
  LOA_UNKNOWN_OUTCOME: z.enum(['resend', 'hold']).default('resend'),
  /** Announcements to Zalo followers 48 h–7 days after their last message are paid consultation messages: send them? (Inside 48 h they are free; after 7 days Zalo refuses.) */
  LOA_ZALO_PAID_ANNOUNCEMENTS: boolish(false),
  /** How long an instance's claim on an event or message holds without renewal; a dead instance's work waits this long. */
  LOA_WORK_LEASE_S: z.coerce.number().int().min(5).default(60),
  /** Handled inbox events and finished deliveries are deleted after this many days (0: kept for ever). */
  LOA_RETENTION_DAYS: z.coerce.number().min(0).default(90),
  /**
   * Citizens' personal data (their messages, answers to them, web chat transcripts, feedback,
   * labelled examples, names) is deleted or anonymised after this many days (Decree
   * 13/2023/NĐ-CP); counts for reports are kept. 0: kept for ever.
   */
  LOA_PERSONAL_DATA_RETENTION_DAYS: z.coerce.number().min(0).default(365),
  /** Per-citizen rate limit: messages per minute. */
  LOA_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(20),
  /** Escalations to spokespeople one citizen may cause per hour; over it they are told their questions are waiting. */
  LOA_ESCALATIONS_PER_CITIZEN_PER_HOUR: z.coerce.number().int().positive().default(5),
  /** Escalations per hour from one network address (web chat, where Loa sees the citizen's address). */
  LOA_ESCALATIONS_PER_IP_PER_HOUR: z.coerce.number().int().positive().default(20),
  // Zalo Official Account
  ZALO_APP_ID: optionalString,
  ZALO_APP_SECRET: optionalString,
  ZALO_OA_SECRET_KEY: optionalString,
  ZALO_ACCESS_TOKEN: optionalString,
  ZALO_REFRESH_TOKEN: optionalString,
  ZALO_API_BASE: z.string().default('https://openapi.zalo.me'),
  ZALO_OAUTH_BASE: z.string().default('https://oauth.zaloapp.com'),
  /**
   * Signed Zalo events older than this are rejected (seconds). Zalo redelivers an event it did
   * not get a 200 for during hours (about 12 h reported), so the default is a day; duplicates are
   * caught by msg_id.
   */
  ZALO_MAX_EVENT_AGE_S: z.coerce.number().int().positive().default(86_400),
  /** How far in the future a signed Zalo event's timestamp may be (clock skew, seconds). */
  ZALO_MAX_CLOCK_SKEW_S: z.coerce.number().int().nonnegative().default(300),
  /**
   * Greet a citizen who follows the OA. A follow event has no message to reply to, so the
   * greeting goes by user_id and Zalo counts it as a proactive (possibly paid) message; off by
   * default: the citizen's first message is answered as usual.
   */
  ZALO_GREET_FOLLOWERS: boolish(false),
  /** The code from Zalo's domain verification: served as /zalo_verifier<code>.html (with the meta tag). */
  ZALO_SITE_VERIFICATION: optionalString.refine((v) => v === undefined || /^[A-Za-z0-9_-]{4,128}$/.test(v), 'letters, digits, - and _ only'),
  /** Send appsecret_proof (HMAC-SHA256 of the access token with the App Secret) on API calls, when the app requires it. */
  ZALO_APPSECRET_PROOF: boolish(false),
  // Telegram
  TELEGRAM_BOT_TOKEN: optionalString,
  TELEGRAM_WEBHOOK_SECRET: optionalString,
  TELEGRAM_MODE: z.enum(['webhook', 'polling']).default('webhook'),
  TELEGRAM_API_ROOT: z.string().default('https://api.telegram.org'),
  // Bot Framework
  MicrosoftAppId: optionalString,
  MicrosoftAppPassword: optionalString,
  MicrosoftAppTenantId: optionalString,
  MicrosoftAppType: optionalString,
  /**
   * Development only: mount /api/messages without credentials (the SDK then accepts any request
   * and posts replies to any serviceUrl it names). Never inferred from a loopback bind: a reverse
   * proxy on the same host forwards the Internet to it.
   */
  LOA_BOTFRAMEWORK_DEV_UNAUTHENTICATED: boolish(false),
  // Console
  LOA_ADMIN_EMAIL: optionalString,
  LOA_ADMIN_PASSWORD: optionalString,
  /** Where to report vulnerabilities (mailto: or https: URIs, comma-separated), served as /.well-known/security.txt. */
  LOA_SECURITY_CONTACT: z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()))
    .refine((v) => v === undefined || v.split(',').every((c) => /^(mailto:\S+@\S+|https:\/\/\S+)$/.test(c.trim())), 'use mailto: or https: URIs, comma-separated'),
  // Web chat
  /** Origins (comma-separated, e.g. "https://portal.gov.vn,https://www.portal.gov.vn") whose pages may embed the web chat widget; "*" allows any. */
  LOA_WEBCHAT_ORIGINS: z.string().default('*'),
  /** New web chat sessions one IP address may open per hour. */
  LOA_WEBCHAT_SESSIONS_PER_HOUR: z.coerce.number().int().positive().default(30),
  // Console security
  /** A console session ends after this many hours without activity. */
  LOA_SESSION_IDLE_HOURS: z.coerce.number().positive().default(8),
  /** A console session ends this many days after login, whatever the activity. */
  LOA_SESSION_MAX_DAYS: z.coerce.number().positive().default(7),
  /** Wrong passwords for one staff account from one address that lock that address out of it. */
  LOA_LOGIN_MAX_FAILURES: z.coerce.number().int().positive().default(5),
  /** How long the first lockout lasts, in minutes (each further one within a day doubles it). */
  LOA_LOGIN_LOCK_MINUTES: z.coerce.number().positive().default(15),
  /** Who must use a second factor (TOTP) to use the console: `admin` (default), `all` staff, or `none`. Accounts without one enrol at their next sign-in. */
  LOA_REQUIRE_TOTP: z.enum(['admin', 'all', 'none']).default('admin'),
  /** Console password checks one IP address may make per 15 minutes before it is throttled. */
  LOA_LOGIN_FAILURES_PER_IP: z.coerce.number().int().positive().default(20),
  /** Telegram chat (group) id that hears about each new escalation; needs TELEGRAM_BOT_TOKEN. */
  LOA_NOTIFY_TELEGRAM_CHAT_ID: optionalString,
  /** At most one Telegram notice per this many seconds: escalations arriving meanwhile are listed together. */
  LOA_NOTIFY_TELEGRAM_BATCH_S: z.coerce.number().min(0).default(30),
  // Reports
  /** The agency's time zone (IANA name): report days run from its midnight to midnight. */
  LOA_TIMEZONE: z
    .string()
    .default('Asia/Ho_Chi_Minh')
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'not a known time zone (use an IANA name such as Asia/Ho_Chi_Minh)'),
});

export type Config = z.infer<typeof configSchema> & { dataDir: string; sqliteFile: string };

/** The parse worker's limits from the configuration (declared with the parser, which takes them). */
export { parseLimitsOf } from '../knowledge/parse/isolated-extract.ts';

/** Parses the environment; throws a readable error listing every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const dataDir = resolve(parsed.data.LOA_DATA_DIR);
  return { ...parsed.data, dataDir, sqliteFile: resolve(dataDir, 'loa.sqlite') };
}
