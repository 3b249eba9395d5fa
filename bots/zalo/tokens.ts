import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { ProcessLock } from '../../storage/shared-lock.ts';
import type { SecretStore, SharedLock } from '../core/ports.ts';
import { ChannelSendError } from '../core/types.ts';

/** Where the rotating token pair lives in the SecretStore. */
export const ZALO_TOKEN_KEYS = {
  accessToken: 'zalo.access_token',
  refreshToken: 'zalo.refresh_token',
  /** Epoch ms after which the access token is refreshed before use ('' when unknown). */
  expiresAt: 'zalo.access_token_expires_at',
  /** Fingerprint of the env tokens the store was seeded from, to notice new env tokens. */
  seededFrom: 'zalo.tokens_seeded_from',
} as const;

/** What the OAuth endpoint hands back on a refresh. */
export interface RefreshedTokens {
  accessToken: string;
  refreshToken: string;
  expiresInS: number;
}

export interface ZaloTokensOptions {
  secrets: SecretStore;
  /** ZALO_ACCESS_TOKEN / ZALO_REFRESH_TOKEN from the environment: they only seed the store. */
  seed: { accessToken?: string; refreshToken?: string };
  /** Exchanges a refresh token for a new pair (the OAuth call); throws ChannelSendError. */
  refresh: (refreshToken: string) => Promise<RefreshedTokens>;
  logger: Logger;
  /** Told about every refresh attempt (for `/metrics`). */
  onRefresh?: (outcome: 'ok' | 'failed') => void;
  now?: () => number;
  /** Held around each refresh, across instances when shared (PostgreSQL or Redis); this process only by default. */
  lock?: SharedLock;
  /** How often, and how far apart, the stored pair is re-read after a refused refresh (default 5 × 200 ms). */
  rereadAfterRefusal?: { times: number; intervalMs: number };
}

const LOCK_NAME = 'zalo.token-refresh';

/** Refresh this long before the announced expiry, so a send does not race the deadline. */
const EXPIRY_MARGIN_MS = 10 * 60 * 1000;

/**
 * The Zalo access/refresh token pair. Zalo's refresh token is single-use, so:
 * - the stored pair wins over the environment, which only seeds an empty store (and
 *   re-seeds it when the operator later puts different tokens in the environment, e.g.
 *   after authorising the app again);
 * - a new pair is persisted in one `setMany` before the access token is used;
 * - concurrent callers share one refresh in flight, and a caller whose token was already
 *   replaced gets the new one instead of refreshing again;
 * - across instances, the refresh runs under a shared lock (`lock`), and the stored pair is
 *   read again inside it, so only one instance spends the refresh token;
 * - a refused refresh re-reads the store before giving up: another instance (one without
 *   the shared lock) may have rotated the pair already, and its new pair is valid.
 */
export class ZaloTokens {
  private readonly secrets: SecretStore;
  private readonly refresh: ZaloTokensOptions['refresh'];
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly onRefresh: (outcome: 'ok' | 'failed') => void;
  private readonly seeding: Promise<void>;
  private inFlight: Promise<string> | undefined;
  private readonly lock: SharedLock;
  private readonly reread: { times: number; intervalMs: number };
  /** A refreshed pair whose write failed: kept so the consumed refresh token is not lost. */
  private unsaved: Record<string, string> | undefined;

  constructor(options: ZaloTokensOptions) {
    this.secrets = options.secrets;
    this.refresh = options.refresh;
    this.logger = options.logger;
    this.now = options.now ?? Date.now;
    this.onRefresh = options.onRefresh ?? (() => undefined);
    this.lock = options.lock ?? new ProcessLock();
    this.reread = options.rereadAfterRefusal ?? { times: 5, intervalMs: 200 };
    this.seeding = this.seedFromEnv(options.seed);
    // Surfaced on first use; avoid an unhandled rejection in the meantime.
    this.seeding.catch(() => undefined);
  }

  /** The access token to use now; refreshes first when there is none or it is about to expire. */
  async current(): Promise<string> {
    await this.seeding;
    await this.saveUnsaved();
    const [access, expiresAt] = await Promise.all([
      this.secrets.get(ZALO_TOKEN_KEYS.accessToken),
      this.secrets.get(ZALO_TOKEN_KEYS.expiresAt),
    ]);
    const deadline = expiresAt ? Number(expiresAt) : NaN;
    if (!access || (Number.isFinite(deadline) && this.now() >= deadline - EXPIRY_MARGIN_MS)) {
      return this.refreshAfter(access ?? '');
    }
    return access;
  }

  /**
   * A fresh access token after `failedAccessToken` was rejected. Shares a refresh already
   * in flight; returns the stored token without refreshing if it is no longer the failed one.
   */
  refreshAfter(failedAccessToken: string): Promise<string> {
    this.inFlight ??= this.doRefresh(failedAccessToken).finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async doRefresh(failedAccessToken: string): Promise<string> {
    await this.seeding;
    await this.saveUnsaved();
    return this.lock.withLock(LOCK_NAME, () => this.refreshLocked(failedAccessToken));
  }

  private async refreshLocked(failedAccessToken: string): Promise<string> {
    const [access, refreshToken] = await Promise.all([
      this.secrets.get(ZALO_TOKEN_KEYS.accessToken),
      this.secrets.get(ZALO_TOKEN_KEYS.refreshToken),
    ]);
    if (access && access !== failedAccessToken) return access;
    if (!refreshToken) {
      throw new ChannelSendError(
        'Zalo: access token hết hạn và không có refresh token / access token expired and no refresh token is configured',
        false,
        'no_refresh_token',
      );
    }
    let pair: RefreshedTokens;
    try {
      pair = await this.refresh(refreshToken);
    } catch (err) {
      const rotated = err instanceof ChannelSendError && !err.retryable ? await this.rotatedElsewhere(refreshToken) : undefined;
      if (rotated) {
        this.onRefresh('ok');
        return rotated;
      }
      this.onRefresh('failed');
      if (err instanceof ChannelSendError && !err.retryable) {
        this.logger.error({ code: err.code }, 'zalo: the refresh token was refused and no other instance has refreshed; authorise the app again');
      }
      throw err;
    }
    this.onRefresh('ok');
    const values = {
      [ZALO_TOKEN_KEYS.accessToken]: pair.accessToken,
      [ZALO_TOKEN_KEYS.refreshToken]: pair.refreshToken,
      [ZALO_TOKEN_KEYS.expiresAt]: String(this.now() + pair.expiresInS * 1000),
    };
    try {
      await this.secrets.setMany(values);
    } catch (err) {
      // The old refresh token is spent: losing the new pair would need a new authorisation.
      this.unsaved = values;
      this.logger.error({ err: errorText(err) }, 'zalo: could not store the refreshed token pair; will retry storing it');
      throw new ChannelSendError('Zalo: could not store the refreshed token pair', true, 'token_store_failed');
    }
    this.logger.info({ expiresInS: pair.expiresInS }, 'zalo: access token refreshed');
    return pair.accessToken;
  }

  /**
   * After Zalo refused `spentRefreshToken`: the access token of a pair another instance
   * stored meanwhile (it may still be writing it), or undefined if the store still holds
   * the refused token (then the operator must authorise again).
   */
  private async rotatedElsewhere(spentRefreshToken: string): Promise<string | undefined> {
    for (let i = 0; i < this.reread.times; i++) {
      const [access, refresh] = await Promise.all([this.secrets.get(ZALO_TOKEN_KEYS.accessToken), this.secrets.get(ZALO_TOKEN_KEYS.refreshToken)]);
      if (refresh && refresh !== spentRefreshToken && access) {
        this.logger.info('zalo: refresh refused, but another instance had already refreshed; using its token');
        return access;
      }
      await new Promise((r) => setTimeout(r, this.reread.intervalMs));
    }
    return undefined;
  }

  private async saveUnsaved(): Promise<void> {
    if (!this.unsaved) return;
    const values = this.unsaved;
    try {
      await this.secrets.setMany(values);
    } catch (err) {
      this.logger.error({ err: errorText(err) }, 'zalo: still cannot store the refreshed token pair');
      throw new ChannelSendError('Zalo: could not store the refreshed token pair', true, 'token_store_failed');
    }
    if (this.unsaved === values) this.unsaved = undefined;
    this.logger.info('zalo: refreshed token pair stored');
  }

  private async seedFromEnv(seed: ZaloTokensOptions['seed']): Promise<void> {
    if (!seed.accessToken && !seed.refreshToken) return;
    const fingerprint = createHash('sha256')
      .update(`${seed.accessToken ?? ''}\n${seed.refreshToken ?? ''}`)
      .digest('hex')
      .slice(0, 16);
    const [seededFrom, storedAccess, storedRefresh] = await Promise.all([
      this.secrets.get(ZALO_TOKEN_KEYS.seededFrom),
      this.secrets.get(ZALO_TOKEN_KEYS.accessToken),
      this.secrets.get(ZALO_TOKEN_KEYS.refreshToken),
    ]);
    if (seededFrom === fingerprint) return;
    if (seededFrom === undefined && (storedAccess || storedRefresh)) {
      // Tokens stored by other means (e.g. an authorisation flow) win: only note the env.
      await this.secrets.setMany({ [ZALO_TOKEN_KEYS.seededFrom]: fingerprint });
      return;
    }
    // Store empty, or the operator put different tokens in the environment: seed from it.
    await this.secrets.setMany({
      [ZALO_TOKEN_KEYS.accessToken]: seed.accessToken ?? '',
      [ZALO_TOKEN_KEYS.refreshToken]: seed.refreshToken ?? '',
      [ZALO_TOKEN_KEYS.expiresAt]: '',
      [ZALO_TOKEN_KEYS.seededFrom]: fingerprint,
    });
    this.logger.info('zalo: token pair seeded from the environment');
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
