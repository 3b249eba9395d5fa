import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import express from 'express';
import { pino, type Logger } from 'pino';
import { loadConfig } from '../../../app/config.ts';
import type { ChannelHandle, ChannelSetupContext, IncomingMessage, MessageReceiver, SecretStore } from '../../../bots/core/types.ts';

/** A receiver like the core's: records messages, reports duplicates, can be told to fail. */
export class RecordingReceiver implements MessageReceiver {
  readonly messages: IncomingMessage[] = [];
  private readonly seen = new Set<string>();
  private failures = 0;
  private waiters: Array<{ n: number; resolve: () => void }> = [];
  /** Called inside receive(), before it resolves (to check ordering against the wire). */
  onReceive?: (message: IncomingMessage) => void;

  failNext(times = 1): void {
    this.failures += times;
  }

  async receive(message: IncomingMessage): Promise<{ duplicate: boolean }> {
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error('database unavailable');
    }
    this.onReceive?.(message);
    const key = `${message.channel}:${message.channelMessageId}`;
    if (this.seen.has(key)) return { duplicate: true };
    this.seen.add(key);
    this.messages.push(message);
    this.waiters = this.waiters.filter((w) => (this.messages.length >= w.n ? (w.resolve(), false) : true));
    return { duplicate: false };
  }

  /** Resolves once `n` distinct messages were received. */
  waitFor(n: number): Promise<void> {
    if (this.messages.length >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }
}

class MemorySecrets implements SecretStore {
  private readonly values = new Map<string, string>();
  async get(key: string) {
    return this.values.get(key);
  }
  async setMany(values: Record<string, string>) {
    for (const [k, v] of Object.entries(values)) this.values.set(k, v);
  }
}

/** A pino logger whose lines tests can read. */
export function capturingLogger(): { logger: Logger; lines: () => string[] } {
  const out: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      out.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines: () => out };
}

export interface Harness {
  baseUrl: string;
  receiver: RecordingReceiver;
  handle: ChannelHandle | undefined;
  logLines: () => string[];
  close(): Promise<void>;
}

/** A real Express app on 127.0.0.1:0 with one channel set up on it. */
export async function startHarness(
  setup: (ctx: ChannelSetupContext) => ChannelHandle | undefined,
  env: Record<string, string>,
  opts: { loopbackOnly?: boolean } = {},
): Promise<Harness> {
  const app = express();
  const receiver = new RecordingReceiver();
  const { logger, lines } = capturingLogger();
  const handle = setup({
    app,
    config: loadConfig({ LOA_DATA_DIR: '/tmp/loa-test-unused', ...env }),
    logger,
    receiver,
    secrets: new MemorySecrets(),
    loopbackOnly: opts.loopbackOnly ?? true,
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    receiver,
    handle,
    logLines: lines,
    async close() {
      await handle?.stop?.();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
