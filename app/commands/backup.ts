import type { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { backupSqlite, restoreSqlite } from '../../storage/sqlite/backup.ts';

/** What to do instead when the state is in PostgreSQL. */
const PG_HINT =
  'DATABASE_URL is set: the state is in PostgreSQL. Back it up with pg_dump (see docs/DEPLOYMENT.md, "Backup"): ' +
  'pg_dump --format=custom --file=loa.dump "$DATABASE_URL"; restore with pg_restore --clean --if-exists --dbname="$DATABASE_URL" loa.dump';

/** `loa backup <file>` and `loa restore <file>` for the embedded SQLite database. */
export function registerBackup(program: Command): void {
  program
    .command('backup')
    .description('Copy the SQLite database to <file> while Loa runs (SQLite online backup); with PostgreSQL use pg_dump')
    .argument('<file>', 'the backup file to create')
    .action(async (file: string) => {
      const config = loadConfig();
      if (config.DATABASE_URL) throw new Error(PG_HINT);
      const result = await backupSqlite(config.sqliteFile, file);
      process.stdout.write(`Backup written: ${result.file} (${result.bytes} bytes, ${result.pages} pages)\n`);
    });
}

export function registerRestore(program: Command): void {
  program
    .command('restore')
    .description('Replace the SQLite database with a backup made by `loa backup` (stop Loa first); the current one is kept aside')
    .argument('<file>', 'a file made by `loa backup`')
    .action(async (file: string) => {
      const config = loadConfig();
      if (config.DATABASE_URL) throw new Error(PG_HINT);
      const { previous } = await restoreSqlite(file, config.sqliteFile);
      process.stdout.write(
        `Restored ${file} to ${config.sqliteFile}.\n` +
          (previous ? `The database it replaced is kept as ${previous}.\n` : '') +
          'Start Loa again; the retrieval index is rebuilt if the knowledge base differs.\n',
      );
    });
}
