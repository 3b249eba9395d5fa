import { createHash } from 'node:crypto';
import { z } from 'zod';

/**
 * What the Zalo webhook benchmark's processes tell each other over IPC, and how the load
 * generator builds a signed `user_send_text` event. Signing follows
 * /work/shared/CHANNELS.md (plain SHA-256 of app_id + raw body + timestamp + OA secret key),
 * written here rather than imported from `bots/zalo/signature.ts`, so the benchmark does not
 * mirror a bug in the code it measures.
 */

export const loadParamsSchema = z.object({
  url: z.string(),
  appId: z.string(),
  oaSecretKey: z.string(),
  /** Prefix of msg_ids and user ids, distinct per phase. */
  runId: z.string(),
  questions: z.array(z.string()).min(1),
  /** Distinct citizens the events come from (round-robin). */
  users: z.number().int().positive(),
  connections: z.number().int().positive(),
  durationS: z.number().positive(),
  /** Requests per second over all connections; unset = as fast as the server acknowledges. */
  overallRate: z.number().int().positive().optional(),
  /** Closed loop only: stop after this many events (a burst); `durationS` then only bounds it. */
  amount: z.number().int().positive().optional(),
});
export type LoadParams = z.infer<typeof loadParamsSchema>;

export const runMessageSchema = z.object({ type: z.literal('run'), params: loadParamsSchema });

/** NaN (no acknowledgement at all) crosses IPC as null. */
const ms = z
  .number()
  .nullable()
  .transform((v) => v ?? Number.NaN);
const latency = z.object({ p50: ms, p90: ms, p99: ms, max: ms, mean: ms });

/** The part of autocannon's result the benchmark reports. */
export const loadSummarySchema = z.object({
  durationS: z.number(),
  connections: z.number(),
  offeredRate: z.number().optional(),
  sent: z.number(),
  completed: z.number(),
  ok2xx: z.number(),
  non2xx: z.number(),
  errors: z.number(),
  timeouts: z.number(),
  statusCodes: z.record(z.string(), z.number()),
  /** Completed requests / configured duration. */
  ackPerSecond: z.number(),
  /** Acknowledgement latency of every request, measured on the wire by the load generator. */
  latencyMs: latency,
  /** autocannon's own latency histogram (closed-loop phase only: paced load uses several instances). */
  autocannonLatencyMs: latency.optional(),
  /** The load generator's own event-loop delay: if high, its latency figures are inflated. */
  loopDelayMs: z.object({ p99: z.number(), max: z.number() }),
});
export type LoadSummary = z.infer<typeof loadSummarySchema>;

export const doneMessageSchema = z.object({
  type: z.literal('done'),
  summary: loadSummarySchema,
  /** [msg_id, epoch ms when the request was written] for every event sent. */
  sends: z.array(z.tuple([z.string(), z.number()])),
  /** The msg_ids the server acknowledged with 2xx (it owes each an answer). */
  acked: z.array(z.string()).default([]),
  /** CPU time the load generator used (user + system). */
  cpuMs: z.number(),
});
export type DoneMessage = z.infer<typeof doneMessageSchema>;

export const readyMessageSchema = z.object({ type: z.literal('ready'), url: z.string() });

/** A `user_send_text` event as Zalo sends it (ids and timestamp as strings), signed. */
export function signedTextEvent(
  p: Pick<LoadParams, 'appId' | 'oaSecretKey'>,
  fields: { userId: string; msgId: string; text: string; timestamp: number },
): { body: string; signature: string } {
  const timestamp = String(fields.timestamp);
  const body = JSON.stringify({
    app_id: p.appId,
    user_id_by_app: `byapp-${fields.userId}`,
    event_name: 'user_send_text',
    timestamp,
    sender: { id: fields.userId },
    recipient: { id: 'bench-oa' },
    message: { msg_id: fields.msgId, text: fields.text },
  });
  const mac = createHash('sha256').update(p.appId + body + timestamp + p.oaSecretKey, 'utf8').digest('hex');
  return { body, signature: `mac=${mac}` };
}

/** The server's answer to `{type: 'stats'}`: since the previous one. */
export const statsMessageSchema = z.object({
  type: z.literal('stats'),
  loopDelayP99Ms: z.number(),
  loopDelayMaxMs: z.number(),
  gcMaxMs: z.number(),
  gcTotalMs: z.number(),
});
export type ServerStats = Omit<z.infer<typeof statsMessageSchema>, 'type'>;
