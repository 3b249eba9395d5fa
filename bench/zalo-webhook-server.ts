import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { z } from 'zod';
import { loadConfig } from '../app/config.ts';
import { createLogger } from '../app/logger.ts';
import { openRuntime } from '../app/runtime.ts';
import { startServer } from '../app/server.ts';

/**
 * The server side of the Zalo webhook benchmark, run in its own process (so the load
 * generator and the fake Zalo API do not share its event loop, and `--cpu-prof` profiles
 * only the server). Configured entirely from the environment, like `loa serve`; tells the
 * parent its URL over IPC, answers `{type: 'stats'}` with its event-loop delay and longest
 * garbage-collection pause since the previous `stats` (to tell a blocked loop from a slow
 * machine), and shuts down cleanly on `{type: 'stop'}` (so a CPU profile is written on exit).
 */

const controlMessage = z.object({ type: z.enum(['stop', 'stats']) });

/** Event-loop delay and GC pauses, reset at each read. */
function loopMonitor(): () => { loopDelayP99Ms: number; loopDelayMaxMs: number; gcMaxMs: number; gcTotalMs: number } {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  let gcMaxMs = 0;
  let gcTotalMs = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gcMaxMs = Math.max(gcMaxMs, entry.duration);
      gcTotalMs += entry.duration;
    }
  }).observe({ entryTypes: ['gc'] });
  return () => {
    const stats = { loopDelayP99Ms: delay.percentile(99) / 1e6, loopDelayMaxMs: delay.max / 1e6, gcMaxMs, gcTotalMs };
    delay.reset();
    gcMaxMs = 0;
    gcTotalMs = 0;
    return stats;
  };
}

async function main(): Promise<void> {
  if (!process.send) throw new Error('zalo-webhook-server must be started with an IPC channel');
  const config = loadConfig(process.env);
  const logger = createLogger(config.LOA_LOG_LEVEL);
  const runtime = await openRuntime(config, { logger });
  const loa = await startServer(runtime);
  if (!loa.channels.zalo) throw new Error('the Zalo channel is not configured');

  const readStats = loopMonitor();
  process.on('message', (raw: unknown) => {
    const message = controlMessage.safeParse(raw);
    if (!message.success) return;
    if (message.data.type === 'stats') {
      process.send?.({ type: 'stats', ...readStats() });
      return;
    }
    void (async () => {
      await loa.close();
      await runtime.close();
      process.exit(0);
    })();
  });
  process.send({ type: 'ready', url: loa.url });
}

main().catch((err: unknown) => {
  process.stderr.write(`zalo-webhook-server: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
