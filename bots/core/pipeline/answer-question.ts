import { randomUUID } from 'node:crypto';
import type { AskResult } from '../../../retrieval/types.ts';
import type { InboxItem } from '../../../storage/inbox-store.ts';
import type { PipelineContext, TurnDraft } from '../context.ts';
import { RECENT_TURNS, recentQuestions } from '../history.ts';
import { escalate } from './escalate.ts';

/**
 * Step 4a: answers a question from the official documents, with the citizen's recent
 * questions as history for follow-ups. When retrieval abstains (or fails), the question
 * goes to a spokesperson instead.
 */
export async function answerQuestion(ctx: PipelineContext, item: InboxItem, question: string): Promise<TurnDraft> {
  const { channel, userId } = item;
  const recent = await ctx.stores.conversations.recentTurns(channel, userId, RECENT_TURNS);
  const history = recentQuestions(recent, ctx.clock(), ctx.history);

  let result: AskResult;
  try {
    result = await ctx.answerer.ask(question, { history });
  } catch (err) {
    // A person can still answer when retrieval is broken.
    ctx.logger.error({ err, inboxId: item.id }, 'answerer failed; escalating');
    return escalate(ctx, item, { question, reason: 'error', recent });
  }

  if (result.abstained) {
    return escalate(ctx, item, {
      question,
      reason: 'abstained',
      abstainReason: result.reason,
      // What retrieval found but did not trust: the officer's starting point (older answerers put it in citations).
      candidates: result.candidates ?? result.citations,
      confidence: result.confidence,
      recent,
    });
  }
  return {
    intent: 'question',
    replyKind: 'answer',
    replyText: result.answer,
    citations: result.citations,
    answerId: randomUUID(),
    confidence: result.confidence,
  };
}
