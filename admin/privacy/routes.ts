import express, { type Response } from 'express';
import { z } from 'zod';
import { CHANNELS } from '../../domain/channel.ts';
import { ERASED_USER_ID, type CitizenRef } from '../../storage/privacy-store.ts';
import { requireRole } from '../auth/middleware.ts';
import { parseOr400, sendError } from '../http.ts';
import { errorSchema, operation } from '../openapi.ts';
import { currentUser, type AdminDeps, type AdminModule } from '../types.ts';
import { forgetCitizen, previewCitizen } from './forget-citizen.ts';

/** A citizen, by channel and channel user id, or by one of their escalations (the console's link). */
const citizenSchema = z
  .object({
    channel: z.enum(CHANNELS).optional().describe('With userId'),
    userId: z.string().trim().min(1).max(256).optional().describe("The channel's user id (web chat: the session id)"),
    escalationId: z.string().trim().min(1).max(64).optional().describe('Instead of channel and userId: the citizen who asked this escalation'),
  })
  .strict()
  .refine((b) => (b.escalationId !== undefined) !== (b.channel !== undefined && b.userId !== undefined), 'give either channel and userId, or escalationId');
const forgetSchema = z
  .object({
    channel: z.enum(CHANNELS).optional(),
    userId: z.string().trim().min(1).max(256).optional(),
    escalationId: z.string().trim().min(1).max(64).optional(),
    confirm: z.literal(true).describe('Must be true: erasure cannot be undone'),
  })
  .strict()
  .refine((b) => (b.escalationId !== undefined) !== (b.channel !== undefined && b.userId !== undefined), 'give either channel and userId, or escalationId');

const countsSchema = z.object({
  turns: z.number().int(),
  feedback: z.number().int(),
  inbox: z.number().int(),
  outbox: z.number().int(),
  escalations: z.number().int(),
  webchatMessages: z.number().int(),
  examples: z.number().int(),
  faqDrafts: z.number().int(),
});
const previewSchema = z.object({ pseudonym: z.string(), counts: countsSchema, total: z.number().int() });
const forgetResultSchema = z.object({ pseudonym: z.string(), counts: countsSchema, flaggedFaqIds: z.array(z.string()) });

/**
 * Citizens' data on request (Decree 13/2023/NĐ-CP), administrators only:
 * `POST /citizens/preview` counts what a citizen has, `POST /citizens/forget` erases it. POST
 * for both, so a channel user id never sits in a URL (access logs, browser history).
 */
export function privacyModule(deps: AdminDeps): AdminModule {
  const { privacy, secrets, escalations } = deps.runtime.storage;
  const router = express.Router();
  const json = express.json({ limit: '4kb' });
  const admin = requireRole('admin');

  /** The citizen the body names, or undefined after answering 404. */
  const resolve = async (body: { channel?: CitizenRef['channel']; userId?: string; escalationId?: string }, res: Response): Promise<CitizenRef | undefined> => {
    if (body.channel && body.userId) return { channel: body.channel, userId: body.userId };
    const escalation = await escalations.get(body.escalationId as string);
    if (!escalation || escalation.recipient.userId === ERASED_USER_ID) {
      sendError(res, 404, 'not_found', 'Không tìm thấy yêu cầu hỗ trợ này, hoặc dữ liệu của người dân đã được xoá.');
      return undefined;
    }
    return { channel: escalation.channel, userId: escalation.recipient.userId };
  };

  router.post('/citizens/preview', admin, json, async (req, res) => {
    const body = parseOr400(citizenSchema, req.body, res);
    const citizen = body && (await resolve(body, res));
    if (!citizen) return;
    res.json(await previewCitizen({ privacy, secrets }, citizen));
  });

  router.post('/citizens/forget', admin, json, async (req, res) => {
    const body = parseOr400(forgetSchema, req.body, res);
    const citizen = body && (await resolve(body, res));
    if (!citizen) return;
    const { pseudonym, flaggedFaqIds, ...counts } = await forgetCitizen({ privacy, secrets, audit: deps.audit }, citizen, currentUser(res).email, new Date());
    res.json({ pseudonym, counts, flaggedFaqIds });
  });

  const tags = ['privacy'];
  const roles: ['admin'] = ['admin'];
  return {
    router,
    paths: {
      '/citizens/preview': {
        post: operation('post', {
          summary: "What a citizen's data comes to, before erasing it",
          description: 'Counts per kind; the citizen is named by a keyed pseudonym (the same as in the report CSV).',
          tags,
          roles,
          body: citizenSchema,
          responses: { 200: { description: 'Counts', schema: previewSchema }, 400: { description: 'Malformed body', schema: errorSchema }, 404: { description: 'Unknown escalation', schema: errorSchema } },
        }),
      },
      '/citizens/forget': {
        post: operation('post', {
          summary: "Erase a citizen's data (Decree 13/2023/NĐ-CP)",
          description:
            'In one transaction: turns and escalations are anonymised (texts, name and channel id erased; counts, outcomes and times kept for reports), handled inbox events, finished deliveries, the web chat session and transcript and labelled examples deleted, open escalations closed, FAQ drafts made from their questions flagged for review. Audited as `citizen.forget` with the pseudonym and counts only.',
          tags,
          roles,
          body: forgetSchema,
          responses: { 200: { description: 'Erased', schema: forgetResultSchema }, 400: { description: 'Malformed body or confirm missing', schema: errorSchema }, 404: { description: 'Unknown escalation', schema: errorSchema } },
        }),
      },
    },
  };
}
