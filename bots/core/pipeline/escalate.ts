import type { ConversationTurn, InboxItem } from '../ports.ts';
import type { AbstainReason } from '../../../domain/answer.ts';
import type { Citation } from '../../../domain/citation.ts';
import type { EscalationReason } from '../../../storage/escalation-store.ts';
import type { PipelineContext, TurnDraft } from '../context.ts';
import { escalationContext } from '../history.ts';
import { ABSTAINED_OVER_LIMIT_TEXT, ESCALATED_AFTER_ABSTAIN_TEXT, ESCALATED_TEXT, ESCALATION_LIMIT_TEXT } from '../messages.ts';

export interface EscalationRequest {
  question: string;
  reason: EscalationReason;
  /** What retrieval found, if it ran (shown to the officer as a starting point). */
  candidates?: Citation[];
  abstainReason?: AbstainReason;
  confidence?: number;
  /** The citizen's recent turns, oldest first. */
  recent: ConversationTurn[];
}

/**
 * Step 4b: hands the question to a spokesperson. The escalation is stored before the
 * reply telling the citizen so is even drafted: the citizen is never told about an
 * escalation that does not exist.
 */
export async function escalate(ctx: PipelineContext, item: InboxItem, request: EscalationRequest): Promise<TurnDraft> {
  // (A crash between counting and creating costs the citizen one of their escalations: acceptable.)
  if (!(await ctx.escalationLimit.allow(item.message))) {
    ctx.logger.warn({ channel: item.channel, reason: request.reason }, 'escalation cap reached: not escalated');
    return {
      intent: request.reason === 'requested' ? 'human' : 'question',
      replyKind: 'notice',
      replyText: request.reason === 'abstained' ? ABSTAINED_OVER_LIMIT_TEXT : ESCALATION_LIMIT_TEXT,
      abstained: request.reason === 'abstained',
      abstainReason: request.abstainReason,
      confidence: request.confidence,
    };
  }
  const escalation = await ctx.stores.escalations.create(
    {
      // Handling the same event again (after a crash) finds this escalation instead of making another.
      sourceKey: `inbox:${item.id}`,
      reason: request.reason,
      abstainReason: request.abstainReason,
      recipient: item.message.from,
      userName: item.message.userName,
      question: request.question,
      context: escalationContext(request.recent),
      candidates: request.candidates ?? [],
    },
    ctx.clock(),
  );
  ctx.events.emit('escalation.created', escalation);
  ctx.logger.info({ escalationId: escalation.id, channel: escalation.channel, reason: request.reason }, 'question escalated');
  return {
    intent: request.reason === 'requested' ? 'human' : 'question',
    ...(request.reason === 'requested' ? {} : { outcome: 'handoff' as const }),
    replyKind: 'escalated',
    replyText: request.reason === 'abstained' ? ESCALATED_AFTER_ABSTAIN_TEXT : ESCALATED_TEXT,
    abstained: request.reason === 'abstained',
    abstainReason: request.abstainReason,
    confidence: request.confidence,
    escalated: true,
    escalationId: escalation.id,
  };
}
