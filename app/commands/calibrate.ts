import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';

interface CalibrateCliOptions {
  questions?: string;
  store: boolean;
  dryRun?: boolean;
  threshold?: string;
}

/** A reviewed labelled question: `{question, unit_id}` or the eval format `{question, relevant: [id]}`. */
const lineSchema = z.union([
  z.object({ question: z.string().min(1), unit_id: z.string().min(1) }).transform((l) => ({ question: l.question, unitId: l.unit_id })),
  z.object({ question: z.string().min(1), relevant: z.array(z.string().min(1)).min(1) }).transform((l) => ({ question: l.question, unitId: l.relevant[0] })),
]);


/**
 * `loa calibrate`: refits confidence on the agency's own labelled questions: the choices
 * citizens made among clarify options, the wording of approved FAQs, and an optional
 * reviewed file. Prints how the answer rate and the share of right answers change, then
 * writes `<LOA_DATA_DIR>/confidence.json` (unless `--dry-run`).
 */
export function registerCalibrate(program: Command): void {
  program
    .command('calibrate')
    .description("Refit answer confidence on this agency's labelled questions (clarify choices, approved FAQs, a reviewed file)")
    .option('--questions <file>', 'JSONL of reviewed labels: {question, unit_id} or {question, relevant: [id]} per line')
    .option('--no-store', 'ignore the clarify choices and approved FAQs in the store')
    .option('--threshold <t>', 'answer threshold to report at (default LOA_ABSTAIN_THRESHOLD)')
    .option('--dry-run', 'report only; do not write the calibration')
    .action(async (opts: CalibrateCliOptions) => {
      const config = loadConfig();
      const logger = createLogger(config.LOA_LOG_LEVEL === 'info' ? 'warn' : config.LOA_LOG_LEVEL);
      const { openRuntime } = await import('../runtime.ts');
      const { CALIBRATION_FILE, calibrationSamples, fitConfidence, precisionAt, writeConfidenceModel } = await import('../../retrieval/calibrate.ts');
      const file = join(config.dataDir, CALIBRATION_FILE);
      const { DEFAULT_CONFIDENCE_MODEL } = await import('../../retrieval/confidence.ts');
      const runtime = await openRuntime(config, { logger });
      try {
        const labels: { question: string; unitId: string }[] = [];
        if (opts.questions) {
          (await readFile(opts.questions, 'utf8')).split(/\r?\n/).forEach((raw, i) => {
            if (!raw.trim()) return;
            const r = lineSchema.safeParse(JSON.parse(raw));
            if (!r.success) throw new Error(`${opts.questions}:${i + 1}: expected {question, unit_id} or {question, relevant: [id]}`);
            labels.push(r.data);
          });
        }
        if (opts.store) {
          for (let after = 0; ; ) {
            const page = await runtime.storage.examples.list({ after, limit: 500 });
            if (page.length === 0) break;
            labels.push(...page.map((e) => ({ question: e.question, unitId: e.unitId })));
            after = page[page.length - 1].id;
          }
          for (const faq of await runtime.storage.faqs.list({ status: 'approved' })) labels.push(...faq.questions.map((q) => ({ question: q, unitId: `faq::${faq.id}` })));
        }
        if (labels.length === 0) throw new Error('no labelled questions: pass --questions <file>, or let citizens choose among clarify options first');
        const samples = await calibrationSamples(runtime.retriever(), labels);
        const threshold = opts.threshold !== undefined ? Number(opts.threshold) : config.LOA_ABSTAIN_THRESHOLD;
        const current = runtime.retriever().confidenceModel ?? DEFAULT_CONFIDENCE_MODEL;
        const fitted = fitConfidence(samples, current);
        const show = (name: string, m: typeof fitted) => {
          const p = precisionAt(m, samples, threshold);
          return `${name}: answers ${(p.answered * 100).toFixed(1)}% of them, right ${(p.right * 100).toFixed(1)}% of those`;
        };
        process.stdout.write(`${samples.length} labelled questions (${samples.filter((s) => s.label === 1).length} with the labelled unit on top), threshold ${threshold}\n`);
        process.stdout.write(`${show('current', current)}\n${show('refitted', fitted)}\n`);
        if (opts.dryRun) return;
        await writeConfidenceModel(file, fitted, samples.length);
        process.stdout.write(`written to ${file}; a running server uses it after its next index refresh or restart\n`);
      } finally {
        await runtime.close();
      }
    });
}
