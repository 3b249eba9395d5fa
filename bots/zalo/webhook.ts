import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import { jsonErrorHandler, sendError } from '../../http/errors.ts';
import type { MessageReceiver } from '../core/types.ts';
import { isHandledEvent, toIncomingMessage, zaloEnvelopeSchema, zaloTimestampMs } from './incoming-message.ts';
import { ZALO_SIGNATURE_HEADER, verifyZaloSignature } from './signature.ts';

/** Where Zalo posts events; register `<public url>/webhooks/zalo` in the Zalo developer console. */
export const ZALO_WEBHOOK_PATH = '/webhooks/zalo';

/** Zalo events are small; anything larger is not Zalo. */
const BODY_LIMIT = '256kb';

export interface ZaloWebhookOptions {
  appId: string;
  /** The OA Secret Key (not the App Secret): it signs webhook events. */
  oaSecretKey: string;
  /**
   * Signed events older than this are rejected. Zalo redelivers for hours after an outage, so
   * this is long (a day by default); redeliveries are deduplicated on msg_id by the receiver.
   */
  maxEventAgeS: number;
  /** Events dated further than this in the future are rejected (clock skew). */
  maxClockSkewS: number;
  /** Pass follow events on (the core greets by user_id, a proactive message); otherwise ignore them. */
  greetFollowers: boolean;
  receiver: MessageReceiver;
  logger: Logger;
  now?: () => number;
}

/**
 * Mounts `POST /webhooks/zalo`: parse JSON keeping the raw bytes, verify the signature,
 * app id and age, translate the event, hand it to the receiver (which only persists) and
 * acknowledge with 200; the answer is produced later by the core. If the receiver cannot
 * persist, 500 makes Zalo deliver again. `GET /webhooks/zalo` answers 200 so the URL can be
 * checked when it is registered; so does an unsigned request that carries no event Loa acts
 * on (Zalo's registration test), which is otherwise ignored.
 */
export function mountZaloWebhook(app: Express, options: ZaloWebhookOptions): void {
  // The exact bytes are needed for the signature; a WeakMap avoids widening Request's type.
  const rawBodies = new WeakMap<object, Buffer>();
  const parseJson = express.json({
    limit: BODY_LIMIT,
    // Whatever Content-Type the sender declares, the body must be JSON.
    type: () => true,
    verify: (req, _res, buf) => {
      rawBodies.set(req, buf);
    },
  });
  app.get(ZALO_WEBHOOK_PATH, (_req, res) => void res.status(200).json({ ok: true }));
  app.post(ZALO_WEBHOOK_PATH, parseJson, handleEvent(options, rawBodies), handleParseErrors(options.logger));
}

/** Unverified strings in logs: at most 64 characters. */
const clip = (v: string): string => (v.length > 64 ? `${v.slice(0, 64)}…` : v);

function handleEvent(options: ZaloWebhookOptions, rawBodies: WeakMap<object, Buffer>): RequestHandler {
  const { appId, oaSecretKey, maxEventAgeS, maxClockSkewS, receiver, logger } = options;
  const now = options.now ?? Date.now;
  const log = logger.child({ channel: 'zalo' });

  return async (req, res) => {
    const rawBody = rawBodies.get(req);
    const signature = req.get(ZALO_SIGNATURE_HEADER);
    const envelope = zaloEnvelopeSchema.safeParse(req.body);
    if (!signature && !(envelope.success && isHandledEvent(envelope.data.event_name))) {
      // Nothing to act on and nothing trusted: the registration test. Acknowledge, do nothing.
      log.info({ ip: req.ip }, 'zalo webhook: unsigned test request acknowledged (nothing processed)');
      res.status(200).json({ ok: true });
      return;
    }
    if (!rawBody || req.body === undefined) {
      sendError(res, 400, 'empty_body', 'The body is empty');
      return;
    }
    const reject = (reason: string, details: Record<string, unknown> = {}): void => {
      log.warn({ reason, ip: req.ip, ...details }, 'zalo webhook: rejected');
      sendError(res, 401, 'unauthorized', 'Signature, app id or timestamp rejected');
    };

    if (!signature) return reject('missing_signature');
    if (!envelope.success) {
      log.warn({ ip: req.ip }, 'zalo webhook: body is not a Zalo event (no app_id/timestamp/event_name)');
      sendError(res, 400, 'not_a_zalo_event', 'The body is not a Zalo event');
      return;
    }
    const { app_id: eventAppId, timestamp, event_name: eventName } = envelope.data;
    // Checked before anything from the body is logged, so an unsigned body cannot fill the logs;
    // what is logged from an unverified body is cut short (a 100 kB app_id is not a log line).
    if (!verifyZaloSignature(signature, eventAppId, rawBody, timestamp, oaSecretKey)) {
      return reject('bad_signature', { eventName: clip(eventName) });
    }
    if (eventAppId !== appId) return reject('wrong_app_id', { eventAppId: clip(eventAppId), eventName: clip(eventName) });
    const sentMs = zaloTimestampMs(timestamp);
    const ageMs = sentMs === undefined ? NaN : now() - sentMs;
    if (!(ageMs <= maxEventAgeS * 1000 && ageMs >= -maxClockSkewS * 1000)) {
      return reject(ageMs < 0 ? 'future_timestamp' : 'stale_timestamp', { eventName: clip(eventName), timestamp: clip(timestamp) });
    }

    const outcome = toIncomingMessage(req.body, { greetFollowers: options.greetFollowers });
    if (outcome.action === 'ignore') {
      log.debug({ eventName, reason: outcome.reason }, 'zalo webhook: event ignored');
      res.status(200).json({ ok: true });
      return;
    }
    if (outcome.action === 'invalid') {
      // Signed by Zalo but not the shape we know: a retry would bring the same body, so acknowledge.
      log.warn({ eventName, issues: outcome.issues }, 'zalo webhook: event with an unexpected shape ignored');
      res.status(200).json({ ok: true });
      return;
    }

    try {
      const { duplicate } = await receiver.receive(outcome.message);
      // num_retry (reported by some sources) helps tell Zalo's redeliveries apart in the logs.
      log.debug({ eventName, channelMessageId: outcome.message.channelMessageId, duplicate, numRetry: req.get('num_retry') }, 'zalo webhook: event received');
    } catch (err) {
      log.error({ eventName, err: err instanceof Error ? err.message : String(err) }, 'zalo webhook: could not store the event; Zalo will retry');
      sendError(res, 500, 'internal', 'The event could not be stored; deliver it again');
      return;
    }
    res.status(200).json({ ok: true });
  };
}

/** body-parser failures (the one handler of `http/errors.ts`): malformed JSON → 400, too large → 413, logged. */
const handleParseErrors = (logger: Logger): ErrorRequestHandler =>
  jsonErrorHandler({ logger: logger.child({ channel: 'zalo' }), failure: 'zalo webhook: request failed', logClientErrors: 'zalo webhook: malformed or too large body' });
