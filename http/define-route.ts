import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import { z } from 'zod';
import { sendValidationFailed } from './errors.ts';
import { errorResponse, jsonSchema, mergeErrors, type ErrorSpecs, type OpenApiPaths } from './openapi.ts';

/**
 * A route declared once: method, path, schemas for params / query / body / responses, the
 * error codes it answers, its guards, OpenAPI text and the handler. `mountRoutes` puts it on
 * an Express router (validating input, answering 400 `validation_failed` otherwise);
 * `pathsOf` turns the same declarations into the OpenAPI document, so the two cannot drift.
 *
 * @example
 * const get = defineRoute({
 *   method: 'get', path: '/synonyms/{id}', summary: 'One synonym',
 *   params: z.object({ id: z.string() }),
 *   responses: { 200: { description: 'The entry', schema: synonymSchema } },
 *   errors: { 404: ['not_found'] },
 *   handler: async ({ params }) => ({ status: 200, body: await store.get(params.id) }),
 * });
 */

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface ResponseSpec {
  description: string;
  /** Body schema; omit for an empty body (204, redirects). */
  schema?: z.ZodType;
  /** Default `application/json`. Non-JSON bodies are written by the handler through `res`. */
  contentType?: string;
}

export type Responses = Record<number, ResponseSpec>;

type BodyOf<R> = R extends { schema: infer S extends z.ZodType } ? z.input<S> : undefined;

/** What a handler returns: one of the declared statuses with a body of its schema. */
export type Reply<Rs extends Responses> = {
  [S in keyof Rs & number]: { status: S; body: BodyOf<Rs[S]>; headers?: Record<string, string> };
}[keyof Rs & number];

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteContext<P, Q, B> {
  req: Request;
  res: Response;
  params: P;
  query: Q;
  body: B;
}

export interface RouteSpec<P extends z.ZodType | undefined, Q extends z.ZodType | undefined, B extends z.ZodType | undefined, Rs extends Responses> {
  method: Method;
  /** OpenAPI form, relative to the router's mount point: `/escalations/{id}`. */
  path: string;
  summary: string;
  description?: string;
  tags?: string[];
  params?: P;
  query?: Q;
  /** A JSON body (parsed here, up to `bodyLimit`). */
  body?: B;
  /** body-parser limit for `body`; default 100kb. */
  bodyLimit?: string;
  /** More OpenAPI parameters, e.g. a header the route reads. */
  parameters?: Record<string, unknown>[];
  /** A non-JSON request body, described as is (the handler or `before` reads it). */
  requestBody?: Record<string, unknown>;
  responses: Rs;
  /** Error codes by status (validation, malformed and too-large bodies are added from the schemas). */
  errors?: ErrorSpecs;
  /** Middleware run first (role checks, raw body parsers). */
  before?: RequestHandler[];
  /** OpenAPI `security`; default none. */
  security?: Record<string, string[]>[];
  /** Extra operation fields (`x-roles`, …). */
  extensions?: Record<string, unknown>;
  /**
   * Returns a declared status and body, or nothing when it wrote the answer itself (streams,
   * files, CSV). Throw `ApiError` for an error answer.
   */
  handler: (ctx: RouteContext<Out<P>, Out<Q>, Out<B>>) => Promise<Reply<NoInfer<Rs>> | void>;
}

/** A declared route with its types erased: what routers and the document are built from. */
export interface Route {
  readonly method: Method;
  readonly path: string;
  readonly spec: RouteSpec<z.ZodType | undefined, z.ZodType | undefined, z.ZodType | undefined, Responses>;
}

/** Declares a route (see the module comment). */
export function defineRoute<
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
  Rs extends Responses = Responses,
>(spec: RouteSpec<P, Q, B, Rs>): Route {
  return { method: spec.method, path: spec.path, spec: spec as unknown as Route['spec'] };
}

/** `/escalations/{id}` → `/escalations/:id`. */
export const expressPath = (path: string): string => path.replace(/\{(\w+)\}/g, ':$1');

function validator(route: Route): RequestHandler {
  const { params, query, body } = route.spec;
  return (req, res, next) => {
    const parsed: Record<string, unknown> = {};
    for (const [where, schema, value] of [
      ['params', params, req.params],
      ['query', query, req.query],
      ['body', body, req.body],
    ] as const) {
      if (!schema) continue;
      const result = schema.safeParse(value ?? {});
      if (!result.success) return sendValidationFailed(res, result.error);
      parsed[where] = result.data;
    }
    res.locals.route = parsed;
    next();
  };
}

function runner(route: Route): RequestHandler {
  return async (req, res) => {
    const input = res.locals.route as Record<string, unknown>;
    const reply = await route.spec.handler({ req, res, params: input.params, query: input.query, body: input.body });
    if (!reply || res.headersSent) return;
    if (reply.headers) res.set(reply.headers);
    res.status(reply.status);
    if (reply.body === undefined) res.end();
    else res.json(reply.body);
  };
}

/** The Express handlers of a route, in order: guards, JSON body parser, validation, handler. */
export function handlersOf(route: Route): RequestHandler[] {
  const { spec } = route;
  return [...(spec.before ?? []), ...(spec.body ? [express.json({ limit: spec.bodyLimit ?? '100kb' })] : []), validator(route), runner(route)];
}

/** Mounts routes on `router` (a new one by default). */
export function mountRoutes(routes: readonly Route[], router: Router = express.Router()): Router {
  for (const route of routes) router[route.method](expressPath(route.path), ...handlersOf(route));
  return router;
}

function parameters(where: 'path' | 'query', schema: z.ZodType | undefined): Record<string, unknown>[] {
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

/** The error codes of a route, including those its schemas imply. */
export function errorsOf(route: Route): ReturnType<typeof mergeErrors> {
  const { spec } = route;
  const implied: ErrorSpecs = {};
  if (spec.params || spec.query || spec.body) implied[400] = ['validation_failed'];
  if (spec.body) {
    implied[400] = ['malformed_json', 'validation_failed'];
    implied[413] = ['payload_too_large'];
  }
  return mergeErrors(implied, spec.errors, { 500: ['internal'] });
}

/** The OpenAPI operation object of a route. */
export function operationOf(route: Route): Record<string, unknown> {
  const { spec } = route;
  const responses: Record<string, unknown> = {};
  for (const [status, r] of Object.entries(spec.responses)) {
    responses[status] = {
      description: r.description,
      ...(r.schema ? { content: { [r.contentType ?? 'application/json']: { schema: jsonSchema(r.schema, 'output') } } } : {}),
    };
  }
  for (const [status, list] of Object.entries(errorsOf(route))) responses[status] = errorResponse(list);
  const requestBody = spec.body
    ? { required: true, content: { 'application/json': { schema: jsonSchema(spec.body, 'input') } } }
    : spec.requestBody;
  return {
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    ...(spec.tags ? { tags: spec.tags } : {}),
    ...(spec.extensions ?? {}),
    security: spec.security ?? [],
    parameters: [...parameters('path', spec.params), ...parameters('query', spec.query), ...(spec.parameters ?? [])],
    ...(requestBody ? { requestBody } : {}),
    responses,
  };
}

/** The OpenAPI paths of routes; two routes on one method and path is a bug. */
export function pathsOf(routes: readonly Route[]): OpenApiPaths {
  const paths: OpenApiPaths = {};
  for (const route of routes) {
    const methods = (paths[route.path] ??= {});
    if (route.method in methods) throw new Error(`OpenAPI: ${route.method.toUpperCase()} ${route.path} is declared twice`);
    methods[route.method] = operationOf(route);
  }
  return paths;
}
