import { z } from 'zod';
import type { ReportRange } from '../ports.ts';
import { CHANNELS } from '../../domain/channel.ts';

/** Longest period one report covers. */
export const MAX_REPORT_DAYS = 366;
/** Default period: the last 30 days, today included. */
export const DEFAULT_REPORT_DAYS = 30;

export const reportQuerySchema = z.object({
  from: z.iso.date().optional().describe('First day (yyyy-mm-dd, inclusive, in the agency time zone); default 29 days before `to`'),
  to: z.iso.date().optional().describe('Last day (yyyy-mm-dd, inclusive); default today'),
  channel: z.enum(CHANNELS).optional().describe('Only this channel'),
});
export type ReportQuery = z.infer<typeof reportQuerySchema>;

/** A report period as the console sees it (days) and as storage queries it (instants). */
export interface ResolvedRange {
  from: string;
  to: string;
  /** Every day of the period, in order. */
  days: string[];
  timezone: string;
  channel?: (typeof CHANNELS)[number];
  query: ReportRange;
}

const DAY_MS = 86_400_000;
const dayMs = (day: string) => Date.parse(`${day}T00:00:00Z`);
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Minutes east of UTC of `timezone` at `at` ("GMT+07:00" → 420). */
export function utcOffsetMinutes(timezone: string, at: Date): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone: timezone, timeZoneName: 'longOffset' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName')?.value;
  const m = /GMT([+-])(\d{1,2}):?(\d{2})?/u.exec(name ?? '');
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

/** Today's date (yyyy-mm-dd) in `timezone`. */
export function todayIn(timezone: string, now: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/**
 * Turns `from`/`to` days into the instants storage compares with. The offset is taken at
 * the start of the period: exact for zones without daylight saving time (Việt Nam), within
 * an hour for the others. Returns a Vietnamese error message for an impossible period.
 */
export function resolveRange(q: ReportQuery, timezone: string, now: Date): ResolvedRange | { error: string } {
  const to = q.to ?? todayIn(timezone, now);
  const from = q.from ?? dayOf(dayMs(to) - (DEFAULT_REPORT_DAYS - 1) * DAY_MS);
  if (from > to) return { error: 'Ngày bắt đầu phải trước hoặc bằng ngày kết thúc.' };
  const count = Math.round((dayMs(to) - dayMs(from)) / DAY_MS) + 1;
  if (count > MAX_REPORT_DAYS) return { error: `Mỗi báo cáo tối đa ${MAX_REPORT_DAYS} ngày.` };
  const days = Array.from({ length: count }, (_, i) => dayOf(dayMs(from) + i * DAY_MS));
  const offset = utcOffsetMinutes(timezone, new Date(dayMs(from)));
  const query: ReportRange = {
    from: new Date(dayMs(from) - offset * 60_000).toISOString(),
    to: new Date(dayMs(to) + DAY_MS - offset * 60_000).toISOString(),
    utcOffsetMinutes: offset,
    ...(q.channel ? { channel: q.channel } : {}),
  };
  return { from, to, days, timezone, ...(q.channel ? { channel: q.channel } : {}), query };
}
