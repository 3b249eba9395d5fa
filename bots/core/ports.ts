/**
 * What the conversation core and the channel adapters need from outside, declared here and
 * implemented elsewhere: storage/ implements `SecretStore`; app/ hands every channel the
 * settings of `ChannelConfig` (its `Config` has these fields, parsed from the environment).
 */

/** Durable small values that must survive restarts and change atomically (tokens). */
export interface SecretStore {
  get(key: string): Promise<string | undefined>;
  /** Writes all pairs in one transaction. */
  setMany(values: Record<string, string>): Promise<void>;
}

/**
 * The settings channel adapters read, by their environment names (README's configuration
 * table explains each). A narrow view of app/config.ts `Config`: channels see nothing else.
 */
export interface ChannelConfig {
  /** Public base URL of this server (webhook and widget links). */
  LOA_PUBLIC_URL?: string;
  // Zalo Official Account
  ZALO_APP_ID?: string;
  ZALO_APP_SECRET?: string;
  ZALO_OA_SECRET_KEY?: string;
  ZALO_ACCESS_TOKEN?: string;
  ZALO_REFRESH_TOKEN?: string;
  ZALO_API_BASE: string;
  ZALO_OAUTH_BASE: string;
  ZALO_MAX_EVENT_AGE_S: number;
  ZALO_MAX_CLOCK_SKEW_S: number;
  ZALO_GREET_FOLLOWERS: boolean;
  ZALO_SITE_VERIFICATION?: string;
  ZALO_APPSECRET_PROOF: boolean;
  // Telegram
  TELEGRAM_BOT_TOKEN?: string;
  TELEGRAM_WEBHOOK_SECRET?: string;
  TELEGRAM_MODE: 'webhook' | 'polling';
  TELEGRAM_API_ROOT: string;
  // Bot Framework
  MicrosoftAppId?: string;
  MicrosoftAppPassword?: string;
  MicrosoftAppTenantId?: string;
  MicrosoftAppType?: string;
  LOA_BOTFRAMEWORK_DEV_UNAUTHENTICATED: boolean;
  // Web chat
  LOA_WEBCHAT_ORIGINS: string;
  LOA_WEBCHAT_SESSIONS_PER_HOUR: number;
}
