import type { Command } from 'commander';
import { loadConfig } from '../../app/config.ts';
import { createLogger } from '../../app/logger.ts';
import { openStorage } from '../../storage/index.ts';
import { DuplicateEmailError } from '../../storage/user-store.ts';
import { createAuditLog } from '../audit/audit-log.ts';
import { createStaffUser } from '../users/create-user.ts';
import { newUserSchema } from '../users/schemas.ts';

interface AddOptions {
  email: string;
  name: string;
  role: string;
  password?: string;
}

/**
 * `loa user add --email --name --role [--password]`: creates a console account directly in
 * the store (e.g. the first administrator). Without `--password` a one-time password is
 * printed once. Recorded in the audit trail with actor `cli`.
 */
export function registerUser(program: Command, env: Record<string, string | undefined> = process.env): void {
  const user = program.command('user').description('Manage console (spokesperson) accounts');
  user
    .command('add')
    .description('Create a console account (LOA_DATA_DIR / DATABASE_URL select the store)')
    .requiredOption('--email <email>', 'sign-in email')
    .requiredOption('--name <name>', 'display name')
    .requiredOption('--role <role>', 'admin, spokesperson or viewer')
    .option('--password <password>', `password (at least 10 characters); generated and printed when omitted`)
    .action(async (opts: AddOptions) => {
      const input = newUserSchema.safeParse(opts);
      if (!input.success) throw new Error(input.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; '));
      const config = loadConfig(env);
      const logger = createLogger(config.LOA_LOG_LEVEL);
      const storage = await openStorage(config);
      try {
        const audit = createAuditLog(storage.audit, logger);
        const created = await createStaffUser({ users: storage.users, audit }, input.data, 'cli');
        process.stdout.write(`Created ${created.user.role} ${created.user.email} (id ${created.user.id})\n`);
        if (created.password) process.stdout.write(`One-time password (shown once; change it after signing in): ${created.password}\n`);
      } catch (err) {
        if (err instanceof DuplicateEmailError) throw new Error(`${err.email} already has an account`);
        throw err;
      } finally {
        await storage.close();
      }
    });
}
