import { z } from 'zod';
import type { AdminModule, OpenApiPaths } from './types.ts';
import type { Role } from '../domain/roles.ts';
import { CSRF_HEADER } from './auth/middleware.ts';
import { SECURE_SESSION_COOKIE, SESSION_COOKIE } from './auth/cookies.ts';

/**
 * The console API's OpenAPI 3.1 document, assembled from every module's `paths`. Paths are
 * relative to `/api/admin` (the document's server URL). Modules may write their paths by
 * hand or with `operation()` below, which turns zod schemas into JSON Schema.
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

/** The schema as JSON Schema (draft 2020-12, which OpenAPI 3.1 uses) without the `$schema` key. */
export function jsonSchema(schema: z.ZodType, io: 'input' | 'output' = 'output'): Record<string, unknown> {
  const out = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  delete out.$schema;
  return out;
}

export interface ResponseSpec {
  description: string;
  /** JSON body schema; omit for empty bodies (204). */
  schema?: z.ZodType;
  /** Default `application/json` when `schema` is given. */
  contentType?: string;
}

export interface OperationSpec {
  summary: string;
  description?: string;
  tags?: string[];
  /** Who may call it; 'public' for no session (login, this document). */
  roles: Role[] | 'public';
  /** Path parameters, e.g. `z.object({ id: z.string() })` for `/escalations/{id}`. */
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  responses: Record<number, ResponseSpec>;
  /** Set when a state-changing request needs no CSRF token (only login). */
  noCsrf?: boolean;
}

const STATE_CHANGING = new Set(['post', 'put', 'patch', 'delete']);

function parameters(where: 'path' | 'query', schema: z.ZodObject | undefined): Record<string, unknown>[] {
  if (!schema) return [];
  const json = jsonSchema(schema, 'input') as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    ...(typeof s.description === 'string' ? { description: s.description } : {}),
    schema: s,
  }));
}

/**
 * One OpenAPI operation object from zod schemas. Put it under its method:
 * `paths: { '/escalations/{id}': { get: operation({...}) } }`. The method is needed to
 * know whether the CSRF header is required, hence `method`.
 */
export function operation(method: 'get' | 'post' | 'put' | 'patch' | 'delete', spec: OperationSpec): Record<string, unknown> {
  const needsCsrf = STATE_CHANGING.has(method) && !spec.noCsrf;
  const security = spec.roles === 'public' ? [] : [needsCsrf ? { session: [], csrf: [] } : { session: [] }];
  const roleNote = spec.roles === 'public' ? 'Public.' : `Roles: ${spec.roles.join(', ')}.`;
  const responses: Record<string, unknown> = {};
  for (const [status, r] of Object.entries(spec.responses)) {
    responses[status] = {
      description: r.description,
      ...(r.schema ? { content: { [r.contentType ?? 'application/json']: { schema: jsonSchema(r.schema, 'output') } } } : {}),
    };
  }
  if (spec.roles !== 'public') {
    responses['401'] ??= { $ref: '#/components/responses/Unauthorized' };
    responses['403'] ??= { $ref: '#/components/responses/Forbidden' };
  }
  return {
    summary: spec.summary,
    description: [spec.description, roleNote].filter(Boolean).join('\n\n'),
    ...(spec.tags ? { tags: spec.tags } : {}),
    ...(spec.roles !== 'public' ? { 'x-roles': spec.roles } : {}),
    security,
    parameters: [...parameters('path', spec.params), ...parameters('query', spec.query)],
    ...(spec.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(spec.body, 'input') } } } } : {}),
    responses,
  };
}

/** `{ error, message }`, the shape of every error answer. */
export const errorSchema = z.object({
  error: z.string().describe('Machine-readable code, e.g. unauthorized, forbidden, csrf, not_found, claimed_by_other'),
  message: z.string().describe('Vietnamese text for the officer'),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

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
  const error = { 'application/json': { schema: jsonSchema(errorSchema) } };
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
      schemas: { Error: jsonSchema(errorSchema) },
      responses: {
        Unauthorized: { description: 'No valid session', content: error },
        Forbidden: { description: 'Wrong role, or missing/wrong CSRF token', content: error },
      },
    },
    tags: [...tags].sort().map((name) => ({ name })),
  };
}
