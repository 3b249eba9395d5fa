/**
 * Start-up failures an operator can fix, told in words: which path, and why (permission,
 * read-only file system, full disk). Used where Loa first writes to LOA_DATA_DIR.
 */
const CAUSES: Record<string, string> = {
  EACCES: 'permission denied: the user running Loa cannot write there',
  EPERM: 'operation not permitted on this path',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exhausted',
  ENOTDIR: 'a part of the path is a file, not a directory',
  SQLITE_FULL: 'the disk is full (or the database reached its size limit)',
  SQLITE_READONLY: 'the database file or its directory is read-only',
  SQLITE_CANTOPEN: 'the database file cannot be opened (missing directory or no permission)',
  SQLITE_IOERR: 'input/output error (a failing or full disk)',
  SQLITE_CORRUPT: 'the database file is damaged (restore a backup: loa restore)',
  SQLITE_NOTADB: 'the file is not a SQLite database',
};

/** The error code of a Node or SQLite error (`SQLITE_IOERR_WRITE` counts as `SQLITE_IOERR`). */
function codeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | undefined)?.code;
  if (typeof code !== 'string') return undefined;
  return CAUSES[code] ? code : Object.keys(CAUSES).find((k) => code.startsWith(`${k}_`)) ?? code;
}

/** A readable cause for `err`, with the original message kept for the details. */
export function describeCause(err: unknown): string {
  const code = codeOf(err);
  const message = err instanceof Error ? err.message : String(err);
  const cause = code ? CAUSES[code] : undefined;
  return cause ? `${cause} (${code}: ${message})` : message;
}

/** An error that says what Loa was doing, on which path, and why it failed. */
export function startupError(action: string, path: string, err: unknown): Error {
  return new Error(`${action} ${path}: ${describeCause(err)}`, { cause: err });
}
