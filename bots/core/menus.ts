import type { ConversationTurn, FeedbackReason, TurnMenu } from './ports.ts';
import type { OutgoingAction } from '../../domain/channel.ts';
import { normalizeForMatching } from './classify.ts';

/**
 * A reply's menu (stored with its turn) as the actions channels render, and a citizen's press
 * or typed reply back to the action it means. An action id is `<turnId>:<n>`, n counting the
 * turn's actions from 1, so a press names its turn and works after a restart.
 */

/** Labels Loa shows on its buttons. */
export const ACTION_LABELS = {
  notThis: 'Không phải — gặp cán bộ',
  human: 'Gặp cán bộ',
  more: 'Xem thêm',
} as const;

export const REASON_LABELS: Record<FeedbackReason, string> = { wrong: 'Sai', incomplete: 'Chưa đủ', unclear: 'Khó hiểu' };
const REASONS = Object.keys(REASON_LABELS) as FeedbackReason[];

/** Button labels stay short: channels cut long ones on a phone. */
export const MAX_LABEL_CHARS = 60;

/** A clarify menu older than this, or followed by another question, no longer counts. */
export const CLARIFY_TTL_MS = 30 * 60_000;

export function shortLabel(label: string): string {
  const text = label.replace(/\s+/g, ' ').trim();
  return text.length > MAX_LABEL_CHARS ? `${text.slice(0, MAX_LABEL_CHARS - 1).trimEnd()}…` : text;
}

/** What one action of a menu does, in the core's terms. */
export type MenuChoice =
  | { kind: 'choose'; optionIndex: number }
  | { kind: 'human' }
  | { kind: 'more' }
  | { kind: 'reason'; reason: FeedbackReason };

/** The menu's choices in order; action n is `choices(menu)[n - 1]`. */
function choices(menu: TurnMenu): MenuChoice[] {
  switch (menu.type) {
    case 'clarify':
      return [...menu.options.map((_, i): MenuChoice => ({ kind: 'choose', optionIndex: i })), { kind: 'human' }];
    case 'more':
      return [{ kind: 'more' }];
    case 'human':
      return [{ kind: 'human' }];
    case 'reason':
      return REASONS.map((reason): MenuChoice => ({ kind: 'reason', reason }));
    case 'consult':
      return menu.options.map((_, i): MenuChoice => ({ kind: 'choose', optionIndex: i }));
  }
}

function label(menu: TurnMenu, choice: MenuChoice): string {
  switch (choice.kind) {
    case 'choose':
      return menu.type === 'clarify' || menu.type === 'consult' ? shortLabel(menu.options[choice.optionIndex].label) : '';
    case 'human':
      return menu.type === 'clarify' ? ACTION_LABELS.notThis : ACTION_LABELS.human;
    case 'more':
      return ACTION_LABELS.more;
    case 'reason':
      return REASON_LABELS[choice.reason];
  }
}

/** The actions of a turn's reply. */
export function menuActions(turnId: string, menu: TurnMenu | undefined): OutgoingAction[] {
  if (!menu) return [];
  return choices(menu).map((choice, i) => ({ kind: choice.kind, id: `${turnId}:${i + 1}`, label: label(menu, choice) }));
}

/** `<turnId>:<n>` → its parts; undefined when it is not an action id. */
export function parseActionId(id: string): { turnId: string; n: number } | undefined {
  const m = /^([0-9a-f-]{36}):([1-9])$/.exec(id);
  return m ? { turnId: m[1], n: Number(m[2]) } : undefined;
}

/** The choice action n of a turn's menu means, if any. */
export function menuChoice(menu: TurnMenu, n: number): MenuChoice | undefined {
  return choices(menu)[n - 1];
}

/** Typed forms: "xem thêm", and the 👎 reasons by name. */
const MORE_WORDS = new Set(['xem them', 'doc tiep', 'tiep', 'them']);
const REASON_WORDS: Record<string, FeedbackReason> = {
  sai: 'wrong', 'chua dung': 'wrong', 'chua du': 'incomplete', thieu: 'incomplete', 'kho hieu': 'unclear', 'chua ro': 'unclear',
};
const NOT_THIS_WORDS = new Set(['khong phai', 'khong phai gap can bo', 'khong']);

/**
 * What a typed reply means for the citizen's latest reply's menu: a number ("2", "số 2") for
 * the numbered actions, "xem thêm" for the rest of an answer, "sai" / "chưa đủ" / "khó hiểu"
 * after 👎, "không phải" after a clarifying question. Undefined: it is just a message.
 */
export function typedChoice(text: string, turn: ConversationTurn): number | undefined {
  const menu = turn.menu;
  if (!menu) return undefined;
  const words = normalizeForMatching(text);
  const list = choices(menu);
  const number = /^(?:so )?([1-9])$/.exec(words);
  if (number) {
    // Numbers only mean something where the channel showed a numbered list.
    if (menu.type !== 'clarify' && menu.type !== 'reason' && menu.type !== 'consult') return undefined;
    const n = Number(number[1]);
    return n <= list.length ? n : undefined;
  }
  const index = list.findIndex(
    (c) =>
      (c.kind === 'more' && MORE_WORDS.has(words)) ||
      (c.kind === 'reason' && REASON_WORDS[words] === c.reason) ||
      (c.kind === 'human' && menu.type === 'clarify' && NOT_THIS_WORDS.has(words)),
  );
  return index >= 0 ? index + 1 : undefined;
}

/** The number of the menu's "Gặp cán bộ" action (a clarify or a decline), for a typed "gặp cán bộ" right after it. */
export function humanChoice(turn: ConversationTurn): number | undefined {
  if (turn.menu?.type !== 'clarify' && turn.menu?.type !== 'human') return undefined;
  const index = choices(turn.menu).findIndex((c) => c.kind === 'human');
  return index >= 0 ? index + 1 : undefined;
}

/** True while a clarify menu may still be used: recent, and no other question asked since. */
export function clarifyStillOpen(turn: ConversationTurn, later: ConversationTurn[], now: Date): boolean {
  if (now.getTime() - Date.parse(turn.createdAt) > CLARIFY_TTL_MS) return false;
  return !later.some((t) => t.intent === 'question');
}
