import { statfs } from 'node:fs/promises';
import { Router, type Request, type Response } from 'express';
import type { ChannelHandle } from '../../bots/core/types.ts';
import type { OpsStore } from '../../storage/ops-store.ts';

/**
 * Health endpoints for a load balancer and an orchestrator:
 * - `GET /livez`: the process is alive and its event loop turns (no dependency is asked, so
 *   a database outage never gets a healthy process restarted);
 * - `GET /readyz`: this instance can do its work now: the database and Redis answer, the
 *   inbox backlog is not too old, the data directory has room. Each check has its own
 *   timeout, so a partition gives a quick 503, not a hanging probe. 503 names what failed.
 *   Channels report `degraded` (a refused token, Telegram polling failing) in the body
 *   without failing readiness: taking instances out of rotation would not fix a token shared
 *   by all of them, and would stop the other channels too.
 * - `GET /healthz`: the same as `/readyz` (kept for existing monitors).
 * While the server drains (SIGTERM), `/readyz` answers 503 `draining` at once.
 */
export interface HealthDeps {
  ops: OpsStore;
  /** Redis round trip (resolves at once without Redis). */
  pingRedis: () => Promise<void>;
  redisBackend: 'redis' | 'memory';
  channels: () => Record<string, ChannelHandle>;
  dataDir: string;
  /** Knowledge revision, reported for information. */
  revision: () => string | number;
  isDraining: () => boolean;
  /** Per-check timeout. */
  checkTimeoutMs: number;
  /** Readiness fails when the oldest pending inbox event is older than this. */
  maxBacklogAgeS: number;
  /** Readiness fails when the data directory's file system has less free space than this. */
  minFreeBytes: number;
  clock?: () => Date;
}

export interface CheckResult {
  ok: boolean;
  ms: number;
  error?: string;
  [detail: string]: unknown;
}

class CheckTimeout extends Error {}

async function timed(ms: number, fn: () => Promise<Record<string, unknown> | void>): Promise<CheckResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const detail = await Promise.race([
      fn(),
      new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new CheckTimeout(`no answer within ${ms} ms`)), ms);
      }),
    ]);
    return { ok: true, ms: Math.round(performance.now() - started), ...(detail ?? {}) };
  } catch (err) {
    return { ok: false, ms: Math.round(performance.now() - started), error: (err instanceof Error ? err.message : String(err)).slice(0, 200) };
  } finally {
    clearTimeout(timer);
  }
}

/** Runs every readiness check at once; `ready` is false when any of them failed. */
export async function readiness(deps: HealthDeps): Promise<{ ready: boolean; body: Record<string, unknown> }> {
  const now = (deps.clock ?? (() => new Date()))();
  const ms = deps.checkTimeoutMs;
  const [database, redis, backlog, disk] = await Promise.all([
    timed(ms, () => deps.ops.ping()),
    deps.redisBackend === 'redis' ? timed(ms, () => deps.pingRedis()) : Promise.resolve<CheckResult>({ ok: true, ms: 0, backend: 'memory' }),
    timed(ms, async () => {
      const { inbox } = await deps.ops.queueStats(now);
      const age = Math.round(inbox.oldestPendingAgeS);
      if (age > deps.maxBacklogAgeS) throw new Error(`oldest pending inbox event is ${age} s old (limit ${deps.maxBacklogAgeS} s)`);
      return { oldestPendingAgeS: age, pending: inbox.byStatus.pending ?? 0 };
    }),
    timed(ms, async () => {
      const s = await statfs(deps.dataDir);
      const freeBytes = s.bavail * s.bsize;
      if (freeBytes < deps.minFreeBytes) throw new Error(`${Math.round(freeBytes / 1e6)} MB free in ${deps.dataDir} (need ${Math.round(deps.minFreeBytes / 1e6)} MB)`);
      return { freeMb: Math.round(freeBytes / 1e6) };
    }),
  ]);
  const checks = { database, redis, backlog, disk };
  const channels = Object.fromEntries(Object.entries(deps.channels()).map(([name, h]) => [name, h.health?.() ?? { status: 'ok' }]));
  const failed = Object.entries(checks).filter(([, c]) => !c.ok).map(([name]) => name);
  const degraded = Object.entries(channels).filter(([, h]) => h.status !== 'ok').map(([name]) => name);
  const status = failed.length ? 'unavailable' : degraded.length ? 'degraded' : 'ok';
  return {
    ready: failed.length === 0,
    body: { status, ...(failed.length ? { failed } : {}), ...(degraded.length ? { degraded } : {}), checks, channels, revision: deps.revision() },
  };
}

/** Mounts `/livez`, `/readyz` and `/healthz` (an alias of `/readyz`). */
export function healthRouter(deps: HealthDeps): Router {
  const router = Router();
  router.get('/livez', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'alive', uptimeS: Math.round(process.uptime()) });
  });
  const ready = async (_req: Request, res: Response): Promise<void> => {
    res.set('Cache-Control', 'no-store');
    if (deps.isDraining()) {
      res.status(503).json({ status: 'draining', failed: ['draining'] });
      return;
    }
    const { ready: ok, body } = await readiness(deps);
    res.status(ok ? 200 : 503).json(body);
  };
  router.get('/readyz', ready);
  router.get('/healthz', ready);
  return router;
}
