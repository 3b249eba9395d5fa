import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { ZaloOaClient } from '../../../bots/zalo/oa-client.ts';
import { PostgresAdvisoryLock } from '../../../storage/postgres/advisory-lock.ts';
import { openPostgresPool, type PgPool } from '../../../storage/postgres/database.ts';
import { RedisLock } from '../../../storage/redis/redis-lock.ts';
import { ProcessLock, type SharedLock } from '../../../storage/shared-lock.ts';
import { openSqlDatabase, sqlStores } from '../../../storage/sql/index.ts';
import { FakeZaloApi, TOKEN_PATH } from '../../fakes/zalo-api.ts';
import { createTempSchema, TEST_REDIS_URL, usePostgres, useRedis } from '../../support/services.ts';
import { tempDatabase } from '../../support/temp-sqlite.ts';
import { silentLogger } from '../core/support.ts';
import type { SecretStore } from '../../../bots/core/types.ts';

const pgAvailable = await usePostgres();
const redisAvailable = await useRedis();

/** One Loa instance's Zalo client: its own secrets connection and lock. */
function instance(fake: FakeZaloApi, secrets: SecretStore, lock: SharedLock): ZaloOaClient {
  return new ZaloOaClient({
    apiBase: fake.url,
    oauthBase: fake.url,
    appId: fake.appId,
    appSecret: fake.appSecret,
    secrets,
    seed: { accessToken: 'access-0', refreshToken: 'refresh-0' },
    logger: silentLogger,
    lock,
  });
}

/**
 * Both instances find the access token refused at the same moment and refresh. The fake
 * holds the first refresh until the second instance has had every chance to send its own.
 */
async function refreshTogether(fake: FakeZaloApi, a: ZaloOaClient, b: ZaloOaClient): Promise<string[]> {
  await Promise.all([a.tokens.current(), b.tokens.current()]);
  fake.expireToken();
  const release = fake.holdRefreshes();
  const both = Promise.all([a.tokens.refreshAfter('access-0'), b.tokens.refreshAfter('access-0')]);
  await fake.waitForRequests(TOKEN_PATH, 1);
  await new Promise((r) => setTimeout(r, 300));
  release();
  return both;
}

describe('Zalo token refresh across instances', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it.runIf(pgAvailable)('refreshes once under a PostgreSQL advisory lock; both instances end with the new token', async () => {
    const fake = await FakeZaloApi.start();
    cleanups.push(() => fake.close());
    const schema = await createTempSchema();
    cleanups.push(() => schema.drop());
    const pools: PgPool[] = [openPostgresPool(schema.url, { max: 3 }), openPostgresPool(schema.url, { max: 3 })];
    const databases = [await openSqlDatabase({ postgresUrl: schema.url, poolSize: 3 }), await openSqlDatabase({ postgresUrl: schema.url, poolSize: 3 })];
    cleanups.push(async () => {
      for (const p of pools) await p.end();
      for (const d of databases) await d.close();
    });
    const [sa, sb] = databases.map((d) => sqlStores(d).secrets);
    const a = instance(fake, sa, new PostgresAdvisoryLock(pools[0]));
    const b = instance(fake, sb, new PostgresAdvisoryLock(pools[1]));

    expect(await refreshTogether(fake, a, b)).toEqual(['access-1', 'access-1']);
    expect(fake.requestsTo(TOKEN_PATH)).toHaveLength(1);
    expect(fake.refreshCount).toBe(1);
    expect(await sb.get('zalo.refresh_token')).toBe('refresh-1');
  });

  it.runIf(redisAvailable)('refreshes once under a Redis lock; both instances end with the new token', async () => {
    const fake = await FakeZaloApi.start();
    cleanups.push(() => fake.close());
    const temp = tempDatabase('loa-zalo-lock-');
    cleanups.push(() => temp.cleanup());
    const redis = [new Redis(TEST_REDIS_URL), new Redis(TEST_REDIS_URL)];
    cleanups.push(() => {
      for (const r of redis) r.disconnect();
    });
    // A lock name of its own, so parallel test runs on one Redis do not meet.
    const lockA = new RedisLock(redis[0]);
    const lockB = new RedisLock(redis[1]);
    const suffix = Math.random().toString(36).slice(2);
    const scoped = (l: RedisLock): SharedLock => ({ scope: 'redis', withLock: (name, fn) => l.withLock(`${name}:${suffix}`, fn) });
    const a = instance(fake, sqlStores(await temp.openSql()).secrets, scoped(lockA));
    const b = instance(fake, sqlStores(await temp.openSql()).secrets, scoped(lockB));

    expect(await refreshTogether(fake, a, b)).toEqual(['access-1', 'access-1']);
    expect(fake.requestsTo(TOKEN_PATH)).toHaveLength(1);
    expect(fake.refreshCount).toBe(1);
  });

  it('without a shared lock, the instance whose refresh is refused uses the pair the other stored', async () => {
    const fake = await FakeZaloApi.start();
    cleanups.push(() => fake.close());
    const temp = tempDatabase('loa-zalo-lock-');
    cleanups.push(() => temp.cleanup());
    const a = instance(fake, sqlStores(await temp.openSql()).secrets, new ProcessLock());
    const b = instance(fake, sqlStores(await temp.openSql()).secrets, new ProcessLock());

    expect(await refreshTogether(fake, a, b)).toEqual(['access-1', 'access-1']);
    // Both spent the same refresh token; Zalo refused the second.
    expect(fake.requestsTo(TOKEN_PATH)).toHaveLength(2);
    expect(fake.refreshCount).toBe(1);
  });
});
