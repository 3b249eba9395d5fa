import type { ConversationTurn, OutboxItem } from '../ports.ts';
import type { OutgoingMessage, Recipient } from '../../../domain/channel.ts';
import type { PipelineContext } from '../context.ts';
import { menuActions } from '../menus.ts';

/** The channel-neutral message for a turn's reply; undefined when the turn has none. */
export function replyMessage(turn: ConversationTurn, replyToChannelMessageId?: string): OutgoingMessage | undefined {
  if (!turn.replyKind || !turn.replyText) return undefined;
  const actions = menuActions(turn.id, turn.menu);
  return {
    kind: turn.replyKind,
    text: turn.replyText,
    ...(turn.citations.length ? { citations: turn.citations } : {}),
    ...(turn.answerId ? { answerId: turn.answerId } : {}),
    ...(replyToChannelMessageId ? { replyToChannelMessageId } : {}),
    ...(actions.length ? { actions } : {}),
  };
}

/**
 * Step 5: writes the reply to the outbox before anything is sent, so it survives a
 * restart. The key makes it idempotent: the same event never owes two replies.
 */
export async function enqueueReply(
  ctx: PipelineContext,
  turn: ConversationTurn,
  recipient: Recipient,
  key: string,
  replyToChannelMessageId?: string,
): Promise<OutboxItem | undefined> {
  const message = replyMessage(turn, replyToChannelMessageId);
  if (!message) return undefined;
  return ctx.stores.outbox.enqueue({ key, recipient, message, turnId: turn.id, escalationId: turn.escalationId }, ctx.clock());
}
