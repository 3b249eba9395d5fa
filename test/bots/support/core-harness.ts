import express from 'express';
import { loadConfig } from '../../../app/config.ts';
import type { ConversationCore } from '../../../bots/core/conversation-core.ts';
import type { ChannelHandle, ChannelSetupContext } from '../../../bots/core/types.ts';
import type { BotStorage } from '../../../storage/index.ts';
import { captureLogger } from '../../support/capture-logger.ts';
import { listenLocal } from '../../support/listen.ts';
import { MemorySecrets } from '../../support/memory-secrets.ts';
import { TestAnswerer, TestDatabase, makeCore } from '../core/support.ts';

/**
 * One channel wired to a real conversation core (real SQLite, the deterministic
 * `TestAnswerer`) on a real Express app on 127.0.0.1:0: what the channel renders for each of
 * the four outcomes, and what a press brings back, through the channel's own wire format.
 */
export interface CoreHarness {
  baseUrl: string;
  core: ConversationCore;
  stores: BotStorage;
  answerer: TestAnswerer;
  handle: ChannelHandle;
  close(): Promise<void>;
}

export async function startCoreHarness(
  setup: (ctx: ChannelSetupContext) => ChannelHandle | undefined,
  env: Record<string, string>,
): Promise<CoreHarness> {
  const database = new TestDatabase();
  const { stores } = await database.open();
  const answerer = new TestAnswerer();
  const core = makeCore(stores, answerer);
  const app = express();
  const { logger } = captureLogger();
  const handle = setup({
    app,
    config: loadConfig({ LOA_DATA_DIR: database.dir, ...env }),
    logger,
    receiver: core,
    secrets: new MemorySecrets(),
    loopbackOnly: true,
  });
  if (!handle) throw new Error('the channel did not set up');
  core.registerSender(handle.sender);
  await core.start();
  await handle.start?.();
  const server = await listenLocal(app);
  return {
    baseUrl: server.url,
    core,
    stores,
    answerer,
    handle,
    async close() {
      await server.close();
      await handle.stop?.();
      await core.stop();
      await database.cleanup();
    },
  };
}
