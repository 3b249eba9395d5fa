import type { AbstainReason } from '../domain/answer.ts';
import type { ChannelName, Recipient } from '../domain/channel.ts';
import type { Citation } from '../domain/citation.ts';
import type {
  EscalationActor,
  EscalationEvent,
  EscalationLifecycle,
  EscalationRefusal,
  EscalationStatus,
} from '../domain/escalation.ts';
import { transition } from '../domain/escalation.ts';

// The lifecycle's types live in `domain/escalation.ts`; re-exported for the stores' callers.
export { ESCALATION_STATUSES, type DeliveryStatus, type EscalationStatus } from '../domain/escalation.ts';

/** Why a question went to a person: Loa abstained, the citizen asked for a person, or answering failed. */
export type EscalationReason = 'abstained' | 'requested' | 'error';

/** One earlier exchange, shown to the officer as context. */
export interface ContextTurn {
  at: string;
  userText?: string;
  replyText?: string;
}

/** A question waiting for (or answered by) a spokesperson; its lifecycle fields are `EscalationLifecycle`'s. */
export interface Escalation extends EscalationLifecycle<Citation> {
  id: string;
  /** The idempotency key it was created with (e.g. `inbox:42`: the citizen message it answers). */
  sourceKey?: string;
  reason: EscalationReason;
  abstainReason?: AbstainReason;
  channel: ChannelName;
  /** Where to send the answer: the citizen on the channel they used. */
  recipient: Recipient;
  userName?: string;
  question: string;
  /** Recent turns before the question, oldest first. */
  context: ContextTurn[];
  /** What retrieval found but was not confident about (possibly empty). */
  candidates: Citation[];
  createdAt: string;
  updatedAt: string;
}

export interface NewEscalation {
  /** Idempotency key (e.g. `inbox:42`): creating twice with the same key returns the first. */
  sourceKey?: string;
  reason: EscalationReason;
  abstainReason?: AbstainReason;
  recipient: Recipient;
  userName?: string;
  question: string;
  context: ContextTurn[];
  candidates: Citation[];
}

export interface EscalationFilter {
  status?: EscalationStatus | EscalationStatus[];
  channel?: ChannelName;
  /** Only escalations held by this officer (email). Optional: added for the console. */
  assignee?: string;
  /**
   * Words that must all occur in the question, ignoring case and Vietnamese diacritics
   * ("cccd", "dang ky"). Optional: added for the console.
   */
  query?: string;
  /** Default 50, at most 500. */
  limit?: number;
  offset?: number;
}

/** The result of a state change that may be refused (with the escalation as it is, when there is one). */
export type EscalationChange =
  | { ok: true; escalation: Escalation }
  | { ok: false; reason: EscalationRefusal; escalation?: Escalation };

/** Escalated questions, for the spokesperson console. Every state change is atomic. */
export interface EscalationStore {
  create(input: NewEscalation, now: Date): Promise<Escalation>;
  get(id: string): Promise<Escalation | undefined>;
  /** Newest first. */
  list(filter?: EscalationFilter): Promise<Escalation[]>;
  /**
   * Applies one lifecycle event (`domain/escalation.ts` decides) as one conditional update:
   * the row changes only if it still has the status, assignee and delivery status the
   * decision was made on; otherwise the decision is made again on the new row. So of two
   * concurrent answers exactly one is stored, and the other is refused (`answer_in_progress`
   * or `claimed_by_other`). A harmless repeat (claiming again) succeeds without a write.
   */
  apply(id: string, event: EscalationEvent<Citation>, actor: EscalationActor, now: Date): Promise<EscalationChange>;
  /** How many escalations match (limit and offset ignored). Optional: added for the console. */
  count?(filter?: EscalationFilter): Promise<number>;
}

/** How a backend reads a row and writes a decided lifecycle only if the row still is as read. */
export interface LifecycleRow {
  read(id: string): Promise<Escalation | undefined>;
  /** One `UPDATE … WHERE id AND status AND assignee AND delivery_status` as in `was`; the updated row, or undefined when it no longer matched. */
  compareAndSet(id: string, was: Escalation, next: EscalationLifecycle<Citation>, now: Date): Promise<Escalation | undefined>;
}

/** Lost races in a row before `apply` gives up (each loss means another change was stored). */
const MAX_RACES = 20;

/**
 * `EscalationStore.apply` for every backend: decide with `transition` on the row as read,
 * write it conditionally, and decide again on the new row if another change came first.
 */
export async function applyLifecycleEvent(
  row: LifecycleRow,
  id: string,
  event: EscalationEvent<Citation>,
  actor: EscalationActor,
  now: Date,
): Promise<EscalationChange> {
  for (let race = 0; race < MAX_RACES; race++) {
    const current = await row.read(id);
    if (!current) return { ok: false, reason: 'not_found' };
    const decision = transition(current, event, actor, now.toISOString());
    if ('refused' in decision) return { ok: false, reason: decision.refused, escalation: current };
    if (decision.unchanged) return { ok: true, escalation: current };
    const updated = await row.compareAndSet(id, current, decision.next, now);
    if (updated) return { ok: true, escalation: updated };
  }
  throw new Error(`escalation ${id}: ${MAX_RACES} concurrent changes in a row; try again`);
}
