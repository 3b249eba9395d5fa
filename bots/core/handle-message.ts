import type { ConversationTurn, InboxItem } from './ports.ts';
import { classify } from './classify.ts';
import { yieldToLoop } from './loop-guard.ts';
import type { PipelineContext, TurnDraft } from './context.ts';
import { RATE_LIMITED_TEXT } from './messages.ts';
import { enqueueReply } from './pipeline/enqueue-reply.ts';
import { respond } from './pipeline/respond.ts';

/**
 * The pipeline for one citizen message, after step 1 (`pipeline/record-incoming.ts`)
 * stored it in the inbox:
 *
 * 2. `pipeline/rate-limit.ts`: too many messages? one notice, then silence;
 * 3. `classify.ts`: greeting, help, request for a person, feedback, non-text, question …;
 * 4. `pipeline/respond.ts`: the reply (`answer-question.ts`, `escalate.ts`, `record-feedback.ts`,
 *    `take-action.ts` for a button pressed or a typed "2" / "xem thêm"), recorded as a
 *    conversation turn with its menu (what the citizen can press next);
 * 5. `pipeline/enqueue-reply.ts`: the reply written to the outbox;
 * 6. `outbox-worker.ts`: the reply sent in the channel's own send pool (not in the answering
 *    slot), retried with backoff if the channel fails.
 *
 * Handling an event twice (after a crash) is harmless: its turn, escalation and outbox
 * item are keyed by the inbox id, so the second run resends the first run's reply.
 */
export async function handleMessage(ctx: PipelineContext, item: InboxItem): Promise<void> {
  const turn = (await ctx.stores.conversations.turnForInbox(item.id)) ?? (await decideAndRecord(ctx, item));
  // With SQLite every await above resolves at once, so a message would run start to end in
  // one turn of the event loop; yielding lets waiting webhooks be acknowledged in between.
  await yieldToLoop();
  const queued = await enqueueReply(ctx, turn, item.message.from, `inbox:${item.id}`, item.message.channelMessageId);
  await ctx.stores.inbox.markDone(item.id, turn.intent, ctx.clock());
  if (queued) ctx.outbox.dispatch(queued.id);
}

async function decideAndRecord(ctx: PipelineContext, item: InboxItem): Promise<ConversationTurn> {
  const msg = item.message;
  // Zalo's reply window for announcements counts from the citizen's latest message.
  if (ctx.proactive && msg.kind !== 'unfollow' && msg.kind !== 'follow') await ctx.proactive.touch(item.channel, item.userId, msg.channelMessageId, new Date(msg.sentAt));
  const draft = await decide(ctx, item);
  await yieldToLoop();
  const turn = await ctx.stores.conversations.recordTurn({
    ...draft,
    inboxId: item.id,
    channel: item.channel,
    userId: item.userId,
    userText: msg.text ?? (msg.feedback ? (msg.feedback.value === 'up' ? '👍' : '👎') : undefined),
    createdAt: item.receivedAt,
  });
  ctx.events.emit('turn.recorded', turn);
  return turn;
}

async function decide(ctx: PipelineContext, item: InboxItem): Promise<TurnDraft> {
  // Leaving is always recorded, whatever the rate.
  if (item.message.kind !== 'unfollow') {
    const rate = await ctx.rateLimit.check(item.channel, item.userId);
    if (rate === 'notify') return { intent: 'rate_limited', replyKind: 'notice', replyText: RATE_LIMITED_TEXT };
    if (rate === 'drop') return { intent: 'rate_limited' };
  }
  return respond(ctx, item, classify(item.message));
}
