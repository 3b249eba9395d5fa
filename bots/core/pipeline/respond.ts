import type { InboxItem } from '../ports.ts';
import type { Intent } from '../classify.ts';
import type { PipelineContext, TurnDraft } from '../context.ts';
import { RECENT_TURNS, recentQuestions } from '../history.ts';
import { NON_TEXT_TEXT, helpText, welcomeText } from '../messages.ts';
import { respondToSubscription } from '../../../proactive/respond-subscription.ts';
import { respondToClaim } from '../../../proactive/respond-claim.ts';
import { subscriptionIntent } from '../../../proactive/subscription-intent.ts';
import { answerQuestion } from './answer-question.ts';
import { consultationStep, typedConsultation } from './consultation-step.ts';
import { escalate } from './escalate.ts';
import { recordFeedback } from './record-feedback.ts';
import { pressedAction, takeAction, typedAction, typedHuman } from './take-action.ts';

/** Step 4: decides the reply for what the message is. */
export async function respond(ctx: PipelineContext, item: InboxItem, intent: Intent): Promise<TurnDraft> {
  switch (intent.type) {
    case 'welcome':
      return { intent: 'welcome', replyKind: 'notice', replyText: welcomeText(ctx.agencyName) };
    case 'help':
      return { intent: 'help', replyKind: 'notice', replyText: helpText(ctx.agencyName) };
    case 'non_text':
      return { intent: 'non_text', replyKind: 'notice', replyText: NON_TEXT_TEXT };
    case 'unfollow':
      // Recorded for the reports; a citizen who left cannot be written to.
      return { intent: 'unfollow' };
    case 'feedback':
      return recordFeedback(ctx, item, intent);
    case 'choice':
      return takeAction(ctx, item, await pressedAction(ctx, item, intent.id));
    case 'question': {
      // "Đăng ký nhận tin …" / "hủy đăng ký" before retrieval, like "gặp cán bộ".
      const subscription = ctx.proactive ? subscriptionIntent(intent.text) : undefined;
      if (ctx.proactive && subscription) return respondToSubscription(ctx, ctx.proactive, item, subscription);
      // "2", "xem thêm", "sai" right after a reply with a menu mean that menu's action.
      const typed = await typedAction(ctx, item, intent.text);
      if (typed) return takeAction(ctx, item, typed);
      // "góp ý dự thảo", "góp ý Điều 5 …", or the next step of a comment in progress.
      const consulting = await typedConsultation(ctx, item, intent.text);
      if (consulting) return consultationStep(consulting);
      // A rumour to check, or a message like a verified claim: its verdict, before retrieval.
      const claim = ctx.proactive ? await respondToClaim(ctx, ctx.proactive, item, intent.text) : undefined;
      return claim ?? answerQuestion(ctx, item, intent.text);
    }
    case 'human': {
      // "Gặp cán bộ" typed under a clarifying question (or a decline) is that reply's button.
      const pending = intent.question ? undefined : await typedHuman(ctx, item);
      return pending ? takeAction(ctx, item, pending) : requestPerson(ctx, item, intent.question);
    }
  }
}

/** What the officer sees when the citizen asked for a person without saying why. */
const BARE_REQUEST_QUESTION = 'Người dân đề nghị được gặp cán bộ.';

/**
 * "Gặp cán bộ": escalates the question the request carries or, for a bare request, the
 * citizen's latest question, so the officer sees what it is about.
 */
async function requestPerson(ctx: PipelineContext, item: InboxItem, question: string | undefined): Promise<TurnDraft> {
  const recent = await ctx.stores.conversations.recentTurns(item.channel, item.userId, RECENT_TURNS);
  const previous = recentQuestions(recent, ctx.clock(), ctx.history).at(-1);
  const text = question ?? previous ?? (item.message.text?.trim() || BARE_REQUEST_QUESTION);
  return escalate(ctx, item, { question: text, reason: 'requested', recent });
}
