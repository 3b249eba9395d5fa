import { FEEDBACK_KEYWORDS } from './format.ts';
import type { IncomingMessage } from '../../domain/channel.ts';
import { fold } from '../../domain/fold.ts';

/** What the citizen wants, decided before anything is looked up. */
export type Intent =
  | { type: 'welcome' }
  | { type: 'help' }
  /** `question` is set when the request carries its own question ("gặp cán bộ hỏi về đất đai"). */
  | { type: 'human'; question?: string }
  /** `answerId` is absent for keyword feedback: it applies to the citizen's latest answer. */
  | { type: 'feedback'; value: 'up' | 'down'; answerId?: string }
  /** A press of one of Loa's buttons: `id` names the action (see `menus.ts`). */
  | { type: 'choice'; id: string }
  | { type: 'non_text' }
  | { type: 'unfollow' }
  | { type: 'question'; text: string };

/**
 * Lower-case, without diacritics or punctuation, single-spaced: citizens type "gap can bo"
 * as often as "gặp cán bộ", so phrases are matched in this form.
 */
export function normalizeForMatching(text: string): string {
  return fold(text)
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Whole messages that are only a greeting. A greeting followed by a question is a question. */
const GREETINGS = new Set([
  'xin chao', 'chao', 'chao ban', 'xin chao ban', 'chao loa', 'xin chao loa', 'chao ad', 'chao admin',
  'chao anh', 'chao chi', 'chao em', 'hello', 'hi', 'hey', 'alo', 'a lo',
]);

/** Whole messages asking how to use Loa. "hướng dẫn làm CCCD" is a question, not this. */
const HELP_REQUESTS = new Set(['help', 'huong dan', 'huong dan su dung', 'tro giup', 'menu', 'giup do']);

/** Phrases that ask for a person, wherever they appear in the message. */
const HUMAN_PHRASES = [
  'gap can bo', 'gap nguoi that', 'hoi truc tiep', 'noi chuyen voi nguoi', 'noi chuyen voi can bo',
  'gap nhan vien', 'gap tong dai vien', 'chuyen can bo', 'chuyen cho can bo', 'gap nguoi phu trach',
];

/** Words that surround a request for a person without adding a question ("cho tôi gặp cán bộ với ạ"). */
const REQUEST_FILLER = new Set([
  'toi', 'minh', 'em', 'anh', 'chi', 'muon', 'can', 'cho', 'xin', 'duoc', 'voi', 'a', 'oi', 'nhe', 'nha',
  'vui', 'long', 'lam', 'on', 'ad', 'admin', 'loa', 'ban', 'di', 'that', 'ngay', 'hay', 'co', 'the', 'khong',
]);

/** Slash commands as typed (Telegram, or any channel that passes the text through). */
const SLASH_COMMANDS: Record<string, Intent['type']> = {
  start: 'welcome',
  help: 'help',
  huongdan: 'help',
  canbo: 'human',
  gapcanbo: 'human',
  human: 'human',
};

const NON_TEXT_KINDS = new Set(['image', 'sticker', 'file', 'audio', 'video', 'location', 'other']);

/** 👍/👎 typed as text: variation selectors and skin tones are dropped, repeats accepted ("👍👍"). */
function feedbackKeyword(text: string): 'up' | 'down' | undefined {
  const trimmed = text.replace(/\u{FE0F}|\p{Emoji_Modifier}/gu, '').replace(/[\s.!?,]+$/u, '').trim();
  if (/^(👍)+$/u.test(trimmed)) return 'up';
  if (/^(👎)+$/u.test(trimmed)) return 'down';
  const words = normalizeForMatching(trimmed);
  if (!words) return undefined;
  // Check 'down' first: "không hữu ích" must not read as "hữu ích".
  for (const value of ['down', 'up'] as const) {
    if (FEEDBACK_KEYWORDS[value].some((k) => normalizeForMatching(k) === words)) return value;
  }
  return undefined;
}

function asksForHuman(words: string): boolean {
  const padded = ` ${words} `;
  return HUMAN_PHRASES.some((p) => padded.includes(` ${p} `));
}

/** True when, without the request phrase and polite filler, almost nothing is left. */
function isBareRequest(words: string): boolean {
  let rest = ` ${words} `;
  for (const p of HUMAN_PHRASES) rest = rest.split(` ${p} `).join(' ');
  return rest.split(' ').filter((w) => w && !REQUEST_FILLER.has(w)).length <= 1;
}

function slashCommand(text: string): Intent | undefined {
  const match = /^\/([a-z_]+)(?:@\S+)?\b/i.exec(text.trim());
  if (!match) return undefined;
  const type = SLASH_COMMANDS[match[1].toLowerCase()] ?? 'help';
  return type === 'human' ? { type: 'human' } : ({ type } as Intent);
}

/**
 * "Cho tôi gặp cán bộ: đất nhà tôi …" → "đất nhà tôi …": the officer (and an FAQ drafted from
 * the answer) sees the question, not the request for a person.
 */
function withoutLeadingRequest(text: string): string {
  const m = /^(.{3,80}?)\s*[:,.;\-–—]\s+(\S[\s\S]*)$/u.exec(text);
  if (!m) return text;
  const head = normalizeForMatching(m[1]);
  return asksForHuman(head) && isBareRequest(head) ? m[2].trim() : text;
}

/**
 * Step 3 of the pipeline: decides what a message is. Order matters: explicit signals
 * (commands, feedback buttons, event kinds) before reading the text.
 */
export function classify(msg: IncomingMessage): Intent {
  if (msg.choice) return { type: 'choice', id: msg.choice.id };
  if (msg.feedback) return { type: 'feedback', value: msg.feedback.value, answerId: msg.feedback.answerId };
  if (msg.command === 'start') return { type: 'welcome' };
  if (msg.command === 'help') return { type: 'help' };
  if (msg.command === 'human') return { type: 'human' };
  if (msg.kind === 'follow') return { type: 'welcome' };
  if (msg.kind === 'unfollow') return { type: 'unfollow' };
  if (NON_TEXT_KINDS.has(msg.kind)) return { type: 'non_text' };

  const text = (msg.text ?? '').trim();
  if (!text) return { type: 'help' };
  // Subscription commands are read with their typed forms in proactive/subscription-intent.ts.
  if (/^\/(subscribe|unsubscribe|dangky|huydangky)(@\S+)?(\s|$)/i.test(text)) return { type: 'question', text };
  const command = slashCommand(text);
  if (command) return command;
  const feedback = feedbackKeyword(text);
  if (feedback) return { type: 'feedback', value: feedback };

  const words = normalizeForMatching(text);
  if (HELP_REQUESTS.has(words)) return { type: 'help' };
  if (GREETINGS.has(words)) return { type: 'welcome' };
  if (asksForHuman(words)) return isBareRequest(words) ? { type: 'human' } : { type: 'human', question: withoutLeadingRequest(text) };
  return { type: 'question', text };
}
