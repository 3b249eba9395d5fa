import express from 'express';
import { z } from 'zod';
import { parseOr400 } from '../http.ts';
import { operation } from '../openapi.ts';
import type { AdminModule } from '../types.ts';
import type { AuditStore } from '../ports.ts';
import { requireRole } from '../auth/middleware.ts';

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
  const router = express.Router();
  router.get('/audit', requireRole('admin'), async (req, res) => {
    const query = parseOr400(querySchema, req.query, res);
    if (!query) return;
    res.json(await store.list(query));
  });
  return {
    router,
    paths: {
      '/audit': {
        get: operation('get', {
          summary: 'Read the audit trail',
          tags: ['audit'],
          roles: ['admin'],
          query: querySchema,
          responses: { 200: { description: 'Entries, newest first', schema: z.object({ items: z.array(entrySchema), total: z.number().int() }) } },
        }),
      },
    },
  };
}
