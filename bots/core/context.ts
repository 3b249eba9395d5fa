import type { Logger } from 'pino';
import type { ConsultationChat } from '../../consultations/chat.ts';
import type { Answerer } from '../../retrieval/types.ts';
import type { BotStorage, NewConversationTurn } from './ports.ts';
import type { CoreEventEmitter } from './events.ts';
import type { HistoryPolicy } from './history.ts';
import type { OutboxWorker } from './outbox-worker.ts';
import type { EscalationLimit } from './pipeline/escalation-limit.ts';
import type { RateLimit } from './pipeline/rate-limit.ts';
import type { ProactiveStore } from '../../proactive/ports.ts';

/** What every pipeline step may use. Built once by `ConversationCore`. */
export interface PipelineContext {
  stores: BotStorage;
  answerer: Answerer;
  rateLimit: RateLimit;
  escalationLimit: EscalationLimit;
  outbox: OutboxWorker;
  events: CoreEventEmitter;
  logger: Logger;
  clock: () => Date;
  agencyName: string;
  history: HistoryPolicy;
  /** Subscriptions (absent: "đăng ký nhận tin" is an ordinary question). */
  proactive?: ProactiveStore;
  /** Commenting on drafts under consultation ("góp ý dự thảo"); absent: the core has no consultations. */
  consultations?: ConsultationChat;
}

/**
 * What a step decided for one message: the reply and what to remember about it. The
 * pipeline adds who, when and what the citizen wrote, and records it as a turn.
 */
export type TurnDraft = Omit<NewConversationTurn, 'inboxId' | 'channel' | 'userId' | 'userText' | 'createdAt'>;
