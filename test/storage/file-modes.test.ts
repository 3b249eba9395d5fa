import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../app/config.ts';
import { openRuntime } from '../../app/runtime.ts';

let root: string | undefined;
afterEach(() => {
  if (root) rmSync(root, { recursive: true, force: true });
  root = undefined;
});

const mode = (path: string) => statSync(path).mode & 0o777;

/** Every file and folder under `dir` with its mode, as `relative path: octal`. */
function modes(dir: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const rel = prefix + name;
    out[rel] = mode(path).toString(8);
    if (statSync(path).isDirectory()) Object.assign(out, modes(path, `${rel}/`));
  }
  return out;
}

describe('data directory permissions', () => {
  it('creates the data directory 0700 and the database, WAL, shared-memory and index files 0600, whatever the umask', async () => {
    root = mkdtempSync(join(tmpdir(), 'loa-modes-'));
    const dataDir = join(root, 'data');
    const previous = process.umask(0o022);
    try {
      const runtime = await openRuntime(loadConfig({ LOA_DATA_DIR: dataDir, LOA_LOG_LEVEL: 'silent' }));
      await runtime.close();
    } finally {
      process.umask(previous);
    }
    expect(mode(dataDir).toString(8)).toBe('700');
    const all = modes(dataDir);
    expect(Object.keys(all)).toEqual(expect.arrayContaining(['loa.sqlite', 'index', 'index/manifest.json']));
    for (const [path, m] of Object.entries(all)) {
      expect(`${path}: ${m}`).toBe(`${path}: ${statSync(join(dataDir, path)).isDirectory() ? '700' : '600'}`);
    }
  });

  it('tightens a data directory and database left world-readable by an older version', async () => {
    root = mkdtempSync(join(tmpdir(), 'loa-modes-'));
    const dataDir = join(root, 'data');
    mkdirSync(dataDir, { mode: 0o755 });
    chmodSync(dataDir, 0o755);
    writeFileSync(join(dataDir, 'loa.sqlite'), '');
    chmodSync(join(dataDir, 'loa.sqlite'), 0o644);
    const runtime = await openRuntime(loadConfig({ LOA_DATA_DIR: dataDir, LOA_LOG_LEVEL: 'silent', LOA_SAMPLE_KNOWLEDGE: 'false' }));
    try {
      expect(mode(dataDir).toString(8)).toBe('700');
      expect(mode(join(dataDir, 'loa.sqlite')).toString(8)).toBe('600');
      expect(mode(join(dataDir, 'loa.sqlite-wal')).toString(8)).toBe('600');
    } finally {
      await runtime.close();
    }
  });
});
