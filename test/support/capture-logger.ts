import { pino, type Logger } from 'pino';

/** A debug-level pino logger whose output tests can read. */
export interface CapturedLogger {
  logger: Logger;
  /** Each JSON log line as written. */
  lines(): string[];
  /** Each log line parsed. */
  records(): Array<Record<string, unknown>>;
  /** Everything written, as one string (to check a secret never appears). */
  raw(): string;
}

export function captureLogger(): CapturedLogger {
  const chunks: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (s: string) => chunks.push(s) });
  const lines = () => chunks.join('').split('\n').filter(Boolean);
  return {
    logger,
    lines,
    records: () => lines().map((l) => JSON.parse(l) as Record<string, unknown>),
    raw: () => chunks.join(''),
  };
}
