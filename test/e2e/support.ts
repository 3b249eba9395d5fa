import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Runtime } from '../../app/runtime.ts';
import type { AskResult } from '../../retrieval/types.ts';
import { readSse } from '../support/sse.ts';

/**
 * Shared pieces of the end-to-end tests: a polling wait with a deadline, the bundled sample
 * questions, and the choice of a question the current retriever really answers (so the
 * tests follow the retriever instead of hard-coding what it returns).
 */

/** Polls `probe` until it returns something other than undefined/false; throws after `timeoutMs`. */
export async function waitFor<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  { timeoutMs = 15_000, intervalMs = 20 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

const sampleQuestionSchema = z.object({
  id: z.string(),
  question: z.string(),
  relevant_doc: z.string().optional(),
  style: z.string(),
  in_scope: z.boolean(),
});
export type SampleQuestion = z.infer<typeof sampleQuestionSchema>;

const SAMPLE_QUESTIONS = fileURLToPath(new URL('../../bench/data/sample-questions.jsonl', import.meta.url));

/** `bench/data/sample-questions.jsonl`, validated. */
export function sampleQuestions(): SampleQuestion[] {
  return readFileSync(SAMPLE_QUESTIONS, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => sampleQuestionSchema.parse(JSON.parse(line)));
}

/** A sample question, the retriever's answer to it, and the title of the document it comes from. */
export interface AnsweredQuestion {
  sample: SampleQuestion;
  result: AskResult;
  /** Title of the expected document, as stored in the knowledge base. */
  title: string;
}

/**
 * The first in-scope sample question of `style` (accented by default) that the running
 * retriever answers from the document the sample names. Fails the test when there is none:
 * that would mean the sample base no longer answers the sample questions.
 */
export async function answeredQuestion(runtime: Runtime, { style = 'accented', skip = 0 }: { style?: string; skip?: number } = {}): Promise<AnsweredQuestion> {
  const docs = await runtime.storage.knowledge.listDocuments();
  let skipped = 0;
  for (const sample of sampleQuestions()) {
    if (!sample.in_scope || sample.style !== style || !sample.relevant_doc) continue;
    const result = await runtime.answerer.ask(sample.question);
    const top = result.citations[0];
    if (result.abstained || !top || !top.id.startsWith(`${sample.relevant_doc}::`)) continue;
    const title = docs.find((d) => d.id === sample.relevant_doc)?.title;
    if (!title || top.title !== title) continue;
    if (skipped++ < skip) continue;
    return { sample, result, title };
  }
  throw new Error(`no ${style} sample question is answered by the current retriever`);
}

/** The sample question about the gold price: out of scope, so the bot must not answer it. */
export function goldPriceQuestion(): string {
  const q = sampleQuestions().find((s) => !s.in_scope && /giá vàng/i.test(s.question));
  if (!q) throw new Error('the sample set has no gold-price question');
  return q.question;
}

/** One web chat message as the API and the event stream send it. */
export const webchatMessageSchema = z.object({
  seq: z.number(),
  kind: z.string(),
  text: z.string(),
  citations: z.array(z.object({ n: z.number(), label: z.string(), url: z.string().optional(), quote: z.string() })),
  answerId: z.string().optional(),
});
export type WebchatWireMessage = z.infer<typeof webchatMessageSchema>;

/** A reader of the web chat event stream (`id:` + `data:` blocks, no event names). */
export interface WebchatStream {
  status: number;
  messages: WebchatWireMessage[];
  close(): void;
}

export async function openWebchatStream(url: string, sessionId: string, token: string): Promise<WebchatStream> {
  const abort = new AbortController();
  const res = await fetch(`${url}/webchat/api/events?sessionId=${encodeURIComponent(sessionId)}&token=${encodeURIComponent(token)}`, {
    signal: abort.signal,
  });
  const messages: WebchatWireMessage[] = [];
  if (res.ok && res.body) {
    void readSse(res.body, {
      block: ({ data }) => {
        if (data) messages.push(webchatMessageSchema.parse(JSON.parse(data)));
      },
    });
  }
  return { status: res.status, messages, close: () => abort.abort() };
}
