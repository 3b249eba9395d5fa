import { Command } from 'commander';
import { registerServe } from './commands/serve.ts';
import { registerIngest } from './commands/ingest.ts';
import { registerAsk } from './commands/ask.ts';
import { registerEval } from './commands/eval.ts';

/** The `loa` command line. Each sub-command lives in `app/commands/<name>.ts`. */
export function buildProgram(): Command {
  const program = new Command('loa')
    .description('Loa: answers citizens\' questions from official documents, with citations')
    .version('0.1.0')
    .showHelpAfterError();
  registerServe(program);
  registerIngest(program);
  registerAsk(program);
  registerEval(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (e) {
    console.error(`loa: ${(e as Error).message}`);
    process.exitCode = 1;
  }
}
