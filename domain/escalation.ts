/**
 * The escalation lifecycle, in one place: its states, the events that move it, who may send
 * them, and the pure `transition` that decides. Storage applies a decision as one conditional
 * update (compare-and-set on `status`, `assignee` and `deliveryStatus`); the conversation core
 * and the console both go through it, and map the typed refusals to their answers.
 *
 * ```
 *            claim / assign                 answer
 *   open ───────────────────▶ claimed ─────────────────▶ answering ──delivered──▶ answered
 *    │  ╲───────────answer──────────────────────────────▶   │  ▲
 *    │                          │  ▲ ╲── assign (admin)      │  │ retry (holder or admin)
 *    │                          │  └──── delivery_failed ────┘  │
 *    └──close──▶ closed ◀─close─┘                              ─┘
 * ```
 *
 * `answering` (a reply is on its way to the citizen) is stored as `status = 'claimed'` with
 * `deliveryStatus = 'pending'`, so the schema, the reports and the HTTP API kept their four
 * stored statuses; `stateOf` reads it back. Depends on nothing: the citation type is a parameter.
 */

/** The stored statuses (the `status` column and the API's `status` field). */
export const ESCALATION_STATUSES = ['open', 'claimed', 'answered', 'closed'] as const;
export type EscalationStatus = (typeof ESCALATION_STATUSES)[number];

/** The lifecycle states; `answering` is a claimed escalation whose reply is being delivered. */
export const ESCALATION_STATES = ['open', 'claimed', 'answering', 'answered', 'closed'] as const;
export type EscalationState = (typeof ESCALATION_STATES)[number];

/** Where the spokesperson's reply is on its way to the citizen. */
export type DeliveryStatus = 'none' | 'pending' | 'sent' | 'failed';

/** The fields the lifecycle owns; `C` is the citation type (storage uses retrieval's `Citation`). */
export interface EscalationLifecycle<C = unknown> {
  status: EscalationStatus;
  assignee?: string;
  claimedAt?: string;
  closedReason?: string;
  answerText?: string;
  answerCitations?: C[];
  answeredBy?: string;
  answeredAt?: string;
  deliveryStatus: DeliveryStatus;
  deliveryError?: string;
  deliveredAt?: string;
}

/** What can happen to an escalation. Officers send the first five; the outbox the last three. */
export type EscalationEvent<C = unknown> =
  | { type: 'claim' }
  /** An administrator hands it to `officer`, whoever held it. */
  | { type: 'assign'; officer: string }
  | { type: 'close'; reason: string }
  /** The officer's reply, stored and sent to the citizen (claims an open escalation). */
  | { type: 'answer'; text: string; citations: C[] }
  /** Send the stored reply again after its delivery failed. */
  | { type: 'retry' }
  | { type: 'delivered' }
  /** A send failed and the outbox tries again by itself. */
  | { type: 'delivery_retrying'; error: string }
  /** A send failed for good (or its outcome is unknown and held). */
  | { type: 'delivery_failed'; error: string };

export type EscalationEventType = EscalationEvent['type'];

/** Who sends an event: an officer (email; administrators may override holders) or the delivery machinery. */
export type EscalationActor = { kind: 'officer'; email: string; admin: boolean } | { kind: 'system' };

/** The delivery machinery, as an actor. */
export const SYSTEM_ACTOR: EscalationActor = { kind: 'system' };

/** An officer (or an administrator, `admin: true`) as an actor. */
export function officerActor(email: string, admin = false): EscalationActor {
  return { kind: 'officer', email, admin };
}

/**
 * Why a transition was refused. `not_found` comes from storage (there was nothing to decide on);
 * the others from `transition`.
 */
export const ESCALATION_REFUSALS = [
  'not_found',
  'claimed_by_other',
  'answer_in_progress',
  'already_answered',
  'already_closed',
  'nothing_to_retry',
  'not_allowed',
] as const;
export type EscalationRefusal = (typeof ESCALATION_REFUSALS)[number];

/** The decision: the lifecycle after the event (`unchanged` when the event is a harmless repeat), or a refusal. */
export type TransitionResult<C = unknown> = { next: EscalationLifecycle<C>; unchanged: boolean } | { refused: EscalationRefusal };

/** The lifecycle state of stored fields. */
export function stateOf(e: Pick<EscalationLifecycle, 'status' | 'deliveryStatus'>): EscalationState {
  return e.status === 'claimed' && e.deliveryStatus === 'pending' ? 'answering' : e.status;
}

/** Who holds an escalation (older rows answered without a claim have only `answeredBy`). */
export function holderOf(e: Pick<EscalationLifecycle, 'assignee' | 'answeredBy'>): string | undefined {
  return e.assignee ?? e.answeredBy;
}

const OFFICER_EVENTS: ReadonlySet<EscalationEventType> = new Set(['claim', 'assign', 'close', 'answer', 'retry']);

/**
 * Decides what `event` by `actor` at `at` (ISO time) does to an escalation in `current`.
 * Pure: the caller stores `next` only if the row still has the `status`, `assignee` and
 * `deliveryStatus` it read (see the storage's `apply`).
 */
export function transition<C>(current: EscalationLifecycle<C>, event: EscalationEvent<C>, actor: EscalationActor, at: string): TransitionResult<C> {
  const state = stateOf(current);
  const officer = actor.kind === 'officer' ? actor : undefined;
  if (OFFICER_EVENTS.has(event.type) !== (officer !== undefined)) return { refused: 'not_allowed' };
  const ok = (next: EscalationLifecycle<C>): TransitionResult<C> => ({ next, unchanged: false });
  const same: TransitionResult<C> = { next: current, unchanged: true };
  const holder = holderOf(current);
  const mine = officer !== undefined && holder === officer.email;

  // Finished is final for officers; a late delivery report does not undo an answer.
  if (state === 'answered') return event.type === 'delivered' ? same : { refused: 'already_answered' };
  if (state === 'closed') return { refused: 'already_closed' };

  switch (event.type) {
    case 'claim':
      if (state === 'open') return ok({ ...current, status: 'claimed', assignee: officer?.email, claimedAt: at });
      // The holder claiming again is harmless; nobody else may.
      return mine ? same : { refused: 'claimed_by_other' };

    case 'assign':
      if (!officer?.admin) return { refused: 'not_allowed' };
      if (state === 'answering') return { refused: 'answer_in_progress' };
      return ok({ ...current, status: 'claimed', assignee: event.officer, claimedAt: at });

    case 'close':
      if (state === 'answering') return { refused: 'answer_in_progress' };
      if (state === 'claimed' && !mine && !officer?.admin) return { refused: 'claimed_by_other' };
      return ok({ ...current, status: 'closed', closedReason: event.reason });

    case 'answer':
      // Only its holder answers; answering an open escalation claims it.
      if (state !== 'open' && !mine) return { refused: 'claimed_by_other' };
      if (state === 'answering') return { refused: 'answer_in_progress' };
      return ok({
        ...current,
        status: 'claimed',
        assignee: officer?.email,
        claimedAt: current.claimedAt ?? at,
        answerText: event.text,
        answerCitations: event.citations,
        answeredBy: officer?.email,
        answeredAt: at,
        deliveryStatus: 'pending',
        deliveryError: undefined,
      });

    case 'retry':
      if (current.answerText === undefined) return { refused: 'nothing_to_retry' };
      if (!mine && !officer?.admin) return { refused: 'claimed_by_other' };
      if (state === 'answering') return { refused: 'answer_in_progress' };
      return ok({ ...current, status: 'claimed', deliveryStatus: 'pending' });

    case 'delivered':
      if (current.answerText === undefined) return { refused: 'nothing_to_retry' };
      return ok({ ...current, status: 'answered', deliveryStatus: 'sent', deliveryError: undefined, deliveredAt: at });

    case 'delivery_retrying':
      if (state !== 'answering') return { refused: 'not_allowed' };
      return ok({ ...current, deliveryError: event.error });

    case 'delivery_failed':
      if (current.answerText === undefined) return { refused: 'nothing_to_retry' };
      // The holder keeps it: they may retry, answer again, or close it.
      return ok({ ...current, status: 'claimed', deliveryStatus: 'failed', deliveryError: event.error });
  }
}
