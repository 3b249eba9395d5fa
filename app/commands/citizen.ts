import type { Command } from 'commander';
import { z } from 'zod';
import { loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import { CHANNELS } from '../../bots/core/types.ts';
import { openStorage } from '../../storage/index.ts';
import { createAuditLog } from '../../admin/audit/audit-log.ts';
import { forgetCitizen, previewCitizen } from '../../admin/privacy/forget-citizen.ts';

const optionsSchema = z.object({
  channel: z.enum(CHANNELS),
  user: z.string().trim().min(1).max(256),
  yes: z.boolean().optional(),
});

const LABELS: Record<string, string> = {
  turns: 'conversation turns (texts erased, counts kept)',
  feedback: '  of which with 👍/👎 feedback',
  inbox: 'incoming messages (deleted)',
  outbox: 'messages sent to them (deleted)',
  escalations: 'escalations (question, answer, name erased)',
  webchatMessages: 'web chat messages (deleted with the session)',
  examples: 'labelled examples (deleted)',
  faqDrafts: 'FAQ drafts from their questions (flagged for review)',
};

/**
 * `loa citizen forget --channel <c> --user <id> [--yes]`: a citizen's request to erase their
 * data (Decree 13/2023/NĐ-CP). Without `--yes` it only shows what would be erased; with it,
 * erases and records `citizen.forget` (actor `cli`, the citizen by pseudonym) in the audit trail.
 */
export function registerCitizen(program: Command, env: Record<string, string | undefined> = process.env): void {
  const citizen = program.command('citizen').description("Citizens' personal data (Decree 13/2023/NĐ-CP)");
  citizen
    .command('forget')
    .description("Erase one citizen's data: shows the counts, and erases with --yes")
    .requiredOption('--channel <channel>', CHANNELS.join(', '))
    .requiredOption('--user <id>', "the channel's user id (web chat: the session id)")
    .option('--yes', 'erase (without it, only show what would be erased)')
    .action(async (opts: unknown) => {
      const input = optionsSchema.safeParse(opts);
      if (!input.success) throw new Error(input.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; '));
      const config = loadConfig(env);
      const logger = createLogger(config.LOA_LOG_LEVEL);
      const storage = await openStorage(config);
      try {
        const ref = { channel: input.data.channel, userId: input.data.user };
        const preview = await previewCitizen(storage, ref);
        const lines = Object.entries(preview.counts).map(([k, n]) => `  ${String(n).padStart(6)}  ${LABELS[k] ?? k}`);
        process.stdout.write(`Citizen ${preview.pseudonym} on ${ref.channel}:\n${lines.join('\n')}\n`);
        if (!input.data.yes) {
          process.stdout.write('Nothing erased. Run again with --yes to erase.\n');
          return;
        }
        const done = await forgetCitizen({ privacy: storage.privacy, secrets: storage.secrets, audit: createAuditLog(storage.audit, logger) }, ref, 'cli', new Date());
        process.stdout.write(`Erased. ${done.flaggedFaqIds.length} FAQ draft(s) flagged for review${done.flaggedFaqIds.length ? `: ${done.flaggedFaqIds.join(', ')}` : ''}.\n`);
      } finally {
        await storage.close();
      }
    });
}
