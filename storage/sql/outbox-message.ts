import { isDeepStrictEqual } from 'node:util';
import type { OutgoingMessage } from '../../domain/channel.ts';
import type { Citation } from '../../domain/citation.ts';
import { toJson } from './json.ts';

/** What an outbox row needs of its turn: the reply's text and citations (JSON). */
export interface TurnReply {
  reply_text: string | null;
  citations: string | null;
}

/**
 * The message as the outbox stores it: when the turn already holds the same text and
 * citations (a reply, a spokesperson's answer, a proactive message), they are left out and
 * `fromTurn` is set; anything else (no turn, or a message that differs) is kept whole.
 */
export function storedMessage(message: OutgoingMessage, turn: TurnReply | undefined): { json: string; fromTurn: boolean } {
  if (turn && turn.reply_text === message.text && isDeepStrictEqual(parseCitations(turn.citations), message.citations ?? [])) {
    const { text: _text, citations: _citations, ...rest } = message;
    return { json: toJson(rest), fromTurn: true };
  }
  return { json: toJson(message), fromTurn: false };
}

/** The whole message of a stored row, its text and citations read from the turn when they were left out. */
export function fullMessage(json: string, fromTurn: boolean, turn: TurnReply): OutgoingMessage {
  const stored = JSON.parse(json) as OutgoingMessage;
  if (!fromTurn) return stored;
  const citations = parseCitations(turn.citations);
  // A turn erased since (retention, a citizen's request) leaves nothing to send: the text is empty.
  return { ...stored, text: turn.reply_text ?? '', ...(citations.length ? { citations } : {}) };
}

function parseCitations(json: string | null): Citation[] {
  return json ? (JSON.parse(json) as Citation[]) : [];
}
