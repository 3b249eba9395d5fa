import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { readFile, writeFile } from 'node:fs/promises';
import { loadConfig } from '../config.ts';
import { embeddingsOptions } from '../embeddings-options.ts';
import { createLogger } from '../logger.ts';

/** Questions between two progress lines when stderr is not a terminal: about 20 lines in all, at least every 10. */
export function progressStep(total: number): number {
  return Math.max(10, Math.ceil(total / 20 / 10) * 10);
}

/** One progress line for a log, e.g. "eval: 40/200 questions (20%), 3.1 s". */
export function progressLine(done: number, total: number, elapsedMs: number): string {
  return `eval: ${done}/${total} questions (${Math.round((done / total) * 100)}%), ${(elapsedMs / 1000).toFixed(1)} s`;
}

interface EvalCliOptions {
  corpus: string;
  questions: string;
  out?: string;
  json?: boolean;
  withChoices?: boolean;
}

/**
 * `loa eval --corpus <corpus.jsonl> --questions <questions.jsonl>`: builds an in-memory
 * retriever from a JSONL corpus (no knowledge store needed) and reports Recall@1/5/10,
 * MRR@10 (overall and per `split`/`style`), abstention on in-scope and out-of-scope
 * questions, and latency per question.
 */
export function registerEval(program: Command): void {
  program
    .command('eval')
    .description('Evaluate retrieval on a JSONL corpus and questions file: Recall@k, MRR@10, abstention, latency')
    .requiredOption('--corpus <file>', 'JSONL corpus: {id, title, text, law_id?, article_id?} per line')
    .requiredOption('--questions <file>', 'JSONL questions: {id, question, relevant: [ids], split?, style?, in_scope?, choices?} per line')
    .option('--out <file>', 'write per-question results (JSONL: {id, ranked, cited, outcome, abstained, confidence})')
    .option('--json', 'print the summary as JSON on stdout')
    .option('--with-choices', 'append multiple-choice options to the question text')
    .action(async (opts: EvalCliOptions) => {
      const config = loadConfig();
      const logger = createLogger(config.LOA_LOG_LEVEL === 'info' ? 'warn' : config.LOA_LOG_LEVEL);
      // Heavy modules are loaded only for this command.
      const { parseJsonlCorpus } = await import('../../knowledge/parse/jsonl.ts');
      const { buildRetriever } = await import('../../retrieval/index.ts');
      const { parseQuestions, runEvaluation, summarize, formatSummary } = await import('../../retrieval/evaluate.ts');

      const corpus = parseJsonlCorpus(await readFile(opts.corpus, 'utf8'), opts.corpus);
      if (corpus.errors.length > 0) process.stderr.write(`loa: ${corpus.errors.length} corpus line(s) skipped (first: line ${corpus.errors[0].line}: ${corpus.errors[0].reason})\n`);
      const parsed = parseQuestions(await readFile(opts.questions, 'utf8'));
      if (parsed.errors.length > 0) process.stderr.write(`loa: ${parsed.errors.length} question line(s) skipped (first: line ${parsed.errors[0].line}: ${parsed.errors[0].reason})\n`);
      if (parsed.questions.length === 0) throw new Error(`no questions in ${opts.questions}`);

      const started = performance.now();
      const retriever = await buildRetriever(corpus.documents, {
        abstainThreshold: config.LOA_ABSTAIN_THRESHOLD,
        clarifyFloor: config.LOA_CLARIFY_FLOOR,
        agencyName: config.LOA_AGENCY_NAME,
        logger,
        embeddings: embeddingsOptions(config),
      });
      const buildMs = performance.now() - started;

      const tty = process.stderr.isTTY;
      const bar = new cliProgress.SingleBar(
        { format: 'Evaluating [{bar}] {value}/{total} questions', stream: process.stderr, hideCursor: true, noTTYOutput: false },
        cliProgress.Presets.shades_classic,
      );
      if (tty) bar.start(parsed.questions.length, 0);
      const total = parsed.questions.length;
      const every = progressStep(total);
      const evalStarted = performance.now();
      const outcomes = await runEvaluation(retriever, parsed.questions, {
        withChoices: opts.withChoices,
        onProgress: (done) => {
          if (tty) bar.update(done);
          // Piped (CI, a log file): a plain line now and then instead of a bar nobody sees.
          else if (done % every === 0 || done === total) process.stderr.write(`${progressLine(done, total, performance.now() - evalStarted)}\n`);
        },
      });
      if (tty) bar.stop();
      const summary = summarize(outcomes);

      if (opts.out) {
        const lines = outcomes.map((o) =>
          JSON.stringify({ id: o.id, ranked: o.ranked, cited: o.cited, outcome: o.outcome, abstained: o.abstained, confidence: o.confidence }),
        );
        await writeFile(opts.out, `${lines.join('\n')}\n`);
      }
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ ...summary, buildMs: Math.round(buildMs), questions: outcomes.length }, null, 2)}\n`);
      } else {
        process.stdout.write(`Corpus: ${corpus.documents.length} documents; index built in ${(buildMs / 1000).toFixed(1)} s\n`);
        process.stdout.write(`${formatSummary(summary)}\n`);
        if (opts.out) process.stdout.write(`Per-question results: ${opts.out}\n`);
      }
    });
}
