import type { ChatCitizen, ChatReply } from '../../../consultations/chat.ts';
import type { ConsultOption, InboxItem } from '../ports.ts';
import type { PipelineContext, TurnDraft } from '../context.ts';

/**
 * Step 4e: a consultation step ("góp ý dự thảo"): `consultations/chat.ts` decides it, the
 * core records it as a turn with its menu like any other reply, on every channel.
 */

function citizen(item: InboxItem): ChatCitizen {
  return { channel: item.channel, userId: item.userId, recipient: item.message.from, messageId: item.message.channelMessageId };
}

/** The typed message as a consultation step, or undefined when it is not one. */
export async function typedConsultation(ctx: PipelineContext, item: InboxItem, text: string): Promise<ChatReply | undefined> {
  return ctx.consultations?.typed(citizen(item), text);
}

/** A pressed consultation button. */
export async function pressedConsultation(ctx: PipelineContext, item: InboxItem, option: ConsultOption | undefined): Promise<ChatReply | undefined> {
  if (!option || !ctx.consultations) return undefined;
  return ctx.consultations.pressed(citizen(item), option);
}

export function consultationStep(reply: ChatReply): TurnDraft {
  return {
    intent: 'consultation',
    replyKind: 'notice',
    replyText: reply.text,
    ...(reply.citations?.length ? { citations: reply.citations } : {}),
    ...(reply.menu ? { menu: reply.menu } : {}),
  };
}
