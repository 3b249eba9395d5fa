import express from 'express';
import { loadConfig } from '../../../app/config.ts';
import type { ChannelHandle, ChannelSetupContext } from '../../../bots/core/types.ts';
import { captureLogger } from '../../support/capture-logger.ts';
import { listenLocal } from '../../support/listen.ts';
import { MemorySecrets } from '../../support/memory-secrets.ts';
import { RecordingReceiver } from '../../support/recording-receiver.ts';

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
  const { logger, lines } = captureLogger();
  const handle = setup({
    app,
    config: loadConfig({ LOA_DATA_DIR: '/tmp/loa-test-unused', ...env }),
    logger,
    receiver,
    secrets: new MemorySecrets(),
    loopbackOnly: opts.loopbackOnly ?? true,
  });
  const server = await listenLocal(app);
  return {
    baseUrl: server.url,
    receiver,
    handle,
    logLines: lines,
    async close() {
      await handle?.stop?.();
      await server.close();
    },
  };
}
