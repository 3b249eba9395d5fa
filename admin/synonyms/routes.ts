import { z } from 'zod';
import { LEXICON } from '../../retrieval/index.ts';
import type { SynonymChange } from '../ports.ts';
import { ApiError } from '../../http/errors.ts';
import { ANY_ROLE, adminRoute, routeModule } from '../route.ts';
import { currentUser, type AdminDeps, type AdminModule } from '../types.ts';
import { synonymIdParams, synonymInputSchema, synonymListSchema, synonymSchema } from './schemas.ts';

const NOT_FOUND = 'Không tìm thấy từ đồng nghĩa này.';

function refusal(change: Exclude<SynonymChange, { ok: true }>): ApiError {
  if (change.reason === 'not_found') return new ApiError(404, 'not_found', NOT_FOUND);
  return new ApiError(409, 'duplicate', `Cụm từ “${change.phrase}” đã có trong một mục khác.`, { phrase: change.phrase, otherId: change.otherId });
}

/**
 * The agency's synonyms (everyday → legal wording): `GET /synonyms` (every role), `POST`,
 * `PATCH /synonyms/{id}`, `DELETE /synonyms/{id}` (admin, spokesperson), each change
 * audited. A change is live before the answer returns: the runtime swaps the retriever's
 * lexicon (other instances follow on their next knowledge refresh).
 */
export function synonymModule(deps: AdminDeps): AdminModule {
  const { synonyms } = deps.runtime.storage;
  const editors = ['admin', 'spokesperson'] as const;
  const apply = () => deps.runtime.refreshKnowledge();
  const tags = ['synonyms'];
  const one = z.object({ synonym: synonymSchema });
  const duplicate = {
    codes: ['duplicate'],
    description: 'An everyday phrase belongs to another entry (`phrase` and `otherId` name it)',
    extra: { phrase: z.string(), otherId: z.string() },
  };
  const bodyLimit = '16kb';

  return routeModule([
    adminRoute({
      method: 'get',
      path: '/synonyms',
      summary: "The agency's synonyms",
      description: 'Everyday → legal wording added to the built-in lexicon when questions are read.',
      tags,
      roles: ANY_ROLE,
      responses: { 200: { description: 'Entries', schema: synonymListSchema } },
      handler: async () => {
        const items = await synonyms.list();
        return { status: 200, body: { items, total: items.length, builtIn: LEXICON.length } };
      },
    }),
    adminRoute({
      method: 'post',
      path: '/synonyms',
      summary: 'Add a synonym',
      description:
        'Phrases are stored NFC and lower case. Live for the next question, without a restart; audited as synonym.create. Invalid phrases (empty, too long, more than 6 syllables, repeated, or on both sides) are `validation_failed`.',
      tags,
      roles: editors,
      body: synonymInputSchema,
      bodyLimit,
      responses: { 201: { description: 'The entry', schema: one } },
      errors: { 409: duplicate },
      handler: async ({ body, res }) => {
        const me = currentUser(res);
        const change = await synonyms.create(body, me.email, new Date());
        if (!change.ok) throw refusal(change);
        await deps.audit.record({ actor: me.email, action: 'synonym.create', target: `synonym:${change.synonym.id}`, details: { everyday: body.everyday, legal: body.legal } });
        await apply();
        return { status: 201, body: { synonym: change.synonym } };
      },
    }),
    adminRoute({
      method: 'patch',
      path: '/synonyms/{id}',
      summary: 'Replace a synonym’s phrases and note',
      description: 'Audited as synonym.update (with the phrases before).',
      tags,
      roles: editors,
      params: synonymIdParams,
      body: synonymInputSchema,
      bodyLimit,
      responses: { 200: { description: 'The entry', schema: one } },
      errors: { 404: ['not_found'], 409: duplicate },
      handler: async ({ params, body, res }) => {
        const me = currentUser(res);
        const before = await synonyms.get(params.id);
        const change = await synonyms.update(params.id, body, me.email, new Date());
        if (!change.ok) throw refusal(change);
        await deps.audit.record({
          actor: me.email,
          action: 'synonym.update',
          target: `synonym:${change.synonym.id}`,
          details: { everyday: body.everyday, legal: body.legal, before: before && { everyday: before.everyday, legal: before.legal } },
        });
        await apply();
        return { status: 200, body: { synonym: change.synonym } };
      },
    }),
    adminRoute({
      method: 'delete',
      path: '/synonyms/{id}',
      summary: 'Remove a synonym',
      description: 'Questions stop using it at once; audited as synonym.delete.',
      tags,
      roles: editors,
      params: synonymIdParams,
      responses: { 204: { description: 'Removed' } },
      errors: { 404: ['not_found'] },
      handler: async ({ params, res }) => {
        const me = currentUser(res);
        const removed = await synonyms.remove(params.id);
        if (!removed) throw new ApiError(404, 'not_found', NOT_FOUND);
        await deps.audit.record({ actor: me.email, action: 'synonym.delete', target: `synonym:${removed.id}`, details: { everyday: removed.everyday, legal: removed.legal } });
        await apply();
        return { status: 204, body: undefined };
      },
    }),
  ]);
}
