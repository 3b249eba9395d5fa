import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStorage } from '../../../storage/index.ts';
import { createTempSchema, usePostgres, type TempSchema } from '../../support/services.ts';

const available = await usePostgres();

describe('openStorage backend selection', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'loa-open-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a DATABASE_URL it cannot use rather than silently using SQLite', async () => {
    const sqliteFile = join(dir, 'loa.sqlite');
    await expect(openStorage({ sqliteFile, DATABASE_URL: 'mysql://root@127.0.0.1/loa' })).rejects.toThrow(/postgres:\/\//);
    expect(existsSync(sqliteFile)).toBe(false);
  });

  it('uses SQLite without DATABASE_URL', async () => {
    const sqliteFile = join(dir, 'loa.sqlite');
    const storage = await openStorage({ sqliteFile, DATABASE_URL: undefined });
    try {
      expect(await storage.knowledge.revision()).toBe(0);
      expect(existsSync(sqliteFile)).toBe(true);
    } finally {
      await storage.close();
    }
  });

  describe.runIf(available)('with a postgres:// DATABASE_URL', () => {
    let temp: TempSchema;
    beforeEach(async () => {
      temp = await createTempSchema();
    });
    afterEach(() => temp.drop());

    it('returns working PostgreSQL stores and never creates the SQLite file', async () => {
      const sqliteFile = join(dir, 'loa.sqlite');
      const storage = await openStorage({ sqliteFile, DATABASE_URL: temp.url });
      try {
        await storage.secrets.setMany({ 'zalo.access_token': 'a1' });
        const other = await openStorage({ sqliteFile, DATABASE_URL: temp.url });
        try {
          expect(await other.secrets.get('zalo.access_token')).toBe('a1');
          expect(await other.knowledge.revision()).toBe(0);
          // Every store answers (the FAQ and report stores included).
          expect(await other.faqs.count()).toBe(0);
          expect(await other.reports.escalationCounts({ from: '2025-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z', utcOffsetMinutes: 420 })).toEqual([]);
          expect(await other.users.countActiveAdmins()).toBe(0);
          expect((await other.audit.list()).total).toBe(0);
        } finally {
          await other.close();
        }
        expect(existsSync(sqliteFile)).toBe(false);
      } finally {
        await storage.close();
      }
    });
  });
});
