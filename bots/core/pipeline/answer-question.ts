import { randomUUID } from 'node:crypto';
import type { InboxItem } from '../ports.ts';
import type { AskResult, ClarifyOption } from '../../../domain/answer.ts';
import type { Citation } from '../../../domain/citation.ts';
import type { PipelineContext, TurnDraft } from '../context.ts';
import { RECENT_TURNS, recentQuestions } from '../history.ts';
import { shortLabel } from '../menus.ts';
import { CLARIFY_TEXT, declineText } from '../messages.ts';
import { escalate } from './escalate.ts';

/** At most this many options in a clarifying question. */
const MAX_OPTIONS = 3;

/**
 * Step 4a: answers a question from the official documents, with the citizen's recent
 * questions as history for follow-ups. Retrieval decides one of four outcomes:
 * - `answer`: the answer, with "Xem thêm" when it has a continuation;
 * - `clarify`: "Có phải bạn hỏi về: …" with the options ("Không phải — gặp cán bộ" last);
 * - `decline`: retrieval's polite reply, offering "Gặp cán bộ", and no escalation;
 * - `handoff` (or retrieval failed): a spokesperson takes the question.
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

  const options = (result.options ?? []).slice(0, MAX_OPTIONS);
  switch (result.outcome) {
    case 'answer':
      return answerDraft(result);
    case 'clarify':
      // A clarify without options cannot be asked: a person decides instead.
      if (options.length) return clarifyDraft(result, question, options);
      break;
    case 'decline':
      return {
        intent: 'question',
        outcome: 'decline',
        replyKind: 'notice',
        replyText: result.answer.trim() || declineText(ctx.agencyName),
        abstained: true,
        abstainReason: result.reason,
        confidence: result.confidence,
        menu: { type: 'human', question },
      };
    case 'handoff':
      break;
  }
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

/** An answer to record: the short answer now, the rest ("Xem thêm") kept with the turn. */
export function answerDraft(result: AskResult, intent: TurnDraft['intent'] = 'question'): TurnDraft {
  const more = result.more?.trim();
  return {
    intent,
    outcome: 'answer',
    replyKind: 'answer',
    replyText: result.answer,
    citations: result.citations,
    answerId: randomUUID(),
    confidence: result.confidence,
    ...(more ? { menu: { type: 'more' as const, text: more } } : {}),
  };
}

function clarifyDraft(result: AskResult, question: string, options: ClarifyOption[]): TurnDraft {
  const found = [...(result.candidates ?? []), ...result.citations];
  // What the officer gets if the citizen says "Không phải": the options, as full citations when retrieval gave them.
  const candidates = options.map(
    (o): Citation => found.find((c) => c.id === o.id) ?? { id: o.id, title: o.label, section: '', status: 'in_force', quote: '', score: 0 },
  );
  return {
    intent: 'question',
    outcome: 'clarify',
    replyKind: 'notice',
    replyText: CLARIFY_TEXT,
    abstained: true,
    abstainReason: result.reason,
    confidence: result.confidence,
    menu: { type: 'clarify', question, options: options.map((o) => ({ id: o.id, label: shortLabel(o.label) })), candidates },
  };
}
