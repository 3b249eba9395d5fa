import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { relative } from 'node:path';
import { loadConfig, parseLimitsOf } from '../config.ts';
import { createLogger } from '../logger.ts';
import { openStorage } from '../../storage/index.ts';
import { ingestPaths, type IngestProgress } from '../../knowledge/ingest.ts';
import type { IngestSummary } from '../../knowledge/types.ts';

interface IngestCliOptions {
  json?: boolean;
}

const MAX_LISTED = 50;

/** The human-readable summary printed after an ingest. */
export function formatSummary(summary: IngestSummary, indexRebuilt: boolean): string {
  const d = summary.documents;
  const lines = [
    `Documents: ${d.added} added, ${d.replaced} replaced, ${d.unchanged} unchanged`,
    `Articles: ${summary.articles}, units: ${summary.units}`,
  ];
  if (summary.skipped.length > 0) {
    lines.push(`Skipped (${summary.skipped.length}):`);
    // A corpus with thousands of bad lines should not bury the rest of the summary (--json lists them all).
    for (const s of summary.skipped.slice(0, MAX_LISTED)) lines.push(`  - ${s.source}: ${s.reason}`);
    if (summary.skipped.length > MAX_LISTED) lines.push(`  … and ${summary.skipped.length - MAX_LISTED} more (use --json to list them all)`);
  }
  for (const w of summary.warnings) lines.push(`Warning: ${w}`);
  if (indexRebuilt) lines.push('Retrieval index rebuilt.');
  return lines.join('\n');
}

/** Progress on stderr: a bar on a terminal, one plain line per file otherwise (logs, CI). */
function progressReporter(label: string) {
  if (!process.stderr.isTTY) {
    return {
      update: (p: IngestProgress) => process.stderr.write(`[${p.done}/${p.total}] ${p.outcome} ${p.source}: ${p.detail}\n`),
      stage: (done: number, total: number, stage: string) => {
        if (done === total || done === 0) process.stderr.write(`${stage}: ${done}/${total}\n`);
      },
      stop: () => undefined,
    };
  }
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {value}/{total} {item}`, stream: process.stderr, hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  const ensure = (total: number) => {
    if (!started) bar.start(total, 0, { item: '' });
    started = true;
    bar.setTotal(total);
  };
  return {
    update: (p: IngestProgress) => {
      ensure(p.total);
      bar.update(p.done, { item: p.source.length > 50 ? `…${p.source.slice(-49)}` : p.source });
    },
    stage: (done: number, total: number, stage: string) => {
      ensure(total);
      bar.update(done, { item: stage });
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

/**
 * `loa ingest <paths...>`: loads official documents into the knowledge store under
 * LOA_DATA_DIR, then rebuilds the retrieval index if anything changed.
 */
export function registerIngest(program: Command): void {
  program
    .command('ingest')
    .description('Load official documents (Markdown, text, HTML, DOCX, PDF, JSONL) into the knowledge base (LOA_DATA_DIR)')
    .argument('<paths...>', 'files or folders (walked recursively); metadata in front matter or <file>.meta.yaml')
    .option('--json', 'print the summary as JSON on stdout')
    .addHelpText('after', '\nSee docs/DOCUMENTS.md for formats and metadata. Unchanged files are skipped; changed files replace their old version.')
    .action(async (paths: string[], opts: IngestCliOptions) => {
      const config = loadConfig();
      const storage = await openStorage(config);
      const progress = progressReporter('Ingesting');
      let summary: IngestSummary;
      try {
        summary = await ingestPaths(paths, storage.knowledge, {
          maxFileBytes: config.LOA_MAX_FILE_MB * 1024 * 1024,
          parseLimits: parseLimitsOf(config),
          onProgress: progress.update,
        });
      } finally {
        progress.stop();
        await storage.close();
      }

      const changed = summary.documents.added + summary.documents.replaced > 0;
      let indexRebuilt = false;
      let indexError: string | undefined;
      if (changed) {
        const bar = progressReporter('Indexing');
        try {
          // Loaded only when needed: the retrieval stack is the heavy part of the program.
          const { rebuildIndex } = await import('../runtime.ts');
          const quiet = process.stderr.isTTY && config.LOA_LOG_LEVEL === 'info';
          await rebuildIndex(config, { onProgress: bar.stage, logger: createLogger(quiet ? 'warn' : config.LOA_LOG_LEVEL) });
          indexRebuilt = true;
        } catch (e) {
          indexError = (e as Error).message;
        } finally {
          bar.stop();
        }
      }

      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ ...summary, indexRebuilt, ...(indexError ? { indexError } : {}) }, null, 2)}\n`);
      } else {
        process.stdout.write(`${formatSummary(summary, indexRebuilt)}\n`);
        process.stdout.write(`Knowledge base: ${relative(process.cwd(), config.sqliteFile) || config.sqliteFile}\n`);
      }
      if (indexError) {
        process.stderr.write(`loa: the documents were stored, but rebuilding the retrieval index failed: ${indexError}\n` +
          'It will be rebuilt the next time `loa serve` starts.\n');
        process.exitCode = 1;
      }
      const processed = summary.documents.added + summary.documents.replaced + summary.documents.unchanged;
      if (processed === 0) {
        process.stderr.write(summary.skipped.length > 0 ? 'loa: nothing was ingested: every input was skipped (see above).\n' : 'loa: no documents found.\n');
        process.exitCode = 1;
      }
    });
}
