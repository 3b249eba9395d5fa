import { cleanText } from '../postgres/database.ts';

/**
 * A value as the JSON text of a JSON column, on both backends. Strings are cleaned as
 * PostgreSQL needs them (`cleanText`: no NUL, no lone surrogates), so both store the same.
 */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? cleanText(v) : v));
}
