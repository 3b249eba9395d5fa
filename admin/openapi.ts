import type { z } from 'zod';
import { defineRoute, operationOf, type Method, type ResponseSpec } from '../http/define-route.ts';
import { errorComponents, errorResponse, jsonSchema, type OpenApiPaths } from '../http/openapi.ts';
import { guardErrors } from './route.ts';
import type { AdminModule } from './types.ts';
import type { Role } from '../domain/roles.ts';
import { CSRF_HEADER } from './auth/middleware.ts';
import { SECURE_SESSION_COOKIE, SESSION_COOKIE } from './auth/cookies.ts';

/**
 * The console API's OpenAPI 3.1 document, assembled from every module's `paths`, which
 * `routeModule` generates from the routes' declarations (`admin/route.ts`). Paths are
 * relative to `/api/admin` (the document's server URL).
 */

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  servers: { url: string }[];
  paths: OpenApiPaths;
  components: {
    securitySchemes: Record<string, Record<string, unknown>>;
    schemas: Record<string, unknown>;
    responses: Record<string, unknown>;
  };
  tags: { name: string }[];
}

export { errorSchema } from '../http/errors.ts';
export { jsonSchema } from '../http/openapi.ts';

/** @deprecated The old hand-written operation spec; declare routes with `adminRoute` instead. */
export interface OperationSpec {
  summary: string;
  description?: string;
  tags?: string[];
  roles: Role[] | 'public';
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  responses: Record<number, ResponseSpec>;
  noCsrf?: boolean;
}

/**
 * @deprecated Kept while routes move to `adminRoute`: the operation object of a route that is
 * not declared (its handler lives on a plain router). Error responses keep their schema.
 */
export function operation(method: Method, spec: OperationSpec): Record<string, unknown> {
  const errors = guardErrors(method, spec.roles, spec.noCsrf);
  const route = defineRoute({
    method,
    path: '/',
    summary: spec.summary,
    description: [spec.description, spec.roles === 'public' ? 'Public.' : `Roles: ${spec.roles.join(', ')}.`].filter(Boolean).join('\n\n'),
    tags: spec.tags,
    params: spec.params,
    query: spec.query,
    body: spec.body,
    responses: spec.responses,
    errors,
    security: spec.roles === 'public' ? [] : [STATE_CHANGING.has(method) && !spec.noCsrf ? { session: [], csrf: [] } : { session: [] }],
    // Marks it for the conformance test: its answers are checked, but it is not required to be called.
    extensions: { ...(spec.roles === 'public' ? {} : { 'x-roles': spec.roles }), 'x-undeclared-route': true },
    handler: async () => undefined,
  });
  const op = operationOf(route) as { responses: Record<string, unknown> };
  // Statuses the spec describes itself win over the implied ones.
  for (const [status, r] of Object.entries(spec.responses)) {
    op.responses[status] = { description: r.description, ...(r.schema ? { content: { [r.contentType ?? 'application/json']: { schema: jsonSchema(r.schema) } } } : {}) };
  }
  return op;
}

const STATE_CHANGING = new Set(['post', 'put', 'patch', 'delete']);

/** Merges modules' paths; two modules describing the same method on the same path is a bug. */
export function mergePaths(modules: Pick<AdminModule, 'paths'>[]): OpenApiPaths {
  const merged: OpenApiPaths = {};
  for (const { paths } of modules) {
    for (const [path, methods] of Object.entries(paths)) {
      const target = (merged[path] ??= {});
      for (const [method, op] of Object.entries(methods)) {
        if (method in target) throw new Error(`OpenAPI: ${method.toUpperCase()} ${path} is described by two console modules`);
        target[method] = op;
      }
    }
  }
  return merged;
}

/** The whole document, served at `GET /api/admin/openapi.json`. */
export function buildOpenApiDocument(modules: Pick<AdminModule, 'paths'>[], version = '0.1.0'): OpenApiDocument {
  const paths = mergePaths(modules);
  const tags = new Set<string>();
  for (const methods of Object.values(paths)) {
    for (const op of Object.values(methods)) {
      const opTags = (op as { tags?: unknown }).tags;
      if (Array.isArray(opTags)) for (const t of opTags) if (typeof t === 'string') tags.add(t);
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Loa console API',
      version,
      description:
        'The spokesperson console\'s JSON API. Sign in with `POST /login`; the session lives in the HTTP-only ' +
        `\`${SESSION_COOKIE}\` cookie (\`${SECURE_SESSION_COOKIE}\` over HTTPS), and every state-changing request must send the session's CSRF token ` +
        `(from \`POST /login\` or \`GET /session\`) in the \`${CSRF_HEADER}\` header.`,
    },
    servers: [{ url: '/api/admin' }],
    paths,
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'Set by POST /login.' },
        csrf: { type: 'apiKey', in: 'header', name: CSRF_HEADER, description: 'Required on POST, PUT, PATCH and DELETE.' },
      },
      schemas: errorComponents(paths),
      responses: {
        Unauthorized: { ...errorResponse([{ codes: ['unauthorized'] }]), description: 'No valid session' },
        Forbidden: { ...errorResponse([{ codes: ['forbidden', 'csrf', 'password_change_required', 'totp_enrolment_required'] }]), description: 'Wrong role, or missing/wrong CSRF token' },
      },
    },
    tags: [...tags].sort().map((name) => ({ name })),
  };
}
