import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestSummary } from '../../knowledge/types.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const LAW = readFileSync(new URL('./fixtures/luat-cu-tru-trich.txt', import.meta.url), 'utf8');

let dir: string;
let docs: string;
let dataDir: string;

/** Runs the real `loa` binary; resolves with its exit code and output (never rejects on a non-zero exit). */
function loa(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(ROOT, 'bin/loa.js'), ...args],
      { cwd: dir, env: { ...process.env, LOA_DATA_DIR: dataDir, LOA_LOG_LEVEL: 'warn', ...env }, timeout: 120_000 },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'loa-cli-'));
  docs = join(dir, 'van-ban');
  dataDir = join(dir, 'data');
  mkdirSync(docs);
  writeFileSync(join(docs, 'luat-cu-tru.txt'), LAW);
  writeFileSync(join(docs, 'luat-cu-tru.txt.meta.yaml'), 'title: Luật Cư trú\nstatus: in_force\n');
  writeFileSync(join(docs, 'ghi-chu.md'), '# Ghi chú\n\n## Giờ làm việc\nTừ thứ Hai đến thứ Sáu.\n');
  writeFileSync(join(docs, 'bang-phi.xlsx'), 'PK');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loa ingest', () => {
  it('documents itself in --help', async () => {
    const r = await loa(['ingest', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: loa ingest \[options\] <paths\.\.\.>/);
    expect(r.stdout).toContain('--json');
  });

  it('ingests a folder, reports skipped files, rebuilds the index, and is a no-op the second time', async () => {
    const first = await loa(['ingest', 'van-ban', '--json']);
    expect(first.code).toBe(0);
    const summary = JSON.parse(first.stdout) as IngestSummary & { indexRebuilt: boolean };
    expect(summary.documents).toEqual({ added: 2, replaced: 0, unchanged: 0 });
    expect(summary.articles).toBe(6);
    expect(summary.skipped).toEqual([{ source: 'bang-phi.xlsx', reason: 'unsupported file type (.xlsx)' }]);
    expect(summary.indexRebuilt).toBe(true);
    expect(existsSync(join(dataDir, 'loa.sqlite'))).toBe(true);
    expect(existsSync(join(dataDir, 'index'))).toBe(true);
    // Not a terminal: one plain progress line per file on stderr.
    expect(first.stderr).toMatch(/\[\d\/3\] added luat-cu-tru\.txt: 6 articles/);

    const second = await loa(['ingest', 'van-ban']);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('Documents: 0 added, 0 replaced, 2 unchanged');
    expect(second.stdout).toContain('  - bang-phi.xlsx: unsupported file type (.xlsx)');
    expect(second.stdout).not.toContain('Retrieval index rebuilt');
  });

  it('exits 1 when every input failed', async () => {
    writeFileSync(join(dir, 'rong.txt'), '');
    const r = await loa(['ingest', 'rong.txt', 'khong-co']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('  - rong.txt: empty file');
    expect(r.stdout).toContain('  - khong-co: not found');
    expect(r.stderr).toContain('nothing was ingested');
  });
});
