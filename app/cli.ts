import { Command } from 'commander';

type Register = (program: Command) => void;

/**
 * Each sub-command lives in `app/commands/<name>.ts`.
 * They are imported on demand: `loa ask` should not pay for loading the channel SDKs.
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  serve: async () => (await import('./commands/serve.ts')).registerServe,
  ingest: async () => (await import('./commands/ingest.ts')).registerIngest,
  ask: async () => (await import('./commands/ask.ts')).registerAsk,
  eval: async () => (await import('./commands/eval.ts')).registerEval,
  calibrate: async () => (await import('./commands/calibrate.ts')).registerCalibrate,
  user: async () => (await import('./commands/user.ts')).registerUser,
  citizen: async () => (await import('./commands/citizen.ts')).registerCitizen,
  backup: async () => (await import('./commands/backup.ts')).registerBackup,
  restore: async () => (await import('./commands/backup.ts')).registerRestore,
};

/** The `loa` command line; with `only`, just that sub-command is loaded. */
export async function buildProgram(only?: string): Promise<Command> {
  const program = new Command('loa')
    .description("Loa: answers citizens' questions from official documents, with citations")
    .version('0.1.0')
    .showHelpAfterError();
  const names = only && only in COMMANDS ? [only] : Object.keys(COMMANDS);
  for (const name of names) (await COMMANDS[name]())(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    const program = await buildProgram(argv[2]);
    await program.parseAsync(argv);
  } catch (e) {
    console.error(`loa: ${(e as Error).message}`);
    process.exitCode = 1;
  }
}
