/**
 * Embeddings from any OpenAI-compatible `/v1/embeddings` endpoint (OpenAI, Ollama, vLLM,
 * LocalAI …), as a LangChain `Embeddings`. Only used when the operator configures it.
 */
import { Embeddings } from '@langchain/core/embeddings';
import { z } from 'zod';

const responseSchema = z.object({
  data: z.array(z.object({ embedding: z.array(z.number()), index: z.number().int().nonnegative().optional() })),
});

export interface OpenAIEmbeddingsOptions {
  /** Base URL, e.g. "http://127.0.0.1:11434/v1"; "/embeddings" is appended. */
  url: string;
  model?: string;
  apiKey?: string;
  batchSize?: number;
  timeoutMs?: number;
}

/** An HTTP failure; `status` lets LangChain's caller skip retries on client errors (4xx). */
class EmbeddingsHttpError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** Unit-normalises a vector so that dot product equals cosine similarity. */
function unit(v: number[]): number[] {
  const n = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  return n > 0 ? v.map((x) => x / n) : v;
}

export class OpenAICompatibleEmbeddings extends Embeddings {
  private readonly endpoint: string;

  constructor(private readonly opts: OpenAIEmbeddingsOptions) {
    super({ maxRetries: 1 });
    const base = opts.url.replace(/\/+$/, '');
    this.endpoint = base.endsWith('/embeddings') ? base : `${base}/embeddings`;
  }

  private async batch(input: string[]): Promise<number[][]> {
    const res = await fetch(this.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(this.opts.apiKey ? { authorization: `Bearer ${this.opts.apiKey}` } : {}),
      },
      body: JSON.stringify({ model: this.opts.model ?? 'text-embedding-3-small', input, encoding_format: 'float' }),
      signal: AbortSignal.timeout(this.opts.timeoutMs ?? 60_000),
    });
    if (!res.ok) throw new EmbeddingsHttpError(`embeddings endpoint ${this.endpoint} answered HTTP ${res.status}`, res.status);
    const parsed = responseSchema.safeParse(await res.json());
    if (!parsed.success) throw new Error(`embeddings endpoint ${this.endpoint} sent an unexpected response: ${parsed.error.message}`);
    const rows = parsed.data.data;
    if (rows.length !== input.length) throw new Error(`embeddings endpoint returned ${rows.length} vectors for ${input.length} inputs`);
    const ordered = rows.every((r) => r.index !== undefined) ? [...rows].sort((a, b) => a.index! - b.index!) : rows;
    return ordered.map((r) => unit(r.embedding));
  }

  override async embedDocuments(documents: string[]): Promise<number[][]> {
    const size = this.opts.batchSize ?? 64;
    const out: number[][] = [];
    for (let i = 0; i < documents.length; i += size) {
      const part = documents.slice(i, i + size);
      out.push(...(await this.caller.call(() => this.batch(part))));
    }
    return out;
  }

  override async embedQuery(document: string): Promise<number[]> {
    const [v] = await this.embedDocuments([document]);
    return v;
  }
}
