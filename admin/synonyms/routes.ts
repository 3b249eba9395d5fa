import express, { type Response } from 'express';
import { z } from 'zod';
import { LEXICON } from '../../retrieval/index.ts';
import type { SynonymChange } from '../ports.ts';
import { ANY_ROLE, requireRole } from '../auth/middleware.ts';
import { parseOr400, sendError } from '../http.ts';
import { errorSchema, operation } from '../openapi.ts';
import { currentUser, type AdminDeps, type AdminModule } from '../types.ts';
import { synonymIdParams, synonymInputSchema, synonymListSchema, synonymSchema } from './schemas.ts';

const NOT_FOUND = 'Không tìm thấy từ đồng nghĩa này.';

function refuse(res: Response, change: Exclude<SynonymChange, { ok: true }>): void {
  if (change.reason === 'not_found') return sendError(res, 404, 'not_found', NOT_FOUND);
  res.status(409).json({ error: 'duplicate', message: `Cụm từ “${change.phrase}” đã có trong một mục khác.`, phrase: change.phrase, otherId: change.otherId });
}

/**
 * The agency's synonyms (everyday → legal wording): `GET /synonyms` (every role), `POST`,
 * `PATCH /synonyms/{id}`, `DELETE /synonyms/{id}` (admin, spokesperson), each change
 * audited. A change is live before the answer returns: the runtime swaps the retriever's
 * lexicon (other instances follow on their next knowledge refresh).
 */
export function synonymModule(deps: AdminDeps): AdminModule {
  const { synonyms } = deps.runtime.storage;
  const router = express.Router();
  const json = express.json({ limit: '16kb' });
  const editors = requireRole('admin', 'spokesperson');
  const apply = () => deps.runtime.refreshKnowledge();

  router.get('/synonyms', requireRole(...ANY_ROLE), async (_req, res) => {
    const items = await synonyms.list();
    res.json({ items, total: items.length, builtIn: LEXICON.length });
  });

  router.post('/synonyms', editors, json, async (req, res) => {
    const body = parseOr400(synonymInputSchema, req.body, res);
    if (!body) return;
    const me = currentUser(res);
    const change = await synonyms.create(body, me.email, new Date());
    if (!change.ok) return refuse(res, change);
    await deps.audit.record({ actor: me.email, action: 'synonym.create', target: `synonym:${change.synonym.id}`, details: { everyday: body.everyday, legal: body.legal } });
    await apply();
    res.status(201).json({ synonym: change.synonym });
  });

  router.patch('/synonyms/:id', editors, json, async (req, res) => {
    const params = parseOr400(synonymIdParams, req.params, res);
    const body = params && parseOr400(synonymInputSchema, req.body, res);
    if (!params || !body) return;
    const me = currentUser(res);
    const before = await synonyms.get(params.id);
    const change = await synonyms.update(params.id, body, me.email, new Date());
    if (!change.ok) return refuse(res, change);
    await deps.audit.record({
      actor: me.email,
      action: 'synonym.update',
      target: `synonym:${change.synonym.id}`,
      details: { everyday: body.everyday, legal: body.legal, before: before && { everyday: before.everyday, legal: before.legal } },
    });
    await apply();
    res.json({ synonym: change.synonym });
  });

  router.delete('/synonyms/:id', editors, async (req, res) => {
    const params = parseOr400(synonymIdParams, req.params, res);
    if (!params) return;
    const me = currentUser(res);
    const removed = await synonyms.remove(params.id);
    if (!removed) return sendError(res, 404, 'not_found', NOT_FOUND);
    await deps.audit.record({ actor: me.email, action: 'synonym.delete', target: `synonym:${removed.id}`, details: { everyday: removed.everyday, legal: removed.legal } });
    await apply();
    res.status(204).end();
  });

  const tags = ['synonyms'];
  const one = z.object({ synonym: synonymSchema });
  const invalid = { description: 'Invalid phrases (empty, too long, more than 6 syllables, repeated, or on both sides)', schema: errorSchema };
  const duplicate = {
    description: 'An everyday phrase belongs to another entry (duplicate; `phrase` and `otherId` name it)',
    schema: errorSchema.extend({ phrase: z.string(), otherId: z.string() }),
  };
  const notFound = { description: 'No such entry', schema: errorSchema };
  return {
    router,
    paths: {
      '/synonyms': {
        get: operation('get', {
          summary: "The agency's synonyms",
          description: 'Everyday → legal wording added to the built-in lexicon when questions are read.',
          tags,
          roles: ANY_ROLE,
          responses: { 200: { description: 'Entries', schema: synonymListSchema } },
        }),
        post: operation('post', {
          summary: 'Add a synonym',
          description: 'Phrases are stored NFC and lower case. Live for the next question, without a restart; audited as synonym.create.',
          tags,
          roles: ['admin', 'spokesperson'],
          body: synonymInputSchema,
          responses: { 201: { description: 'The entry', schema: one }, 400: invalid, 409: duplicate },
        }),
      },
      '/synonyms/{id}': {
        patch: operation('patch', {
          summary: 'Replace a synonym’s phrases and note',
          description: 'Audited as synonym.update (with the phrases before).',
          tags,
          roles: ['admin', 'spokesperson'],
          params: synonymIdParams,
          body: synonymInputSchema,
          responses: { 200: { description: 'The entry', schema: one }, 400: invalid, 404: notFound, 409: duplicate },
        }),
        delete: operation('delete', {
          summary: 'Remove a synonym',
          description: 'Questions stop using it at once; audited as synonym.delete.',
          tags,
          roles: ['admin', 'spokesperson'],
          params: synonymIdParams,
          responses: { 204: { description: 'Removed' }, 404: notFound },
        }),
      },
    },
  };
}
