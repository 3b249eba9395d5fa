import { Validator, type Schema } from '@cfworker/json-schema';

/**
 * Checks real HTTP answers against an OpenAPI 3.1 document: the path and method are
 * declared, the status is one the operation lists, the content type is the declared one, and
 * a JSON body validates against the declared schema (draft 2020-12, unknown properties
 * refused where the document says so). Records which operations were exercised, so a test
 * can insist on all of them.
 */

interface Operation {
  responses: Record<string, { content?: Record<string, { schema?: unknown }>; $ref?: string }>;
}

export interface OpenApiDoc {
  servers?: { url: string }[];
  paths: Record<string, Record<string, Operation>>;
  components?: { responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> };
}

interface Entry {
  key: string;
  method: string;
  pattern: RegExp;
  op: Operation;
}

export class Conformance {
  private readonly entries: Entry[] = [];
  private readonly validators = new Map<unknown, Validator>();
  /** `METHOD /path` → statuses seen. */
  readonly exercised = new Map<string, Set<number>>();
  readonly problems: string[] = [];
  readonly base: string;

  constructor(readonly doc: OpenApiDoc) {
    this.base = (doc.servers?.[0]?.url ?? '').replace(/\/$/, '');
    for (const [path, methods] of Object.entries(doc.paths)) {
      const pattern = new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{\w+\\?\}|\{\w+\}/g, '[^/]+')}$`);
      for (const [method, op] of Object.entries(methods)) this.entries.push({ key: `${method.toUpperCase()} ${path}`, method: method.toUpperCase(), pattern, op });
    }
  }

  /** Every operation of the document, as `METHOD /path` (without the routes not yet declared with `defineRoute`, unless `all`). */
  operations(all = false): string[] {
    return this.entries.filter((e) => all || !(e.op as { 'x-undeclared-route'?: boolean })['x-undeclared-route']).map((e) => e.key);
  }

  /** Whether `pathname` (e.g. /api/admin/faqs/1) belongs to this document. */
  covers(pathname: string): boolean {
    return pathname.startsWith(this.base) && this.entries.some((e) => e.pattern.test(pathname.slice(this.base.length)));
  }

  /** Checks one answer; problems are collected in `problems` (and returned). */
  check(method: string, pathname: string, status: number, contentType: string, body: string | undefined): string[] {
    const found: string[] = [];
    const local = pathname.slice(this.base.length);
    // Literal paths win over templates (`/faqs/new` would match `/faqs/{id}` too).
    const candidates = this.entries.filter((e) => e.method === method && e.pattern.test(local));
    const entry = candidates.find((e) => !e.key.includes('{')) ?? candidates[0];
    const where = `${method} ${pathname} → ${status}`;
    if (!entry) {
      found.push(`${where}: not in the document`);
    } else {
      const seen = this.exercised.get(entry.key) ?? new Set<number>();
      seen.add(status);
      this.exercised.set(entry.key, seen);
      let response = entry.op.responses[String(status)];
      if (response?.$ref) response = this.doc.components?.responses?.[response.$ref.split('/').pop() as string] ?? {};
      if (!response) {
        found.push(`${where}: status not declared (declared: ${Object.keys(entry.op.responses).join(', ')}); body ${body?.slice(0, 300)}`);
      } else if (!response.content) {
        if (body) found.push(`${where}: declared without a body, got ${body.slice(0, 200)}`);
      } else {
        const type = Object.keys(response.content).find((t) => contentType.startsWith(t));
        if (!type) {
          found.push(`${where}: content type ${contentType}, declared ${Object.keys(response.content).join(', ')}`);
        } else if (type === 'application/json') {
          const schema = response.content[type].schema;
          let value: unknown;
          try {
            value = JSON.parse(body ?? '');
          } catch {
            found.push(`${where}: body is not JSON: ${body?.slice(0, 200)}`);
          }
          if (value !== undefined && schema) {
            const result = this.validator(schema).validate(value);
            if (!result.valid) {
              const errors = result.errors.filter((e) => e.keyword !== 'properties' && e.keyword !== 'items' && e.keyword !== 'anyOf' && e.keyword !== '$ref').slice(0, 5);
              found.push(`${where}: body does not match the schema: ${errors.map((e) => `${e.instanceLocation} ${e.error}`).join('; ')}; body ${body?.slice(0, 300)}`);
            }
          }
        }
      }
    }
    this.problems.push(...found);
    return found;
  }

  private validator(schema: unknown): Validator {
    let v = this.validators.get(schema);
    if (!v) {
      v = new Validator(schema as Schema, '2020-12', false);
      this.validators.set(schema, v);
    }
    return v;
  }
}

/**
 * Routes every `fetch` of the test through the documents' checks: each answer whose path one
 * of `docs` covers is checked (event streams by status and type only). Returns a function
 * that waits for the checks still reading bodies, and restores `fetch`.
 */
export function checkEveryFetch(docs: Conformance[]): { settle(): Promise<void>; restore(): void } {
  const original = globalThis.fetch;
  const pending: Promise<void>[] = [];
  globalThis.fetch = async (input, init) => {
    const res = await original(input, init);
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const doc = docs.find((d) => d.covers(url.pathname));
    if (!doc) {
      if (url.pathname.startsWith('/api/')) docs[0].problems.push(`${method} ${url.pathname}: no document describes it`);
      return res;
    }
    const type = res.headers.get('content-type') ?? '';
    if (type.startsWith('text/event-stream')) {
      doc.check(method, url.pathname, res.status, type, undefined);
      return res;
    }
    pending.push(
      res
        .clone()
        .text()
        .then((text) => void doc.check(method, url.pathname, res.status, type, text || undefined)),
    );
    return res;
  };
  return {
    settle: async () => {
      await Promise.all(pending.splice(0));
    },
    restore: () => {
      globalThis.fetch = original;
    },
  };
}
