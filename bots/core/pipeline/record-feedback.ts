import type { InboxItem } from '../ports.ts';
import type { PipelineContext, TurnDraft } from '../context.ts';
import { FEEDBACK_THANKS_DOWN_TEXT, FEEDBACK_THANKS_UP_TEXT, FEEDBACK_WHY_TEXT } from '../messages.ts';

/**
 * Step 4c: 👍/👎 on an answer. A button names its answer; a keyword ("hữu ích", "👎")
 * applies to the citizen's latest answer. Feedback only counts on the citizen's own answers.
 * After 👎 the reply asks why (Sai / Chưa đủ / Khó hiểu); the reason is recorded by `take-action.ts`.
 */
export async function recordFeedback(
  ctx: PipelineContext,
  item: InboxItem,
  feedback: { value: 'up' | 'down'; answerId?: string },
): Promise<TurnDraft> {
  const { conversations } = ctx.stores;
  const target = feedback.answerId
    ? await conversations.findByAnswerId(feedback.answerId)
    : await conversations.latestAnswer(item.channel, item.userId);
  if (target?.answerId && target.channel === item.channel && target.userId === item.userId) {
    await conversations.recordFeedback(target.answerId, feedback.value, ctx.clock());
    if (feedback.value === 'down') {
      return { intent: 'feedback', replyKind: 'notice', replyText: FEEDBACK_WHY_TEXT, menu: { type: 'reason', answerId: target.answerId } };
    }
  } else {
    ctx.logger.info({ inboxId: item.id, answerId: feedback.answerId }, 'feedback without a matching answer');
  }
  return {
    intent: 'feedback',
    replyKind: 'notice',
    replyText: feedback.value === 'up' ? FEEDBACK_THANKS_UP_TEXT : FEEDBACK_THANKS_DOWN_TEXT,
  };
}
