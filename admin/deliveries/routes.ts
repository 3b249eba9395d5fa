import { z } from 'zod';
import type { ConversationCore } from '../../bots/core/conversation-core.ts';
import type { OutboxItem, OutboxStore } from '../../bots/core/ports.ts';
import { CHANNELS } from '../../domain/channel.ts';
import { adminRoute, routeModule } from '../route.ts';
import { currentUser, type AdminModule, type AuditLog } from '../types.ts';

const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  beforeId: z.coerce.number().int().positive().optional().describe('Page on: dead letters older than this outbox id'),
});

const resendBody = z.object({
  ids: z.array(z.number().int().positive()).min(1).max(500).describe('Outbox ids of dead letters to send again'),
});

const STATUSES = ['pending', 'sending', 'sent', 'failed', 'unknown'] as const;

const deadLetterSchema = z.object({
  id: z.number().int(),
  channel: z.enum(CHANNELS),
  userId: z.string(),
  kind: z.string(),
  text: z.string().describe('The message, cut to 300 characters'),
  status: z.enum(['failed', 'unknown']).describe('failed: will not be retried by itself; unknown: may have reached the citizen'),
  reason: z.string().optional().describe('Why it stopped (the last error)'),
  attempts: z.number().int(),
  unknownOutcomes: z.number().int().describe('Attempts whose outcome was unknown (sent, answer lost)'),
  escalationId: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const listSchema = z.object({
  items: z.array(deadLetterSchema),
  counts: z.object(Object.fromEntries(STATUSES.map((s) => [s, z.number().int()])) as Record<(typeof STATUSES)[number], z.ZodNumber>),
  nextBeforeId: z.number().int().optional(),
});

function view(item: OutboxItem): z.infer<typeof deadLetterSchema> {
  return {
    id: item.id,
    channel: item.channel,
    userId: item.recipient.userId,
    kind: item.message.kind,
    text: item.message.text.length > 300 ? `${item.message.text.slice(0, 299)}…` : item.message.text,
    status: item.status === 'unknown' ? 'unknown' : 'failed',
    ...(item.lastError ? { reason: item.lastError } : {}),
    attempts: item.attempts,
    unknownOutcomes: item.unknownOutcomes,
    ...(item.escalationId ? { escalationId: item.escalationId } : {}),
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
  };
}

export interface DeliveriesModuleDeps {
  outbox: OutboxStore;
  core: Pick<ConversationCore, 'sweepNow'>;
  audit: AuditLog;
  clock: () => Date;
}

/**
 * `GET /deliveries/dead-letters` and `POST /deliveries/resend` (administrators): messages
 * Loa could not deliver (a permanent refusal, the channel's window closed, or an outcome
 * it could not know), with the reason, and a bulk resend (audited).
 */
export function deliveriesModule(deps: DeliveriesModuleDeps): AdminModule {
  return routeModule([
    adminRoute({
      method: 'get',
      path: '/deliveries/dead-letters',
      summary: 'List dead letters: messages that could not be delivered',
      description: 'Newest first, with the reason. `unknown`: the send timed out after it went out, so the citizen may have it.',
      tags: ['deliveries'],
      roles: ['admin'],
      query: listQuery,
      responses: { 200: { description: 'A page of dead letters and the outbox counts per status', schema: listSchema } },
      handler: async ({ query }) => {
        const items = await deps.outbox.deadLetters({ limit: query.limit, beforeId: query.beforeId });
        const counts = await deps.outbox.countByStatus();
        return { status: 200, body: { items: items.map(view), counts, ...(items.length === query.limit ? { nextBeforeId: items[items.length - 1].id } : {}) } };
      },
    }),
    adminRoute({
      method: 'post',
      path: '/deliveries/resend',
      summary: 'Send dead letters again',
      description: 'Puts the given dead letters back in line; the channel window counts again from now. Other ids are skipped. Audited as `delivery.resend`.',
      tags: ['deliveries'],
      roles: ['admin'],
      body: resendBody,
      bodyLimit: '64kb',
      responses: {
        200: { description: 'What was put back in line', schema: z.object({ resent: z.array(z.number().int()), skipped: z.array(z.number().int()) }) },
      },
      handler: async ({ body, res }) => {
        const ids = [...new Set(body.ids)];
        const resent = await deps.outbox.resend(ids, deps.clock());
        await deps.audit.record({
          actor: currentUser(res).email,
          action: 'delivery.resend',
          target: resent.length === 1 ? `outbox:${resent[0]}` : 'outbox',
          details: { requested: ids.length, resent },
        });
        // Sent by the next sweep of whichever instance; this one starts now.
        void deps.core.sweepNow();
        return { status: 200, body: { resent, skipped: ids.filter((id) => !resent.includes(id)) } };
      },
    }),
  ]);
}
