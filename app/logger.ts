import { pino, type Logger } from 'pino';

export type { Logger };

/** Structured JSON logs on stderr, so stdout stays clean for CLI output such as `ask --json`. */
export function createLogger(level: string = process.env.LOA_LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { app: 'loa' } }, pino.destination(2));
}
