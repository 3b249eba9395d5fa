import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Loa's data directory holds citizens' conversations, staff password hashes and channel
 * tokens: only the account Loa runs as may read it. Directories are 0700, files 0600,
 * whatever the umask; directories and files left by an older version are tightened.
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Creates `dir` (and missing parents) as 0700, or tightens it if it exists. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  chmodSync(dir, PRIVATE_DIR_MODE);
}

/** Creates an empty file as 0600 if missing, or tightens it: SQLite then gives its WAL and shared-memory files the same mode. */
export function ensurePrivateFile(file: string): void {
  closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
  chmodSync(file, PRIVATE_FILE_MODE);
}

/** Tightens an existing file, if it exists. */
export function privatizeIfExists(file: string): void {
  if (existsSync(file)) chmodSync(file, PRIVATE_FILE_MODE);
}

/** Makes every directory under `dir` (and itself) 0700 and every file 0600. */
export function privatizeTree(dir: string): void {
  chmodSync(dir, PRIVATE_DIR_MODE);
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) privatizeTree(path);
    else chmodSync(path, PRIVATE_FILE_MODE);
  }
}
