import type { ChannelHandle, ChannelSetupContext } from '../core/types.ts';
import { ZaloOaClient } from './oa-client.ts';
import { ZaloSender } from './send-message.ts';
import { ZALO_WEBHOOK_PATH, mountZaloWebhook } from './webhook.ts';
import { mountZaloSiteVerification } from './site-verification.ts';

/**
 * The Zalo Official Account channel. Reading order: `webhook.ts` (HTTP in, signature
 * check) → `incoming-message.ts` (event → IncomingMessage) → the core → `send-message.ts`
 * (OutgoingMessage → text parts) → `oa-client.ts` (OA Open API, token refresh).
 *
 * Returns undefined (and logs why) unless ZALO_APP_ID, ZALO_OA_SECRET_KEY and a token
 * (ZALO_ACCESS_TOKEN and/or ZALO_REFRESH_TOKEN) are set.
 *
 * @example
 * const zalo = setupZalo({ app, config, logger, receiver, secrets, loopbackOnly });
 * if (zalo) senders.set('zalo', zalo.sender);
 */
export function setupZalo(ctx: ChannelSetupContext): ChannelHandle | undefined {
  const { config, logger } = ctx;
  // Domain verification comes before the channel is configured (it is how the webhook gets registered).
  if (config.ZALO_SITE_VERIFICATION) mountZaloSiteVerification(ctx.app, config.ZALO_SITE_VERIFICATION);
  const missing = [
    config.ZALO_APP_ID ? undefined : 'ZALO_APP_ID',
    config.ZALO_OA_SECRET_KEY ? undefined : 'ZALO_OA_SECRET_KEY',
    config.ZALO_ACCESS_TOKEN || config.ZALO_REFRESH_TOKEN ? undefined : 'ZALO_ACCESS_TOKEN or ZALO_REFRESH_TOKEN',
  ].filter((x): x is string => x !== undefined);
  if (!config.ZALO_APP_ID || !config.ZALO_OA_SECRET_KEY || missing.length) {
    logger.info({ channel: 'zalo', missing }, 'zalo: not configured, channel disabled');
    return undefined;
  }
  if (!config.ZALO_APP_SECRET || !config.ZALO_REFRESH_TOKEN) {
    logger.warn(
      { channel: 'zalo' },
      'zalo: ZALO_APP_SECRET or ZALO_REFRESH_TOKEN is not set; sending stops when the access token expires (about 25 h)',
    );
  }

  mountZaloWebhook(ctx.app, {
    appId: config.ZALO_APP_ID,
    oaSecretKey: config.ZALO_OA_SECRET_KEY,
    maxEventAgeS: config.ZALO_MAX_EVENT_AGE_S,
    maxClockSkewS: config.ZALO_MAX_CLOCK_SKEW_S,
    greetFollowers: config.ZALO_GREET_FOLLOWERS,
    receiver: ctx.receiver,
    logger,
  });

  const client = new ZaloOaClient({
    apiBase: config.ZALO_API_BASE,
    oauthBase: config.ZALO_OAUTH_BASE,
    appId: config.ZALO_APP_ID,
    appSecret: config.ZALO_APP_SECRET,
    secrets: ctx.secrets,
    seed: { accessToken: config.ZALO_ACCESS_TOKEN, refreshToken: config.ZALO_REFRESH_TOKEN },
    appsecretProof: config.ZALO_APPSECRET_PROOF,
    onTokenRefresh: (outcome) => ctx.metrics?.tokenRefresh('zalo', outcome),
    logger,
    lock: ctx.lock,
  });
  logger.info({ channel: 'zalo', webhook: ZALO_WEBHOOK_PATH }, 'zalo: channel enabled');
  return { sender: new ZaloSender(client, logger), health: () => client.health() };
}

export { ZALO_WEBHOOK_PATH } from './webhook.ts';
