import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { IncomingMessage } from '../../bots/core/types.ts';
import { openStorage, type Storage } from '../../storage/index.ts';
import { backupSqlite, restoreSqlite } from '../../storage/sqlite/backup.ts';

const LOA_BIN = fileURLToPath(new URL('../../bin/loa.js', import.meta.url));

const message = (id: string): IncomingMessage => ({
  channel: 'zalo',
  channelMessageId: id,
  from: { channel: 'zalo', userId: 'u-1', address: { userId: 'u-1' } },
  kind: 'text',
  text: `câu hỏi ${id}`,
  sentAt: '2026-03-01T08:00:00.000Z',
});

describe('loa backup / loa restore (SQLite)', () => {
  const dirs: string[] = [];
  const open: Storage[] = [];
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const tempDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'loa-backup-'));
    dirs.push(d);
    return d;
  };

  it('backs up while the database is in use and restores exactly that state', async () => {
    const dir = tempDir();
    const sqliteFile = join(dir, 'loa.sqlite');
    const storage = await openStorage({ sqliteFile, DATABASE_URL: undefined });
    open.push(storage);
    for (let i = 0; i < 200; i++) await storage.inbox.add(message(`m-${i}`), new Date());
    await storage.secrets.setMany({ 'zalo.refresh_token': 'refresh-at-backup' });

    // Writes go on during the backup (the server keeps running): the copy is consistent anyway.
    const backupFile = join(dir, 'backup.sqlite');
    const writing = (async () => {
      for (let i = 200; i < 260; i++) await storage.inbox.add(message(`m-${i}`), new Date());
    })();
    const result = await backupSqlite(sqliteFile, backupFile);
    await writing;
    expect(result.bytes).toBeGreaterThan(0);
    expect(statSync(backupFile).mode & 0o777).toBe(0o600);
    const backedUp = await openStorage({ sqliteFile: backupFile, DATABASE_URL: undefined });
    const countInBackup = (await backedUp.inbox.pending(1000)).length;
    await backedUp.close();
    expect(countInBackup).toBeGreaterThanOrEqual(200);

    // Life goes on after the backup, then the server is stopped and the backup restored.
    await storage.secrets.setMany({ 'zalo.refresh_token': 'refresh-after-backup' });
    await storage.inbox.add(message('after'), new Date());
    await open.pop()!.close();

    const { previous } = await restoreSqlite(backupFile, sqliteFile);
    expect(previous && existsSync(previous)).toBe(true);
    const restored = await openStorage({ sqliteFile, DATABASE_URL: undefined });
    open.push(restored);
    expect(await restored.secrets.get('zalo.refresh_token')).toBe('refresh-at-backup');
    const pending = await restored.inbox.pending(1000);
    expect(pending.length).toBe(countInBackup);
    expect(pending.some((p) => p.message.channelMessageId === 'after')).toBe(false);

    // The replaced database is kept whole, WAL folded in: nothing is lost by restoring.
    const kept = await openStorage({ sqliteFile: previous!, DATABASE_URL: undefined });
    expect(await kept.secrets.get('zalo.refresh_token')).toBe('refresh-after-backup');
    expect((await kept.inbox.pending(1000)).some((p) => p.message.channelMessageId === 'after')).toBe(true);
    await kept.close();
  });

  it('refuses to restore a file that is not a Loa database, and leaves the current one alone', async () => {
    const dir = tempDir();
    const sqliteFile = join(dir, 'loa.sqlite');
    const storage = await openStorage({ sqliteFile, DATABASE_URL: undefined });
    await storage.secrets.setMany({ k: 'v' });
    await storage.close();
    const junk = join(dir, 'junk.sqlite');
    writeFileSync(junk, 'not a database at all, just text');
    await expect(restoreSqlite(junk, sqliteFile)).rejects.toThrow(/junk\.sqlite/);
    const again = await openStorage({ sqliteFile, DATABASE_URL: undefined });
    open.push(again);
    expect(await again.secrets.get('k')).toBe('v');
  });

  it('refuses to overwrite an existing backup file', async () => {
    const dir = tempDir();
    const sqliteFile = join(dir, 'loa.sqlite');
    await (await openStorage({ sqliteFile, DATABASE_URL: undefined })).close();
    writeFileSync(join(dir, 'exists.sqlite'), 'x');
    await expect(backupSqlite(sqliteFile, join(dir, 'exists.sqlite'))).rejects.toThrow(/already exists/);
  });

  it('the CLI points to pg_dump when the state is in PostgreSQL', async () => {
    const err = await promisify(execFile)(process.execPath, [LOA_BIN, 'backup', join(tmpdir(), 'never.sqlite')], {
      env: { ...process.env, DATABASE_URL: 'postgres://root@127.0.0.1:1/none' },
    }).then(
      () => undefined,
      (e: { code?: number; stderr?: string }) => e,
    );
    expect(err?.code).toBe(1);
    expect(err?.stderr).toMatch(/pg_dump --format=custom/);
  }, 30_000);
});
