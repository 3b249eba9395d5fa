import express from 'express';
import { loadConfig, type Config } from '../../../app/config.ts';
import type { ChannelHandle, SecretStore } from '../../../bots/core/types.ts';
import { setupZalo } from '../../../bots/zalo/index.ts';
import { openSqlDatabase } from '../../../storage/sql/index.ts';
import { SqlSecretStore } from '../../../storage/sql/secret-store.ts';
import { captureLogger, type CapturedLogger } from '../../support/capture-logger.ts';
import { listenLocal } from '../../support/listen.ts';
import { RecordingReceiver } from '../../support/recording-receiver.ts';

export const APP_ID = 'app-123';
export const APP_SECRET = 'app-secret-xyz';
export const OA_SECRET_KEY = 'oa-secret-key-SHOULD-NOT-BE-LOGGED';

/** A real SQLite SecretStore in memory. */
export function sqliteSecrets(): SecretStore {
  // Opened (and migrated) on first use, so the harness stays synchronous.
  const store = openSqlDatabase({ sqliteFile: ':memory:' }).then((db) => new SqlSecretStore(db));
  return {
    get: async (key) => (await store).get(key),
    setMany: async (values) => (await store).setMany(values),
  };
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
  logs: CapturedLogger;
  close(): Promise<void>;
}

/** A real Express app with only the Zalo channel, listening on 127.0.0.1:0. */
export async function startZaloApp(config: Config = zaloConfig(), secrets: SecretStore = sqliteSecrets()): Promise<RunningApp> {
  const app = express();
  const receiver = new RecordingReceiver();
  const logs = captureLogger();
  const handle = setupZalo({ app, config, logger: logs.logger, receiver, secrets, loopbackOnly: true });
  const server = await listenLocal(app);
  return {
    url: server.url,
    handle,
    receiver,
    secrets,
    logs,
    close: () => server.close(),
  };
}
