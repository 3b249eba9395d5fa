import type { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import { openStorage } from '../../storage/index.ts';
import { DuplicateEmailError } from '../../admin/ports.ts';
import { createAuditLog } from '../../admin/audit/audit-log.ts';
import { generatePassword, hashPassword } from '../../admin/auth/password.ts';
import { createStaffUser } from '../../admin/users/create-user.ts';
import { emailSchema, newUserSchema, passwordSchema } from '../../admin/users/schemas.ts';

interface AddOptions {
  email: string;
  name: string;
  role: string;
  password?: string;
}

interface ResetOptions {
  email: string;
  password?: string;
}

/**
 * `loa user add --email --name --role [--password]`: creates a console account directly in
 * the store (e.g. the first administrator). Without `--password` a one-time password is
 * printed once (and must be changed at the first sign-in). Recorded in the audit trail with
 * actor `cli`.
 *
 * `loa user reset-password --email [--password]`: the operator's way back in when nobody can
 * sign in (forgotten password, lost phone, everyone locked out). Sets a new password
 * (generated and printed once unless given), which must be changed at the next sign-in,
 * turns the second factor off, lifts the account's lockouts, ends its sessions, and is audited.
 *
 * `loa user reset-totp <email>`: a lost phone without recovery codes. Turns the second factor
 * off and deletes the recovery codes, ends the account's sessions, and is audited; the password
 * stays. Where `LOA_REQUIRE_TOTP` applies, the next sign-in asks to enrol again.
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

  user
    .command('reset-password')
    .description('Set a new password for a console account (generated and printed once unless --password is given)')
    .requiredOption('--email <email>', 'sign-in email of the account')
    .option('--password <password>', 'the new password (at least 10 characters, not a common one); generated when omitted')
    .action(async (opts: ResetOptions) => {
      const email = emailSchema.safeParse(opts.email);
      if (!email.success) throw new Error(`email: ${email.error.issues[0]?.message}`);
      if (opts.password !== undefined) {
        const password = passwordSchema.safeParse(opts.password);
        if (!password.success) throw new Error(`password: ${password.error.issues[0]?.message}`);
      }
      const config = loadConfig(env);
      const logger = createLogger(config.LOA_LOG_LEVEL);
      const storage = await openStorage(config);
      try {
        const account = await storage.users.getByEmail(email.data);
        if (!account) throw new Error(`${email.data} has no account`);
        const generated = opts.password === undefined ? generatePassword() : undefined;
        await storage.users.setPassword(account.id, await hashPassword(opts.password ?? (generated as string)), new Date(), { mustChange: true });
        // Account recovery (a lost phone, too): the second factor is turned off; the person turns it on again.
        await storage.users.setTotp(account.id, undefined, new Date());
        await storage.recoveryCodes.deleteForUser(account.id);
        const ended = await storage.staffSessions.deleteForUser(account.id);
        await createAuditLog(storage.audit, logger).record({ actor: 'cli', action: 'user.reset_password', target: `user:${account.id}`, details: { email: account.email, sessionsEnded: ended } });
        process.stdout.write(`Password reset for ${account.email}; ${ended} session(s) signed out. It must be changed at the next sign-in.\n`);
        if (generated) process.stdout.write(`One-time password (shown once): ${generated}\n`);
      } finally {
        await storage.close();
      }
    });

  user
    .command('reset-totp')
    .description('Turn off the second factor of a console account (lost phone); it is asked for again at the next sign-in where LOA_REQUIRE_TOTP applies')
    .argument('[email]', 'sign-in email of the account')
    .option('--email <email>', 'the same, as an option')
    .action(async (positional: string | undefined, opts: { email?: string }) => {
      const email = emailSchema.safeParse(positional ?? opts.email);
      if (!email.success) throw new Error(`email: ${email.error.issues[0]?.message ?? 'required'}`);
      const config = loadConfig(env);
      const logger = createLogger(config.LOA_LOG_LEVEL);
      const storage = await openStorage(config);
      try {
        const account = await storage.users.getByEmail(email.data);
        if (!account) throw new Error(`${email.data} has no account`);
        const wasOn = account.totpEnabled === true;
        await storage.users.setTotp(account.id, undefined, new Date());
        const codes = await storage.recoveryCodes.deleteForUser(account.id);
        const ended = await storage.staffSessions.deleteForUser(account.id);
        await createAuditLog(storage.audit, logger).record({
          actor: 'cli',
          action: 'user.reset_totp',
          target: `user:${account.id}`,
          details: { email: account.email, wasOn, recoveryCodesDeleted: codes, sessionsEnded: ended },
        });
        process.stdout.write(
          `Second factor ${wasOn ? 'turned off' : 'was already off'} for ${account.email}; ${codes} recovery code(s) deleted, ${ended} session(s) signed out.\n`,
        );
      } finally {
        await storage.close();
      }
    });
}
