import type { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import { openRuntime } from '../runtime.ts';
import { startServer } from '../server.ts';
import { startupBanner } from './banner.ts';

/** `loa serve`: the whole product on one port (what `npm start` runs). */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Start the server: web chat demo at /, console at /admin, channels, ask API (PORT, HOST, LOA_DATA_DIR)')
    .option('-p, --port <port>', 'port to listen on (overrides PORT)')
    .option('--host <host>', 'address to bind (overrides HOST)')
    .action(async (opts: { port?: string; host?: string }) => {
      const config = loadConfig({ ...process.env, ...(opts.port ? { PORT: opts.port } : {}), ...(opts.host ? { HOST: opts.host } : {}) });
      const logger = createLogger(config.LOA_LOG_LEVEL);
      const runtime = await openRuntime(config, { logger });
      const loa = await startServer(runtime);
      let stopping = false;
      const stop = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        logger.info({ signal }, 'shutting down');
        try {
          // Readiness turns 503, requests in flight finish, then channels, core and storage stop.
          await loa.drain();
          await runtime.close();
        } catch (err) {
          logger.error({ err }, 'shutdown failed');
          process.exit(1);
        }
        process.exit(0);
      };
      process.on('SIGINT', () => void stop('SIGINT'));
      process.on('SIGTERM', () => void stop('SIGTERM'));
      // Only now: whoever waits for the banner may send SIGTERM at once.
      logger.info({ url: loa.url, channels: Object.keys(loa.channels) }, 'Loa is listening');
      process.stderr.write(startupBanner(loa));
    });
}
