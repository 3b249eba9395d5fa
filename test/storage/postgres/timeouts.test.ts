import { afterEach, describe, expect, it } from 'vitest';
import { openPostgresPool, query, type PgPool } from '../../../storage/postgres/database.ts';
import { TEST_DATABASE_URL, usePostgres } from '../../support/services.ts';
import { startBlackhole, startSwitchableProxy, type TcpFault } from '../../support/tcp-faults.ts';

const available = await usePostgres();

describe('PostgreSQL timeouts', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c().catch(() => undefined);
  });
  const track = (pool: PgPool): PgPool => {
    cleanup.push(() => pool.end());
    return pool;
  };

  it.runIf(available)('the server cancels a statement that runs longer than statement_timeout', async () => {
    const pool = track(openPostgresPool(TEST_DATABASE_URL, { statementTimeoutMs: 300 }));
    expect((await query<{ statement_timeout: string }>(pool, 'SHOW statement_timeout')).rows[0].statement_timeout).toBe('300ms');
    await expect(query(pool, 'SELECT pg_sleep(3)')).rejects.toMatchObject({ code: '57014' }); // query_canceled
  });

  it.runIf(available)('a query to a server that stopped answering mid-connection fails instead of hanging', async () => {
    const target = new URL(TEST_DATABASE_URL);
    const proxy = await startSwitchableProxy(target.hostname, Number(target.port || 5432));
    cleanup.push(() => proxy.close());
    const url = new URL(TEST_DATABASE_URL);
    url.host = `127.0.0.1:${proxy.port}`;
    const pool = track(openPostgresPool(url.toString(), { statementTimeoutMs: 300, max: 1 }));
    expect((await query<{ one: number }>(pool, 'SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    proxy.blackhole();
    const started = performance.now();
    await expect(query(pool, 'SELECT 1')).rejects.toThrow(/timeout/i);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  let hole: TcpFault | undefined;
  afterEach(async () => {
    await hole?.close();
    hole = undefined;
  });

  it('connecting to a server that accepts and never answers fails within the connect timeout', async () => {
    hole = await startBlackhole();
    const pool = track(openPostgresPool(`postgres://root@127.0.0.1:${hole.port}/test`, { connectTimeoutMs: 500 }));
    const started = performance.now();
    await expect(query(pool, 'SELECT 1')).rejects.toThrow(/timeout/i);
    expect(performance.now() - started).toBeLessThan(3_000);
  });
});
