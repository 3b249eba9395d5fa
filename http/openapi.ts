import { z } from 'zod';
import { COMMON_ERRORS, errorBodySchema } from './errors.ts';

/**
 * OpenAPI 3.1 pieces shared by every documented HTTP surface: zod → JSON Schema, and the
 * error responses (`{ error: { code, message } }`) with the codes each operation can answer.
 */

/** An OpenAPI 3.1 paths object (path → method → operation). */
export type OpenApiPaths = Record<string, Record<string, unknown>>;

/** The schema as JSON Schema (draft 2020-12, which OpenAPI 3.1 uses) without the `$schema` key. */
export function jsonSchema(schema: z.ZodType, io: 'input' | 'output' = 'output'): Record<string, unknown> {
  const out = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  delete out.$schema;
  return out;
}

/**
 * The error codes an operation answers at one status: plain codes, or codes whose `error`
 * object carries more fields (e.g. `{ codes: ['duplicate'], extra: { phrase: z.string() } }`).
 */
export type ErrorSpec = readonly string[] | { codes: readonly string[]; extra?: z.ZodRawShape; description?: string };

/** Status → the codes answered with it. */
export type ErrorSpecs = Record<number, ErrorSpec | readonly ErrorSpec[]>;

type ErrorGroup = { codes: readonly string[]; extra?: z.ZodRawShape; description?: string };

function groups(spec: string | ErrorSpec | readonly ErrorSpec[]): ErrorGroup[] {
  if (typeof spec === 'string') return [{ codes: [spec] }];
  if (Array.isArray(spec)) {
    const items = spec as readonly (string | ErrorSpec)[];
    const plain = items.filter((s): s is string => typeof s === 'string');
    return [...(plain.length ? [{ codes: plain }] : []), ...items.filter((s) => typeof s !== 'string').flatMap((s) => groups(s))];
  }
  return [spec as ErrorGroup];
}

/** Merges error specs (later ones add codes to a status). */
export function mergeErrors(...specs: (ErrorSpecs | undefined)[]): Record<number, ErrorGroup[]> {
  const out: Record<number, ErrorGroup[]> = {};
  for (const spec of specs) {
    for (const [status, s] of Object.entries(spec ?? {})) {
      const list = (out[Number(status)] ??= []);
      for (const g of groups(s)) {
        const plain = list.find((x) => !x.extra && !g.extra);
        if (plain) plain.codes = [...new Set([...plain.codes, ...g.codes])];
        else list.push({ ...g });
      }
    }
  }
  return out;
}

/** The zod schema of an error answer at one status: the envelope with `code` one of the listed codes. */
export function errorResponseSchema(list: { codes: readonly string[]; extra?: z.ZodRawShape }[]): z.ZodType {
  const envelopes = list.map((g) => {
    const body = errorBodySchema.extend({ code: z.enum(g.codes as [string, ...string[]]).describe('Machine-readable code') });
    return z.object({ error: g.extra ? body.extend(g.extra) : body });
  });
  return envelopes.length === 1 ? envelopes[0] : z.union(envelopes as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]]);
}

/** An OpenAPI response object for the errors at one status. */
export function errorResponse(list: ErrorGroup[]): Record<string, unknown> {
  const codes = list.flatMap((g) => g.codes);
  const described = list.map((g) => g.description).filter(Boolean);
  const common = codes.map((c) => (c in COMMON_ERRORS ? `\`${c}\` (${COMMON_ERRORS[c as keyof typeof COMMON_ERRORS].description})` : `\`${c}\``));
  return {
    description: [...described, `Error codes: ${common.join(', ')}`].join('. '),
    content: { 'application/json': { schema: jsonSchema(errorResponseSchema(list)) } },
  };
}

/** Every error code the paths answer with, sorted: for the document's `ErrorCode` schema. */
export function errorCodesOf(paths: OpenApiPaths): string[] {
  const codes = new Set<string>(Object.keys(COMMON_ERRORS));
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    const code = (o.properties as Record<string, { enum?: unknown[] }> | undefined)?.code;
    if (o.type === 'object' && code && Array.isArray(code.enum)) for (const c of code.enum) if (typeof c === 'string') codes.add(c);
    Object.values(o).forEach(visit);
  };
  for (const methods of Object.values(paths)) for (const op of Object.values(methods)) visit((op as { responses?: unknown }).responses);
  return [...codes].sort();
}

/** `components.schemas` entries for the error vocabulary: `Error` and `ErrorCode`. */
export function errorComponents(paths: OpenApiPaths): Record<string, unknown> {
  const common = Object.entries(COMMON_ERRORS)
    .map(([code, e]) => `- \`${code}\` (${e.status}): ${e.description}`)
    .join('\n');
  return {
    Error: jsonSchema(z.object({ error: errorBodySchema })),
    ErrorCode: {
      type: 'string',
      enum: errorCodesOf(paths),
      description: `Every \`error.code\` this API answers with. The common ones:\n${common}\n\nThe others are specific to the operations that list them.`,
    },
  };
}

/** A whole OpenAPI 3.1 document for `paths` (the public API's; the console builds its own with security schemes). */
export function buildDocument(opts: { title: string; description: string; version: string; serverUrl: string; paths: OpenApiPaths }): Record<string, unknown> {
  const tags = new Set<string>();
  for (const methods of Object.values(opts.paths)) {
    for (const op of Object.values(methods)) for (const t of ((op as { tags?: string[] }).tags ?? [])) tags.add(t);
  }
  return {
    openapi: '3.1.0',
    info: { title: opts.title, version: opts.version, description: opts.description },
    servers: [{ url: opts.serverUrl }],
    paths: opts.paths,
    components: { schemas: errorComponents(opts.paths) },
    tags: [...tags].sort().map((name) => ({ name })),
  };
}
