import { articleKeyOf, outline } from './draft.ts';
import { detectCampaigns, type Campaign } from './themes.ts';
import { COMMENT_CHANNELS, STANCES, type CommentChannel, type ConsultationComment, type DraftUnit, type Stance } from './types.ts';

/** The console's figures for one consultation, computed from its comments in one pass. */
export interface ConsultationStats {
  comments: number;
  participants: number;
  hidden: number;
  withdrawn: number;
  byChannel: Record<CommentChannel, number>;
  /** Comments per day (Vietnam time), oldest first. */
  byDay: { day: string; count: number; byChannel: Partial<Record<CommentChannel, number>> }[];
  /** Per article of the current version, in draft order: the heat map and stance bars. */
  byArticle: { key: string; label: string; heading?: string; comments: number; stances: Record<Stance, number>; heat: number }[];
  /** Comments whose unit no longer exists in the current version. */
  detached: number;
  campaigns: Campaign[];
}

/** Vietnam is UTC+7 all year (no daylight saving): the day is the shifted ISO date, no Intl per comment. */
const VN_OFFSET_MS = 7 * 3_600_000;
const vnDay = (iso: string): string => new Date(Date.parse(iso) + VN_OFFSET_MS).toISOString().slice(0, 10);

/** `all` includes hidden and withdrawn comments (they are counted, not shown). */
export function computeStats(all: readonly ConsultationComment[], units: readonly DraftUnit[]): ConsultationStats {
  const visible = all.filter((c) => !c.hidden && !c.withdrawn);
  const byChannel = Object.fromEntries(COMMENT_CHANNELS.map((ch) => [ch, 0])) as Record<CommentChannel, number>;
  const days = new Map<string, { count: number; byChannel: Partial<Record<CommentChannel, number>> }>();
  const articles = new Map(outline(units).map((u) => [u.key, { key: u.key, label: u.label, heading: u.heading, comments: 0, stances: zeroStances(), heat: 0 }]));
  const people = new Set<string>();
  let detached = 0;
  for (const c of visible) {
    byChannel[c.channel]++;
    people.add(`${c.channel}:${c.citizenId}`);
    const day = vnDay(c.createdAt);
    const d = days.get(day) ?? { count: 0, byChannel: {} };
    d.count++;
    d.byChannel[c.channel] = (d.byChannel[c.channel] ?? 0) + 1;
    days.set(day, d);
    const a = c.currentUnitKey === undefined ? undefined : articles.get(articleKeyOf(c.currentUnitKey));
    if (!a) {
      detached++;
      continue;
    }
    a.comments++;
    a.stances[c.stance]++;
  }
  const max = Math.max(1, ...[...articles.values()].map((a) => a.comments));
  for (const a of articles.values()) a.heat = Math.round((a.comments / max) * 100) / 100;
  return {
    comments: visible.length,
    participants: people.size,
    hidden: all.filter((c) => c.hidden).length,
    withdrawn: all.filter((c) => c.withdrawn && !c.hidden).length,
    byChannel,
    byDay: [...days.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([day, v]) => ({ day, ...v })),
    byArticle: [...articles.values()],
    detached,
    campaigns: detectCampaigns(visible.map((c) => ({ ...c, unitKey: c.currentUnitKey ?? c.unitKey }))),
  };
}

function zeroStances(): Record<Stance, number> {
  return Object.fromEntries(STANCES.map((s) => [s, 0])) as Record<Stance, number>;
}
