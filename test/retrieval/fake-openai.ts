/**
 * A real HTTP server on 127.0.0.1 speaking the two OpenAI endpoints Loa uses:
 * POST /v1/chat/completions and POST /v1/embeddings. Responses come from callbacks.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatRequest {
  model: string;
  messages: { role: string; content: string }[];
}

export interface FakeOpenAI {
  url: string;
  chatRequests: ChatRequest[];
  embeddingInputs: string[][];
  close(): Promise<void>;
}

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFakeOpenAI(handlers: {
  chat?: (req: ChatRequest) => string;
  embed?: (text: string) => number[];
}): Promise<FakeOpenAI> {
  const chatRequests: ChatRequest[] = [];
  const embeddingInputs: string[][] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      const raw = await body(req);
      const send = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      if (req.method === 'POST' && req.url === '/v1/chat/completions' && handlers.chat) {
        const parsed = JSON.parse(raw) as ChatRequest;
        chatRequests.push(parsed);
        const content = handlers.chat(parsed);
        send(200, {
          id: 'chatcmpl-test',
          object: 'chat.completion',
          created: Math.floor(Date.now() / 1000),
          model: parsed.model,
          choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop', logprobs: null }],
          usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
        });
        return;
      }
      if (req.method === 'POST' && req.url === '/v1/embeddings' && handlers.embed) {
        const parsed = JSON.parse(raw) as { input: string | string[] };
        const input = Array.isArray(parsed.input) ? parsed.input : [parsed.input];
        embeddingInputs.push(input);
        send(200, { object: 'list', data: input.map((t, index) => ({ object: 'embedding', index, embedding: handlers.embed!(t) })), model: 'fake' });
        return;
      }
      send(404, { error: { message: 'not found' } });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    chatRequests,
    embeddingInputs,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
