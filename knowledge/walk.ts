import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { isSidecar } from './metadata.ts';

/** A file found under an argument of `loa ingest`, with the folder its id is relative to. */
export interface FoundFile {
  path: string;
  /** Path relative to the folder given (for a single file: its own name). */
  relative: string;
}

export interface WalkResult {
  files: FoundFile[];
  missing: { source: string; reason: string }[];
}

/** "README.md", "readme.txt" …: notes about a folder of documents, not one of them. */
export function isFolderReadme(name: string): boolean {
  return /^readme(\.[a-z]+)?$/iu.test(name);
}

/**
 * Expands files and folders into the files to ingest. Folders are walked recursively in a
 * stable order; hidden files and folders (".git", ".DS_Store"), sidecar metadata files and a
 * folder's README (which describes the folder) are left out because they are not documents.
 * A README named explicitly is still ingested.
 */
export async function collectFiles(paths: string[]): Promise<WalkResult> {
  const files: FoundFile[] = [];
  const missing: WalkResult['missing'] = [];
  const seen = new Set<string>();
  const add = (path: string, root: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    files.push({ path, relative: relative(root, path) });
  };

  async function walk(dir: string, root: string): Promise<void> {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const full = join(dir, e.name);
      // Symlinked folders are not followed: they can loop.
      if (e.isDirectory()) await walk(full, root);
      else if ((e.isFile() || e.isSymbolicLink()) && !isSidecar(e.name) && !isFolderReadme(e.name)) {
        if (e.isSymbolicLink() && !(await stat(full).catch(() => undefined))?.isFile()) continue;
        add(full, root);
      }
    }
  }

  for (const p of paths) {
    const full = resolve(p);
    const st = await stat(full).catch(() => undefined);
    if (!st) missing.push({ source: p, reason: 'not found' });
    else if (st.isDirectory()) await walk(full, full);
    else if (isSidecar(full)) missing.push({ source: p, reason: `a sidecar metadata file, not a document (it describes ${basename(full).replace(/\.meta\.(ya?ml|json)$/iu, '')})` });
    else add(full, dirname(full));
  }
  return { files, missing };
}
