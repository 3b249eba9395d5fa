import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import type { ChannelHandle, ChannelSetupContext } from '../core/types.ts';
import { createBotFrameworkSender } from './send-message.ts';
import { BOTFRAMEWORK_MESSAGES_PATH, mountBotFrameworkWebhook } from './webhook.ts';

export { BOTFRAMEWORK_MESSAGES_PATH } from './webhook.ts';

/**
 * The Bot Framework channel (Azure Bot Service: Teams, Web Chat, …; the Bot Framework
 * Emulator), behind the same adapter boundary as every channel, since Microsoft is
 * archiving this SDK.
 *
 * - With `MicrosoftAppId` and `MicrosoftAppPassword` (or `MicrosoftAppType=UserAssignedMSI`)
 *   the endpoint authenticates every request.
 * - Without them the SDK accepts any request (and posts replies to any `serviceUrl` it
 *   names), so the endpoint is mounted only with the explicit development flag
 *   `LOA_BOTFRAMEWORK_DEV_UNAUTHENTICATED=true`, for the Emulator; otherwise it is not mounted
 *   and a warning says why. A loopback bind proves nothing: the documented TLS proxy forwards
 *   the Internet to it.
 *
 * @example
 * const botframework = setupBotFramework({ app, config, logger, receiver, secrets, loopbackOnly });
 */
export function setupBotFramework(ctx: ChannelSetupContext): ChannelHandle | undefined {
  const { config } = ctx;
  // app/server.ts hands each channel a logger already bound to its name.
  const logger = ctx.logger;
  const appId = config.MicrosoftAppId;
  const managedIdentity = config.MicrosoftAppType?.toLowerCase() === 'userassignedmsi';

  if (appId && !config.MicrosoftAppPassword && !managedIdentity) {
    logger.warn('Bot Framework channel off: MicrosoftAppId is set but MicrosoftAppPassword is not');
    return undefined;
  }
  if (!appId && !config.LOA_BOTFRAMEWORK_DEV_UNAUTHENTICATED) {
    logger.warn(
      `Bot Framework channel off: without MicrosoftAppId/MicrosoftAppPassword ${BOTFRAMEWORK_MESSAGES_PATH} would accept unauthenticated requests; set them, or LOA_BOTFRAMEWORK_DEV_UNAUTHENTICATED=true for the Emulator on a development machine`,
    );
    return undefined;
  }

  let adapter: CloudAdapter;
  try {
    const options: ConfigurationBotFrameworkAuthenticationOptions = {};
    if (appId) options.MicrosoftAppId = appId;
    if (config.MicrosoftAppPassword) options.MicrosoftAppPassword = config.MicrosoftAppPassword;
    if (config.MicrosoftAppType) options.MicrosoftAppType = config.MicrosoftAppType;
    if (config.MicrosoftAppTenantId) options.MicrosoftAppTenantId = config.MicrosoftAppTenantId;
    adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication(options));
  } catch (err) {
    logger.error({ err }, 'Bot Framework channel off: invalid Microsoft app settings');
    return undefined;
  }

  mountBotFrameworkWebhook(ctx.app, { adapter, receiver: ctx.receiver, logger });
  if (appId) logger.info({ path: BOTFRAMEWORK_MESSAGES_PATH }, 'botframework: endpoint mounted, requests authenticated');
  else logger.warn({ path: BOTFRAMEWORK_MESSAGES_PATH }, 'botframework: endpoint mounted WITHOUT authentication (LOA_BOTFRAMEWORK_DEV_UNAUTHENTICATED, for the Emulator): anyone who reaches it can plant conversations');

  return { sender: createBotFrameworkSender(adapter, appId ?? '') };
}
