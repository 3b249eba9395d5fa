import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import { loadConfig, type Config } from '../../../app/config.ts';
import type { ChannelHandle, IncomingMessage, MessageReceiver, SecretStore } from '../../../bots/core/types.ts';
import { setupZalo } from '../../../bots/zalo/index.ts';
import { openSqlite } from '../../../storage/sqlite/database.ts';
import { SqliteSecretStore } from '../../../storage/sqlite/secret-store.ts';

export const APP_ID = 'app-123';
export const APP_SECRET = 'app-secret-xyz';
export const OA_SECRET_KEY = 'oa-secret-key-SHOULD-NOT-BE-LOGGED';

/** Records what the webhook hands over; dedupes on channelMessageId; can be told to fail. */
export class RecordingReceiver implements MessageReceiver {
  readonly messages: IncomingMessage[] = [];
  readonly duplicates: IncomingMessage[] = [];
  failWith: Error | undefined;
  private readonly seen = new Set<string>();

  async receive(message: IncomingMessage): Promise<{ duplicate: boolean }> {
    if (this.failWith) throw this.failWith;
    if (this.seen.has(message.channelMessageId)) {
      this.duplicates.push(message);
      return { duplicate: true };
    }
    this.seen.add(message.channelMessageId);
    this.messages.push(message);
    return { duplicate: false };
  }
}

/** A pino logger whose JSON lines are kept for assertions. */
export function captureLogger(): { logger: Logger; lines: () => Array<Record<string, unknown>>; raw: () => string } {
  const chunks: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (s: string) => chunks.push(s) });
  return {
    logger,
    lines: () => chunks.map((c) => JSON.parse(c) as Record<string, unknown>),
    raw: () => chunks.join(''),
  };
}

/** A real SQLite SecretStore in memory. */
export function sqliteSecrets(): SecretStore {
  return new SqliteSecretStore(openSqlite(':memory:'));
}

export function zaloConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    LOA_DATA_DIR: '/tmp/loa-zalo-test-unused',
    ZALO_APP_ID: APP_ID,
    ZALO_APP_SECRET: APP_SECRET,
    ZALO_OA_SECRET_KEY: OA_SECRET_KEY,
    ZALO_ACCESS_TOKEN: 'access-0',
    ZALO_REFRESH_TOKEN: 'refresh-0',
    ...env,
  });
}

export interface RunningApp {
  url: string;
  handle: ChannelHandle | undefined;
  receiver: RecordingReceiver;
  secrets: SecretStore;
  logs: ReturnType<typeof captureLogger>;
  close(): Promise<void>;
}

/** A real Express app with only the Zalo channel, listening on 127.0.0.1:0. */
export async function startZaloApp(config: Config = zaloConfig(), secrets: SecretStore = sqliteSecrets()): Promise<RunningApp> {
  const app = express();
  const receiver = new RecordingReceiver();
  const logs = captureLogger();
  const handle = setupZalo({ app, config, logger: logs.logger, receiver, secrets, loopbackOnly: true });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    handle,
    receiver,
    secrets,
    logs,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
