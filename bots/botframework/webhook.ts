import express, { type Express, type Request, type Response } from 'express';
import type { CloudAdapter, TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import type { MessageReceiver } from '../core/types.ts';
import { webhookErrorHandler } from '../core/webhook-errors.ts';
import { toIncomingMessages } from './incoming-message.ts';

/** The messaging endpoint to give the Azure Bot resource or the Emulator: `<public url>/api/messages`. */
export const BOTFRAMEWORK_MESSAGES_PATH = '/api/messages';

/**
 * Mounts `POST /api/messages`. The `CloudAdapter` authenticates the request (when
 * credentials are configured) and runs the turn; the turn only translates the activity
 * and hands it to the core. Replies are sent later, proactively, by the sender, so the
 * HTTP response (200, or 500 when the core failed) is all the channel gets now.
 */
export function mountBotFrameworkWebhook(app: Express, deps: { adapter: CloudAdapter; receiver: MessageReceiver; logger: Logger }): void {
  const { adapter, receiver, logger } = deps;

  const turn = async (context: TurnContext): Promise<void> => {
    for (const message of toIncomingMessages(context.activity)) {
      try {
        await receiver.receive(message);
      } catch (err) {
        logger.error({ err, channelMessageId: message.channelMessageId }, 'botframework: could not hand the activity to the core');
        // The adapter prints this error and answers 500 with its message: keep it generic.
        throw new Error('Loa could not store the activity');
      }
    }
  };

  const handle = async (req: Request, res: Response): Promise<void> => {
    await adapter.process(req, res, turn);
  };

  app.post(BOTFRAMEWORK_MESSAGES_PATH, express.json({ limit: '256kb' }), handle, webhookErrorHandler(logger, 'botframework: request failed'));
}
