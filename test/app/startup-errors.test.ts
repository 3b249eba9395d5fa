import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../app/config.ts';
import { openRuntime, seedSampleKnowledge } from '../../app/runtime.ts';
import { openSqlite } from '../../storage/sqlite/database.ts';
import { SqliteKnowledgeStore } from '../../storage/sqlite/knowledge-store.ts';

const silent = pino({ level: 'silent' });

describe('start-up errors name the path and the cause', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const tempDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'loa-startup-'));
    dirs.push(d);
    return d;
  };

  it('a data directory that cannot be created (here under /sys, where nobody may create files)', async () => {
    const config = loadConfig({ LOA_DATA_DIR: '/sys/loa-data', LOA_SAMPLE_KNOWLEDGE: 'false' });
    await expect(openRuntime(config, { logger: silent })).rejects.toThrow(
      /^Cannot create the data directory \(LOA_DATA_DIR\) \/sys\/loa-data: (operation not permitted|permission denied)/,
    );
  });

  it('a data directory whose parent is a file', async () => {
    const file = join(tempDir(), 'not-a-dir');
    writeFileSync(file, 'x');
    const config = loadConfig({ LOA_DATA_DIR: join(file, 'data'), LOA_SAMPLE_KNOWLEDGE: 'false' });
    await expect(openRuntime(config, { logger: silent })).rejects.toThrow(new RegExp(`${file}/data: a part of the path is a file, not a directory`));
  });

  it('a database file that is not SQLite', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'loa.sqlite'), 'this is not a database '.repeat(200));
    const config = loadConfig({ LOA_DATA_DIR: dir, LOA_SAMPLE_KNOWLEDGE: 'false' });
    await expect(openRuntime(config, { logger: silent })).rejects.toThrow(new RegExp(`Cannot open the database ${dir}/loa.sqlite: the file is not a SQLite database`));
  });
});

describe('sample seeding is atomic', () => {
  it('on a full disk stores none of the sample documents and says so; the next start stores all of them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loa-seed-'));
    try {
      const config = loadConfig({ LOA_DATA_DIR: dir });
      const db = openSqlite(config.sqliteFile);
      const knowledge = new SqliteKnowledgeStore(db);
      // The database may grow by about 100 KB only: a disk that fills up half-way through the samples.
      const pages = Number(db.pragma('page_count', { simple: true }));
      db.pragma(`max_page_count = ${pages + 25}`);
      await expect(seedSampleKnowledge(config, { knowledge }, silent)).rejects.toThrow(
        new RegExp(`Cannot store the sample knowledge base \\(\\d+ documents; none was stored\\) in ${config.sqliteFile}: the disk is full`),
      );
      expect(await knowledge.listDocuments()).toEqual([]);

      db.pragma('max_page_count = 1073741823');
      await seedSampleKnowledge(config, { knowledge }, silent);
      const docs = await knowledge.listDocuments();
      expect(docs.length).toBeGreaterThanOrEqual(30);
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
