import { pushTo } from './collections.ts';
import { articleKeyOf, outline } from './draft.ts';
import { statusOf, vnDate } from './status.ts';
import { RESPONSE_LABELS, type CommentChannel, type Consultation, type ConsultationComment, type DraftVersion, type Theme } from './types.ts';

/**
 * The synthesis in its customary form ("bản tổng hợp, tiếp thu, giải trình ý kiến"): how many
 * were consulted and how many replied, then per article who commented, what they said, and
 * whether it was accepted (tiếp thu, with what changes) or explained (giải trình, why not).
 * Individuals are counted, never named; organisations are named (they comment in public).
 */

/** The four columns of the table, in order. */
export const SYNTHESIS_COLUMNS = ['Điều, khoản', 'Chủ thể góp ý', 'Nội dung góp ý', 'Tiếp thu, giải trình'] as const;

export interface SynthesisRow {
  unit: string;
  who: string;
  said: string;
  response: string;
  /** Comments the row answers. */
  comments: number;
  answered: boolean;
}

export interface Synthesis {
  title: string;
  draftTitle: string;
  version: number;
  period: string;
  consulted: number;
  /** Distinct citizens and organisations with at least one comment. */
  replied: number;
  comments: number;
  byChannel: Partial<Record<CommentChannel, number>>;
  rows: SynthesisRow[];
  /** Comments not yet answered (no theme with a response). */
  unanswered: number;
  status: ReturnType<typeof statusOf>;
}

const CHANNEL_NAMES: Record<CommentChannel, string> = { zalo: 'Zalo', telegram: 'Telegram', webchat: 'trò chuyện trên trang web', botframework: 'Teams', page: 'trang góp ý' };
const MAX_QUOTES = 3;
const MAX_QUOTE_CHARS = 400;

function who(comments: readonly ConsultationComment[]): string {
  const orgs = [...new Set(comments.map((c) => c.organisation?.trim()).filter((o): o is string => !!o))].sort((a, b) => a.localeCompare(b, 'vi'));
  const people = new Map<CommentChannel, Set<string>>();
  for (const c of comments) {
    if (c.organisation?.trim()) continue;
    const set = people.get(c.channel) ?? new Set<string>();
    set.add(c.citizenId);
    people.set(c.channel, set);
  }
  const total = [...people.values()].reduce((n, s) => n + s.size, 0);
  const parts: string[] = [...orgs];
  if (total > 0) {
    // Most used channel first (then by name): the same table whatever order comments arrived in.
    const channels = [...people.entries()]
      .sort(([a, x], [b, y]) => y.size - x.size || a.localeCompare(b))
      .map(([ch, s]) => `${s.size} qua ${CHANNEL_NAMES[ch]}`)
      .join(', ');
    parts.push(`${total} cá nhân (${channels})`);
  }
  return parts.join('; ');
}

function said(label: string | undefined, comments: readonly ConsultationComment[]): string {
  const counts = new Map<string, { text: string; n: number }>();
  for (const c of comments) {
    const e = counts.get(c.fingerprint) ?? { text: c.text, n: 0 };
    e.n++;
    counts.set(c.fingerprint, e);
  }
  const quotes = [...counts.values()]
    .sort((a, b) => b.n - a.n)
    .slice(0, MAX_QUOTES)
    .map((q) => {
      const t = q.text.length > MAX_QUOTE_CHARS ? `${q.text.slice(0, MAX_QUOTE_CHARS - 1)}…` : q.text;
      return q.n > 1 ? `“${t}” (${q.n} ý kiến giống nhau)` : `“${t}”`;
    });
  const more = counts.size > MAX_QUOTES ? [`và ${counts.size - MAX_QUOTES} ý kiến tương tự khác`] : [];
  return [...(label ? [label] : []), ...quotes, ...more].join('\n');
}

export function buildSynthesis(c: Consultation, draft: DraftVersion, comments: readonly ConsultationComment[], themes: readonly Theme[], now: Date): Synthesis {
  const visible = comments.filter((x) => !x.hidden && !x.withdrawn);
  const themeById = new Map(themes.map((t) => [t.id, t]));
  const rows: SynthesisRow[] = [];
  const byArticle = new Map<string, ConsultationComment[]>();
  for (const x of visible) {
    const key = articleKeyOf(x.currentUnitKey ?? `~${x.unitKey}`);
    pushTo(byArticle, key, x);
  }
  const articleOrder = [...outline(draft.units).map((u) => ({ key: u.key, label: `${u.label}${u.heading ? `. ${u.heading}` : ''}` }))];
  // Comments on units a revision removed still get their row, under the unit they were made on.
  for (const key of byArticle.keys()) if (key.startsWith('~')) articleOrder.push({ key, label: `Điều ${key.slice(1)} (dự thảo cũ, đã bỏ)` });
  let unanswered = 0;
  for (const a of articleOrder) {
    const list = byArticle.get(a.key);
    if (!list?.length) continue;
    const groups = new Map<string, ConsultationComment[]>();
    for (const x of list) {
      const g = x.themeId && themeById.has(x.themeId) ? `t:${x.themeId}` : `f:${x.fingerprint}`;
      pushTo(groups, g, x);
    }
    for (const [g, members] of groups) {
      const theme = g.startsWith('t:') ? themeById.get(g.slice(2)) : undefined;
      const answered = theme?.responseKind !== undefined && !!theme.responseText?.trim();
      if (!answered) unanswered += members.length;
      rows.push({
        unit: a.label,
        who: who(members),
        said: said(theme?.label, members),
        response: answered ? `${RESPONSE_LABELS[theme!.responseKind!]}: ${theme!.responseText!.trim()}` : 'Chưa có ý kiến tiếp thu, giải trình.',
        comments: members.length,
        answered,
      });
    }
  }
  const byChannel: Partial<Record<CommentChannel, number>> = {};
  for (const x of visible) byChannel[x.channel] = (byChannel[x.channel] ?? 0) + 1;
  const repliers = new Set(visible.map((x) => (x.organisation?.trim() ? `org:${x.organisation.trim().toLowerCase()}` : `${x.channel}:${x.citizenId}`)));
  return {
    title: `Bản tổng hợp, tiếp thu, giải trình ý kiến góp ý ${c.title}`,
    draftTitle: draft.title,
    version: draft.version,
    period: `${vnDate(c.opensAt)} – ${vnDate(c.closesAt)}`,
    consulted: c.consultedCount,
    replied: repliers.size,
    comments: visible.length,
    byChannel,
    rows,
    unanswered,
    status: statusOf(c, now),
  };
}

/** The counts paragraph at the top of every export. */
export function countsLines(s: Synthesis): string[] {
  const channels = Object.entries(s.byChannel)
    .map(([ch, n]) => `${CHANNEL_NAMES[ch as CommentChannel]}: ${n}`)
    .join('; ');
  return [
    `Dự thảo: ${s.draftTitle} (bản ${s.version}). Thời gian lấy ý kiến: ${s.period}.`,
    `Số cơ quan, tổ chức, cá nhân được lấy ý kiến: ${s.consulted}.`,
    `Số cơ quan, tổ chức, cá nhân có ý kiến: ${s.replied}, với ${s.comments} ý kiến${channels ? ` (${channels})` : ''}.`,
  ];
}
