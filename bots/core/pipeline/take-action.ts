import type { ConversationTurn, InboxItem } from '../ports.ts';
import type { AskResult } from '../../../domain/answer.ts';
import type { PipelineContext, TurnDraft } from '../context.ts';
import { RECENT_TURNS } from '../history.ts';
import { clarifyStillOpen, humanChoice, menuChoice, parseActionId, typedChoice } from '../menus.ts';
import { ALREADY_CHOSEN_TEXT, CHOICE_EXPIRED_TEXT, FEEDBACK_REASON_THANKS_TEXT } from '../messages.ts';
import { answerDraft } from './answer-question.ts';
import { consultationStep, pressedConsultation } from './consultation-step.ts';
import { escalate } from './escalate.ts';

const notice = (replyText: string): TurnDraft => ({ intent: 'choice', replyKind: 'notice', replyText });

/**
 * A typed reply to the citizen's latest reply's menu ("2", "xem thêm", "sai"): the turn and
 * the action number it means, or undefined when the text is simply a new message.
 */
export async function typedAction(ctx: PipelineContext, item: InboxItem, text: string): Promise<{ turn: ConversationTurn; n: number } | undefined> {
  const latest = await pendingMenu(ctx, item);
  const n = latest && typedChoice(text, latest);
  return latest && n !== undefined ? { turn: latest, n } : undefined;
}

/** A bare "gặp cán bộ" right after a clarifying question or a decline: that reply's "Gặp cán bộ". */
export async function typedHuman(ctx: PipelineContext, item: InboxItem): Promise<{ turn: ConversationTurn; n: number } | undefined> {
  const latest = await pendingMenu(ctx, item);
  const n = latest && humanChoice(latest);
  return latest && n !== undefined ? { turn: latest, n } : undefined;
}

/** The citizen's latest turn, when its menu is still unused: what a typed reply refers to. */
async function pendingMenu(ctx: PipelineContext, item: InboxItem): Promise<ConversationTurn | undefined> {
  const [latest] = await ctx.stores.conversations.recentTurns(item.channel, item.userId, 1);
  return latest?.menu && latest.menuUsedBy === undefined ? latest : undefined;
}

/** A button press (`choice` event): the turn and action its id names, when it is the citizen's own. */
export async function pressedAction(ctx: PipelineContext, item: InboxItem, id: string): Promise<{ turn: ConversationTurn; n: number } | undefined> {
  const parsed = parseActionId(id);
  const turn = parsed && (await ctx.stores.conversations.getTurn(parsed.turnId));
  // Someone else's button (a forged id) is treated like an unknown one.
  if (!parsed || !turn || turn.channel !== item.channel || turn.userId !== item.userId) return undefined;
  return { turn, n: parsed.n };
}

/**
 * Step 4d: does what a pressed (or typed) action of an earlier reply means: answers from the
 * clarify option chosen (and records the choice as a labelled example), hands the question
 * to a person, sends the rest of an answer, or records why 👎.
 *
 * A menu is used once: the claim is a conditional update in the store, so two presses of the
 * same button (two instances, or a double tap) answer once; the other press gets a short note.
 */
export async function takeAction(ctx: PipelineContext, item: InboxItem, target: { turn: ConversationTurn; n: number } | undefined): Promise<TurnDraft> {
  const menu = target?.turn.menu;
  const choice = menu && target && menuChoice(menu, target.n);
  if (!target || !menu || !choice) {
    ctx.logger.info({ inboxId: item.id }, 'choice without a matching menu');
    return notice(CHOICE_EXPIRED_TEXT);
  }
  const { turn } = target;
  const recent = await ctx.stores.conversations.recentTurns(item.channel, item.userId, RECENT_TURNS);
  if (menu.type === 'clarify') {
    // Not among the recent turns: many messages came since, so it is no longer the question at hand.
    const at = recent.findIndex((t) => t.id === turn.id);
    if (at < 0 || !clarifyStillOpen(turn, recent.slice(at + 1), ctx.clock())) return notice(CHOICE_EXPIRED_TEXT);
  }
  if (!(await ctx.stores.conversations.claimMenu(turn.id, item.id))) return notice(ALREADY_CHOSEN_TEXT);

  switch (choice.kind) {
    case 'choose': {
      if (menu.type === 'consult') {
        const step = await pressedConsultation(ctx, item, menu.options[choice.optionIndex]);
        if (step) return consultationStep(step);
        break;
      }
      if (menu.type !== 'clarify') break;
      const option = menu.options[choice.optionIndex];
      // Recorded before answering: the citizen's choice is the label, whatever the answer comes to.
      await ctx.stores.examples.record(
        { question: menu.question, unitId: option.id, channel: item.channel, sourceKey: `clarify:${turn.id}` },
        ctx.clock(),
      );
      let result: AskResult | undefined;
      try {
        result = await ctx.answerer.answerFrom(menu.question, option.id);
      } catch (err) {
        ctx.logger.error({ err, inboxId: item.id }, 'answerFrom failed; escalating');
      }
      if (result?.outcome === 'answer') return answerDraft(result, 'choice');
      // The unit is gone (or retrieval broke): a person answers, starting from the option chosen.
      const chosen = menu.candidates.filter((c) => c.id === option.id);
      return escalate(ctx, item, { question: menu.question, reason: result ? 'abstained' : 'error', candidates: chosen, recent });
    }
    case 'human':
      if (menu.type === 'clarify') return escalate(ctx, item, { question: menu.question, reason: 'requested', candidates: menu.candidates, recent });
      if (menu.type === 'human') return escalate(ctx, item, { question: menu.question, reason: 'requested', recent });
      break;
    case 'more':
      if (menu.type === 'more') return { intent: 'choice', replyKind: 'answer', replyText: menu.text };
      break;
    case 'reason':
      if (menu.type !== 'reason') break;
      await ctx.stores.conversations.recordFeedbackReason(menu.answerId, choice.reason, ctx.clock());
      return notice(FEEDBACK_REASON_THANKS_TEXT);
  }
  return notice(CHOICE_EXPIRED_TEXT);
}
