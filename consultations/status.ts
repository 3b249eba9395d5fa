import type { Consultation, ConsultationStatus } from './types.ts';

/** Where a consultation is in its life, by the clock: upcoming, open, closed, or published. */
export function statusOf(c: Pick<Consultation, 'opensAt' | 'closesAt' | 'publishedAt'>, now: Date): ConsultationStatus {
  if (c.publishedAt) return 'published';
  const t = now.getTime();
  if (t < Date.parse(c.opensAt)) return 'upcoming';
  if (t >= Date.parse(c.closesAt)) return 'closed';
  return 'open';
}

/** True while citizens may comment, change or withdraw. */
export function isOpen(c: Pick<Consultation, 'opensAt' | 'closesAt' | 'publishedAt'>, now: Date): boolean {
  return statusOf(c, now) === 'open';
}

/** "dd/mm/yyyy" in Vietnam's time zone, for citizens' messages. */
export function vnDate(isoTime: string): string {
  return new Date(isoTime).toLocaleDateString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric' });
}
