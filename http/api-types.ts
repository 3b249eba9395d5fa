/**
 * TypeScript declarations from OpenAPI documents (generated from the route declarations), for
 * the console's JSDoc: `import('./api-types').ApiResponse<'GET /faqs'>` is what the server
 * answers, `ApiBody<'POST /faqs'>` what it takes. Written to `admin/public/api-types.d.ts`
 * by `LOA_UPDATE_API_TYPES=1 npx vitest run test/http/api-types.test.ts`, which fails when
 * the file is stale.
 */

type Json = Record<string, unknown>;

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** The TypeScript type of a JSON Schema (the subset zod's `toJSONSchema` writes). */
export function tsType(schema: unknown, indent = ''): string {
  if (schema === true || schema === undefined) return 'unknown';
  if (schema === false) return 'never';
  const s = schema as Json;
  if (Array.isArray(s.anyOf) || Array.isArray(s.oneOf)) return union(((s.anyOf ?? s.oneOf) as unknown[]).map((x) => tsType(x, indent)));
  if (Array.isArray(s.allOf)) return (s.allOf as unknown[]).map((x) => tsType(x, indent)).join(' & ');
  if ('const' in s) return JSON.stringify(s.const);
  if (Array.isArray(s.enum)) return union(s.enum.map((v) => JSON.stringify(v)));
  if (Array.isArray(s.type)) return union(s.type.map((type) => tsType({ ...s, type }, indent)));
  switch (s.type) {
    case 'string':
      return 'string';
    case 'number':
    case 'integer':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'array':
      if (Array.isArray(s.prefixItems)) return `[${(s.prefixItems as unknown[]).map((x) => tsType(x, indent)).join(', ')}]`;
      return `Array<${tsType(s.items, indent)}>`;
    case 'object': {
      const props = (s.properties ?? {}) as Record<string, unknown>;
      const required = new Set((s.required ?? []) as string[]);
      const inner = `${indent}  `;
      const lines = Object.entries(props).map(([k, v]) => {
        const doc = (v as Json)?.description;
        const comment = typeof doc === 'string' ? `${inner}/** ${doc.replace(/\*\//g, '*\\/').replace(/\n/g, ' ')} */\n` : '';
        return `${comment}${inner}${IDENT.test(k) ? k : JSON.stringify(k)}${required.has(k) ? '' : '?'}: ${tsType(v, inner)};`;
      });
      const extra = s.additionalProperties;
      if (extra !== undefined && extra !== false) lines.push(`${inner}[key: string]: ${tsType(extra, inner)};`);
      else if (extra === undefined && s.propertyNames) lines.push(`${inner}[key: string]: unknown;`);
      return lines.length ? `{\n${lines.join('\n')}\n${indent}}` : extra === false ? 'Record<string, never>' : 'Record<string, unknown>';
    }
    default:
      return 'unknown';
  }
}

function union(types: string[]): string {
  const unique = [...new Set(types)];
  return unique.length === 1 ? unique[0] : unique.map((t) => (t.includes('\n') ? t : t)).join(' | ');
}

/** One arm of \`Matches\`: the operation's response when \`M\` and \`P\` fit its method and path template. */
function matcher(method: string, path: string, key: string, literals: string[]): string {
  const names: string[] = [];
  const template = path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    names.push(name);
    return `\${infer ${name[0].toUpperCase()}${name.slice(1)}${names.length} extends string}`;
  });
  const inferred = [...path.matchAll(/\{(\w+)\}/g)].map((m, i) => `${m[1][0].toUpperCase()}${m[1].slice(1)}${i + 1}`);
  const segments = inferred.map((n) => `[Segment<${n}>] extends [never] ? never : `).join('');
  const pattern = names.length ? `\`${template}\`` : JSON.stringify(path);
  // A literal path of the same method wins over a template it fits (`/documents/index-status` is not `/documents/{id}`).
  const exact = names.length && literals.length ? `P extends ${literals.map((l) => JSON.stringify(l)).join(' | ')} ? never : ` : '';
  return `  | (M extends ${JSON.stringify(method)} ? (${exact}P extends ${pattern} ? ${segments}ApiResponses[${key}] : never) : never)`;
}

interface Doc {
  servers?: { url: string }[];
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema?: unknown }> }>; requestBody?: { content?: Record<string, { schema?: unknown }> } }>>;
}

/** The declarations file for `docs` (keys `METHOD /path`, paths as the console calls them: relative to each document's server). */
export function apiTypes(docs: Doc[]): string {
  const responses: string[] = [];
  const bodies: string[] = [];
  const matchers: string[] = [];
  const errors = new Set<string>();
  for (const doc of docs) {
    const base = (doc.servers?.[0]?.url ?? '').replace(/\/$/, '');
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const key = JSON.stringify(`${method.toUpperCase()} ${base === '/api/admin' ? '' : base}${path}`);
        const ok = Object.entries(op.responses).filter(([status]) => Number(status) < 300);
        const types = ok.map(([, r]) => {
          const json = r.content?.['application/json'];
          if (json) return tsType(json.schema, '  ');
          return r.content ? 'string' : 'null';
        });
        responses.push(`  ${key}: ${types.length ? union(types) : 'unknown'};`);
        const prefix = base === '/api/admin' ? '' : base;
        const literals = Object.entries(doc.paths)
          .filter(([p, ms]) => !p.includes('{') && method in ms)
          .map(([p]) => `${prefix}${p}`);
        matchers.push(matcher(method.toUpperCase(), `${prefix}${path}`, key, literals));
        const body = op.requestBody?.content?.['application/json'];
        if (body) bodies.push(`  ${key}: ${tsType(body.schema, '  ')};`);
        for (const [status, r] of Object.entries(op.responses)) {
          if (Number(status) < 400) continue;
          const code = ((r.content?.['application/json']?.schema as Json | undefined)?.properties as Json | undefined)?.error as Json | undefined;
          const codes = ((code?.properties as Json | undefined)?.code as Json | undefined)?.enum;
          if (Array.isArray(codes)) for (const c of codes) errors.add(String(c));
          const anyOf = (r.content?.['application/json']?.schema as Json | undefined)?.anyOf;
          if (Array.isArray(anyOf)) {
            for (const a of anyOf) {
              const e = (((a as Json).properties as Json).error as Json).properties as Json;
              for (const c of ((e.code as Json).enum as string[]) ?? []) errors.add(c);
            }
          }
        }
      }
    }
  }
  return `// Generated from the OpenAPI documents (the route declarations) by http/api-types.ts: do not edit.
// Regenerate: LOA_UPDATE_API_TYPES=1 npx vitest run test/http/api-types.test.ts

/** Every error code the APIs answer with. */
export type ApiErrorCode =
${[...errors].sort().map((c) => `  | ${JSON.stringify(c)}`).join('\n')};

/** The \`error\` of \`{ error: { code, message } }\`; some refusals carry more fields. */
export interface ApiErrorBody {
  code: ApiErrorCode;
  message: string;
  issues?: Array<{ path: string; message: string }>;
  [detail: string]: unknown;
}

/** What each operation answers on success (console paths relative to /api/admin). */
export interface ApiResponses {
${responses.join('\n')}
}

/** The JSON body each operation takes. */
export interface ApiBodies {
${bodies.join('\n')}
}

/** A path segment: no '/'. */
type Segment<S extends string> = S extends \`\${string}/\${string}\` ? never : S;

type Matches<M extends string, P extends string> =
${matchers.join('\n')};

/**
 * What \`api.get('/faqs/' + id)\` answers: the response of the operation whose path
 * template the called path fits (\`unknown\` when none does: a call to a route that does not exist;
 * \`any\` for a path only known at run time, one that does not start with a literal \`/\`).
 */
export type ApiResult<M extends string, P extends string> = P extends \`/\${string}\` ? ([Matches<M, P>] extends [never] ? unknown : Matches<M, P>) : any;

export type ApiOperation = keyof ApiResponses;
export type ApiResponse<K extends ApiOperation> = ApiResponses[K];
export type ApiBody<K extends keyof ApiBodies> = ApiBodies[K];
`;
}
