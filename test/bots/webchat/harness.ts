import express from 'express';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../../../app/config.ts';
import type { ChannelHandle, IncomingMessage, MessageReceiver, SecretStore } from '../../../bots/core/types.ts';
import { setupWebchat, type WebchatOptions } from '../../../bots/webchat/index.ts';
import { openSqlite } from '../../../storage/sqlite/database.ts';
import { createSqliteWebchatStore } from '../../../storage/sqlite/webchat-store.ts';
import type { WebchatMessage, WebchatStore } from '../../../storage/webchat-store.ts';

/**
 * A receiver standing in for the conversation core: records every message, deduplicates
 * on channelMessageId like the core does, and lets a test react to messages.
 */
export class RecordingReceiver implements MessageReceiver {
  readonly received: IncomingMessage[] = [];
  private readonly seen = new Set<string>();
  private waiters: Array<{ test: (m: IncomingMessage) => boolean; resolve: (m: IncomingMessage) => void }> = [];
  onMessage?: (m: IncomingMessage) => void | Promise<void>;

  async receive(message: IncomingMessage): Promise<{ duplicate: boolean }> {
    this.received.push(message);
    const duplicate = this.seen.has(message.channelMessageId);
    this.seen.add(message.channelMessageId);
    this.waiters = this.waiters.filter((w) => (w.test(message) ? (w.resolve(message), false) : true));
    // Like the core: acknowledge first, answer asynchronously.
    if (!duplicate && this.onMessage) setImmediate(() => void this.onMessage?.(message));
    return { duplicate };
  }

  /** Resolves with the first message (already received or future) that passes `test`. */
  waitFor(test: (m: IncomingMessage) => boolean): Promise<IncomingMessage> {
    const found = this.received.find(test);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
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

export interface Harness {
  base: string;
  handle: ChannelHandle;
  receiver: RecordingReceiver;
  store: WebchatStore;
  dir: string;
  close(): Promise<void>;
}

/** A real Express app on 127.0.0.1:0 with the web chat mounted and a real SQLite file in a temp dir. */
export async function startHarness(
  env: Record<string, string> = {},
  options: Omit<WebchatOptions, 'store'> = {},
): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'loa-webchat-'));
  const config = loadConfig({ LOA_DATA_DIR: dir, LOA_LOG_LEVEL: 'silent', ...env });
  const db = openSqlite(config.sqliteFile);
  const store = createSqliteWebchatStore(db);
  const app = express();
  const receiver = new RecordingReceiver();
  const handle = setupWebchat(
    { app, config, logger: pino({ level: 'silent' }), receiver, secrets: new MemorySecrets(), loopbackOnly: true },
    { store, ...options },
  );
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    handle,
    receiver,
    store,
    dir,
    async close() {
      await handle.stop?.();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Session {
  sessionId: string;
  token: string;
}

export async function createSession(base: string): Promise<Session> {
  const res = await fetch(`${base}/webchat/api/sessions`, { method: 'POST' });
  if (res.status !== 201) throw new Error(`session: HTTP ${res.status}`);
  return (await res.json()) as Session;
}

export function postMessage(base: string, s: Session, body: Record<string, unknown>, token = s.token): Promise<Response> {
  return fetch(`${base}/webchat/api/messages`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify({ sessionId: s.sessionId, ...body }),
  });
}

export async function listMessages(base: string, s: Session, after = 0): Promise<WebchatMessage[]> {
  const res = await fetch(`${base}/webchat/api/messages?sessionId=${s.sessionId}&after=${after}`, {
    headers: { Authorization: `Bearer ${s.token}` },
  });
  if (!res.ok) throw new Error(`messages: HTTP ${res.status}`);
  return ((await res.json()) as { messages: WebchatMessage[] }).messages;
}

/** An SSE client on fetch: collects events and lets a test wait for a number of them. */
export interface EventReader {
  status: number;
  contentType: string | null;
  events: WebchatMessage[];
  /** Raw text received so far (to check `retry:` and ids). */
  raw(): string;
  waitForCount(n: number): Promise<WebchatMessage[]>;
  /** Resolves once the raw text received contains `text`. */
  waitForRaw(text: string): Promise<void>;
  close(): void;
}

export async function openEvents(url: string, headers: Record<string, string> = {}): Promise<EventReader> {
  const abort = new AbortController();
  const res = await fetch(url, { signal: abort.signal, headers });
  const events: WebchatMessage[] = [];
  let raw = '';
  let waiters: Array<{ ready: () => boolean; resolve: () => void }> = [];
  const notify = () => {
    waiters = waiters.filter((w) => (w.ready() ? (w.resolve(), false) : true));
  };
  const until = (ready: () => boolean) =>
    new Promise<void>((resolve) => {
      if (ready()) return resolve();
      waiters.push({ ready, resolve });
    });
  if (res.ok && res.body) {
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    void (async () => {
      let buffer = '';
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          raw += value;
          buffer += value;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = block.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
            if (data) events.push(JSON.parse(data) as WebchatMessage);
          }
          notify();
        }
      } catch {
        // aborted
      }
    })();
  }
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    events,
    raw: () => raw,
    waitForCount: (n) => until(() => events.length >= n).then(() => events),
    waitForRaw: (text) => until(() => raw.includes(text)),
    close: () => abort.abort(),
  };
}
