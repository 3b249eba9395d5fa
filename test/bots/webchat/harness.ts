import express from 'express';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../../../app/config.ts';
import type { ChannelHandle } from '../../../bots/core/types.ts';
import { setupWebchat, type WebchatOptions } from '../../../bots/webchat/index.ts';
import { openSqlDatabase, sqlStores } from '../../../storage/sql/index.ts';
import type { WebchatMessage, WebchatStore } from '../../../storage/webchat-store.ts';
import { listenLocal } from '../../support/listen.ts';
import { MemorySecrets } from '../../support/memory-secrets.ts';
import { RecordingReceiver } from '../../support/recording-receiver.ts';
import { readSse } from '../../support/sse.ts';

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
  const db = await openSqlDatabase({ sqliteFile: config.sqliteFile });
  const store = sqlStores(db).webchat;
  const app = express();
  const receiver = new RecordingReceiver();
  const handle = setupWebchat(
    { app, config, logger: pino({ level: 'silent' }), receiver, secrets: new MemorySecrets(), loopbackOnly: true },
    { store, ...options },
  );
  const server = await listenLocal(app);
  return {
    base: server.url,
    handle,
    receiver,
    store,
    dir,
    async close() {
      await handle.stop?.();
      await server.close();
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
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
  const until = (ready: () => boolean) =>
    new Promise<void>((resolve) => {
      if (ready()) return resolve();
      waiters.push({ ready, resolve });
    });
  if (res.ok && res.body) {
    void readSse(res.body, {
      block: ({ data }) => {
        if (data) events.push(JSON.parse(data) as WebchatMessage);
      },
      chunk: (text) => {
        raw += text;
        waiters = waiters.filter((w) => (w.ready() ? (w.resolve(), false) : true));
      },
    });
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
