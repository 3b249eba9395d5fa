import { z } from 'zod';
import type { AdminModule } from '../types.ts';
import type { AuditStore } from '../ports.ts';
import { adminRoute, routeModule } from '../route.ts';

const querySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
  actor: z.string().trim().min(1).max(254).optional().describe('Exact staff email, or system / cli'),
  action: z.string().trim().min(1).max(100).optional().describe("Exact action, or a prefix such as 'escalation' for escalation.*"),
  target: z.string().trim().min(1).max(300).optional().describe("Exact target, e.g. 'escalation:<id>'"),
});

const entrySchema = z.object({
  id: z.number().int(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  target: z.string().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});

/** `GET /audit` (administrators): the append-only audit trail, newest first. */
export function auditModule(store: AuditStore): AdminModule {
  return routeModule([
    adminRoute({
      method: 'get',
      path: '/audit',
      summary: 'Read the audit trail',
      tags: ['audit'],
      roles: ['admin'],
      query: querySchema,
      responses: { 200: { description: 'Entries, newest first', schema: z.object({ items: z.array(entrySchema), total: z.number().int() }) } },
      handler: async ({ query }) => ({ status: 200, body: await store.list(query) }),
    }),
  ]);
}
