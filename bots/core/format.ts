import type { OutgoingAction, OutgoingMessage } from '../../domain/channel.ts';
import type { Citation } from '../../domain/citation.ts';

/** How a channel marks up text: Zalo and Bot Framework take plain text, Telegram takes its HTML subset. */
export type Markup = 'plain' | 'html';

export interface RenderOptions {
  /** The channel's limit per message (Zalo 2000, Telegram 4096). */
  maxChars: number;
  markup: Markup;
  /** For channels without buttons: append how to give feedback by keyword. */
  feedbackByKeyword?: boolean;
  /** For channels without buttons: append the actions as numbered lines and keywords. */
  actionsAsText?: boolean;
}

/** Keywords a citizen can reply with on channels without feedback buttons. */
export const FEEDBACK_KEYWORDS = { up: ['👍', 'hữu ích', 'huu ich', 'có ích', 'co ich'], down: ['👎', 'không hữu ích', 'khong huu ich', 'chưa đúng', 'chua dung'] } as const;
export const FEEDBACK_HINT = 'Câu trả lời có hữu ích không? Nhắn 👍 nếu có, 👎 nếu chưa.';

/**
 * Actions as text, for channels without buttons: `choose` and `reason` actions (and `human`
 * next to them) numbered from 1 in order, as the core reads a typed number; "Xem thêm" and a
 * lone "Gặp cán bộ" as keywords.
 */
export function actionsText(actions: readonly OutgoingAction[]): string[] {
  return actionsAsTyped(actions).lines;
}

/**
 * What a citizen types to use each action on a text channel (`typed[i]` for `actions[i]`),
 * and the lines that say so. Also the fallback text of buttons on channels that may send
 * the text instead of the button's value.
 */
export function actionsAsTyped(actions: readonly OutgoingAction[]): { typed: string[]; lines: string[] } {
  const lines: string[] = [];
  const numbered = actions.some((a) => a.kind === 'choose' || a.kind === 'reason');
  let n = 0;
  const typed = actions.map((a) => (a.kind === 'more' ? 'xem thêm' : numbered ? String(++n) : 'gặp cán bộ'));
  if (numbered) {
    actions.forEach((a, i) => a.kind !== 'more' && lines.push(`${typed[i]}. ${a.label}`));
    lines.push(`Nhắn số (${typed.filter((t) => /^\d$/.test(t)).join(', ')}) để chọn.`);
  } else if (actions.some((a) => a.kind === 'human')) {
    lines.push('Nhắn “gặp cán bộ” nếu bạn cần cán bộ phát ngôn hỗ trợ.');
  }
  if (actions.some((a) => a.kind === 'more')) lines.push('Gõ “xem thêm” để đọc tiếp.');
  return { typed, lines };
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The URL normalised when it is http(s), else undefined: only such links are rendered as links, anything else stays text. */
export function safeUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.toString() : undefined;
  } catch {
    return undefined;
  }
}

/** The status note a citizen must see next to a source that is not current law. */
export function statusNote(c: Citation): string | undefined {
  if (c.status === 'superseded') return 'đã được thay thế';
  if (c.status === 'expired') return 'đã hết hiệu lực';
  if (c.status === 'amended') return 'đã được sửa đổi, bổ sung';
  return undefined;
}

/** One footnote line: "[1] Luật Cư trú (68/2020/QH14), Điều 20, Khoản 2 – https://…". */
export function footnote(c: Citation, n: number, markup: Markup): string {
  const notes = [c.number, c.isSummary ? 'bản tóm tắt' : undefined, c.kind === 'faq' ? 'câu trả lời đã duyệt' : undefined, statusNote(c)]
    .filter((x): x is string => Boolean(x));
  const label = `${c.title}${notes.length ? ` (${notes.join('; ')})` : ''}, ${c.section}`;
  const url = safeUrl(c.url);
  if (markup === 'html') {
    const text = escapeHtml(label);
    return `[${n}] ${url ? `<a href="${escapeHtml(url)}">${text}</a>` : text}`;
  }
  return `[${n}] ${label}${url ? ` – ${url}` : ''}`;
}

const sentenceSegmenter = new Intl.Segmenter('vi', { granularity: 'sentence' });

/** Splits text into sentences, keeping their trailing spaces/newlines so joining restores it. */
export function sentences(text: string): string[] {
  return [...sentenceSegmenter.segment(text)].map((s) => s.segment);
}

/** Cuts an over-long piece at whitespace (or hard, if a single word is longer than the limit). */
function hardSplit(piece: string, max: number): string[] {
  const out: string[] = [];
  let rest = piece;
  while (rest.length > max) {
    let cut = rest.lastIndexOf(' ', max);
    if (cut <= 0) cut = max;
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^ /, '');
  }
  if (rest) out.push(rest);
  return out;
}

/**
 * Packs pieces into messages of at most `max` characters, never splitting inside a piece
 * unless the piece alone is too long. Pieces are already rendered (escaped), so markup
 * never spans two messages.
 */
export function pack(pieces: string[], max: number): string[] {
  const out: string[] = [];
  let current = '';
  for (const raw of pieces.flatMap((p) => (p.length > max ? hardSplit(p, max) : [p]))) {
    if (current.length + raw.length > max) {
      if (current.trim()) out.push(current.trimEnd());
      current = raw.trimStart();
    } else {
      current += raw;
    }
  }
  if (current.trim()) out.push(current.trimEnd());
  return out;
}

/**
 * Renders an outgoing message for a channel: the text, then numbered footnotes for the
 * citations, split on sentence boundaries into messages within the channel's limit.
 */
export function renderMessage(message: OutgoingMessage, options: RenderOptions): string[] {
  const esc = options.markup === 'html' ? escapeHtml : (s: string) => s;
  const pieces = sentences(message.text).map(esc);
  const citations = message.citations ?? [];
  if (citations.length) {
    pieces.push(options.markup === 'html' ? '\n\n<b>Nguồn:</b>' : '\n\nNguồn:');
    citations.forEach((c, i) => pieces.push(`\n${footnote(c, i + 1, options.markup)}`));
  }
  const actionLines = options.actionsAsText ? actionsText(message.actions ?? []) : [];
  actionLines.forEach((line, i) => pieces.push(`${i ? '\n' : '\n\n'}${esc(line)}`));
  if (options.feedbackByKeyword && message.kind === 'answer' && message.answerId) {
    pieces.push(`\n\n${esc(FEEDBACK_HINT)}`);
  }
  return pack(pieces, options.maxChars);
}
