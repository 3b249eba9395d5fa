import { randomBytes } from 'node:crypto';
import { Socket } from 'node:net';
import pg from 'pg';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';

/**
 * PostgreSQL and Redis for tests: the services on this machine by default, or the ones in
 * LOA_TEST_DATABASE_URL / LOA_TEST_REDIS_URL. Test files ask `usePostgres()` /
 * `useRedis()` at load time and wrap their suites in `describe.runIf(available)`.
 */
export const TEST_DATABASE_URL = process.env.LOA_TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';
export const TEST_REDIS_URL = process.env.LOA_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const TIMEOUT_MS = 1_500;

/** True when a PostgreSQL server answers `SELECT 1` at TEST_DATABASE_URL within 1.5 s. */
export async function postgresAvailable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: TIMEOUT_MS, query_timeout: TIMEOUT_MS });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** True when a Redis server answers PING at TEST_REDIS_URL within 1.5 s. */
export async function redisAvailable(): Promise<boolean> {
  // A plain TCP probe first: ioredis would otherwise keep retrying a closed port.
  const { hostname, port } = new URL(TEST_REDIS_URL);
  const open = await new Promise<boolean>((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(TIMEOUT_MS, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(Number(port || 6379), hostname, () => done(true));
  });
  if (!open) return false;
  const client = new Redis(TEST_REDIS_URL, { lazyConnect: true, connectTimeout: TIMEOUT_MS, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/**
 * Outside CI, a missing service skips its tests with a loud warning (a laptop without
 * PostgreSQL can still run the rest). With CI=true a missing service is a failure: a test
 * asserting that the service is reachable is registered in the calling file.
 */
function gate(name: string, where: string, available: boolean): boolean {
  if (process.env.CI === 'true') {
    describe(`${name} test service`, () => {
      it(`is reachable at ${where} (required when CI=true)`, () => {
        expect(available, `${name} must be running at ${where} in CI`).toBe(true);
      });
    });
  } else if (!available) {
    console.warn(`\n*** ${name} not reachable at ${where}: skipping ${name} tests ***\n`);
  }
  return available;
}

/** Call at the top of a test file: `const pgUp = await usePostgres(); describe.runIf(pgUp)(…)`. */
export async function usePostgres(): Promise<boolean> {
  const { hostname, port } = new URL(TEST_DATABASE_URL);
  return gate('PostgreSQL', `${hostname}:${port || 5432}`, await postgresAvailable());
}

/** Call at the top of a test file: `const redisUp = await useRedis(); describe.runIf(redisUp)(…)`. */
export async function useRedis(): Promise<boolean> {
  const { hostname, port } = new URL(TEST_REDIS_URL);
  return gate('Redis', `${hostname}:${port || 6379}`, await redisAvailable());
}

/** TEST_DATABASE_URL with `search_path` set to `schema` (every connection made from it uses the schema). */
export function urlWithSchema(schema: string): string {
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}

/** A schema of its own for one test (or file), so parallel test files never collide. */
export interface TempSchema {
  readonly schema: string;
  /** A connection URL whose connections all work in the schema. */
  readonly url: string;
  /** Drops the schema and everything in it. */
  drop(): Promise<void>;
}

export async function createTempSchema(): Promise<TempSchema> {
  const schema = `loa_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
  } finally {
    await admin.end();
  }
  return {
    schema,
    url: urlWithSchema(schema),
    async drop() {
      const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await c.connect();
      try {
        await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await c.end();
      }
    },
  };
}

/** A unique key prefix for one Redis test, so parallel test files never share keys or channels. */
export function redisTestPrefix(): string {
  return `loa-test-${randomBytes(6).toString('hex')}`;
}
