import { z } from 'zod';

/**
 * A document's link, as given in front matter, a sidecar, a JSONL corpus or the console:
 * http(s) only. It is shown to citizens and returned by `/api/ask`, so `javascript:` or
 * `data:` must never get through.
 */
export const httpUrlSchema = z.url({ protocol: /^https?$/, message: 'must be an http:// or https:// link' }).max(2000);

/** The link if it is http(s), else undefined (for data stored before the check existed). */
export function httpUrlOrUndefined(value: string | undefined): string | undefined {
  return value !== undefined && httpUrlSchema.safeParse(value).success ? value : undefined;
}
