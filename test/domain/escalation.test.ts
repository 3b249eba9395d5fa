import { describe, expect, it } from 'vitest';
import {
  ESCALATION_STATES,
  officerActor,
  stateOf,
  SYSTEM_ACTOR,
  transition,
  type EscalationEvent,
  type EscalationLifecycle,
  type EscalationState,
} from '../../domain/escalation.ts';

const AT = '2026-01-05T08:00:00.000Z';
const lan = officerActor('lan@so.vn');
const minh = officerActor('minh@so.vn');
const admin = officerActor('admin@so.vn', true);

/** A lifecycle in each state, held by Lan where it is held. */
const IN: Record<EscalationState, EscalationLifecycle> = {
  open: { status: 'open', deliveryStatus: 'none' },
  claimed: { status: 'claimed', assignee: 'lan@so.vn', claimedAt: AT, deliveryStatus: 'none' },
  answering: { status: 'claimed', assignee: 'lan@so.vn', claimedAt: AT, answerText: 'x', answeredBy: 'lan@so.vn', answeredAt: AT, deliveryStatus: 'pending' },
  answered: { status: 'answered', assignee: 'lan@so.vn', answerText: 'x', answeredBy: 'lan@so.vn', deliveryStatus: 'sent', deliveredAt: AT },
  closed: { status: 'closed', closedReason: 'spam', deliveryStatus: 'none' },
};
const FAILED: EscalationLifecycle = { ...IN.answering, deliveryStatus: 'failed', deliveryError: 'blocked' };

const answer: EscalationEvent = { type: 'answer', text: 'Trả lời', citations: [] };
const outcome = (from: EscalationLifecycle, event: EscalationEvent, actor = lan) => {
  const r = transition(from, event, actor, AT);
  return 'refused' in r ? r.refused : r.unchanged ? 'unchanged' : stateOf(r.next);
};

describe('the escalation lifecycle', () => {
  it('reads the state from the stored fields', () => {
    expect(ESCALATION_STATES.map((s) => stateOf(IN[s]))).toEqual(ESCALATION_STATES);
    expect(stateOf(FAILED)).toBe('claimed');
  });

  it('answer: the holder (or anyone, when open) starts one delivery; nobody answers while it is on its way', () => {
    const table = ESCALATION_STATES.map((s) => [s, outcome(IN[s], answer), outcome(IN[s], answer, minh)]);
    expect(table).toEqual([
      ['open', 'answering', 'answering'],
      ['claimed', 'answering', 'claimed_by_other'],
      ['answering', 'answer_in_progress', 'claimed_by_other'],
      ['answered', 'already_answered', 'already_answered'],
      ['closed', 'already_closed', 'already_closed'],
    ]);
    expect(outcome(FAILED, answer)).toBe('answering');
    const r = transition(IN.open, answer, minh, AT);
    expect('next' in r && r.next).toMatchObject({ assignee: 'minh@so.vn', answeredBy: 'minh@so.vn', claimedAt: AT, answerText: 'Trả lời', deliveryStatus: 'pending' });
  });

  it('claim, close and assign', () => {
    const row = (event: EscalationEvent, actor = lan) => ESCALATION_STATES.map((s) => outcome(IN[s], event, actor));
    expect(row({ type: 'claim' })).toEqual(['claimed', 'unchanged', 'unchanged', 'already_answered', 'already_closed']);
    expect(row({ type: 'claim' }, minh)).toEqual(['claimed', 'claimed_by_other', 'claimed_by_other', 'already_answered', 'already_closed']);
    expect(row({ type: 'close', reason: 'spam' }, minh)).toEqual(['closed', 'claimed_by_other', 'answer_in_progress', 'already_answered', 'already_closed']);
    expect(row({ type: 'close', reason: 'spam' }, admin)).toEqual(['closed', 'closed', 'answer_in_progress', 'already_answered', 'already_closed']);
    expect(row({ type: 'assign', officer: 'minh@so.vn' }, admin)).toEqual(['claimed', 'claimed', 'answer_in_progress', 'already_answered', 'already_closed']);
    expect(outcome(IN.claimed, { type: 'assign', officer: 'minh@so.vn' }, lan)).toBe('not_allowed');
  });

  it('retry: only a failed reply, by its holder or an administrator', () => {
    expect(outcome(FAILED, { type: 'retry' })).toBe('answering');
    expect(outcome(FAILED, { type: 'retry' }, admin)).toBe('answering');
    expect(outcome(FAILED, { type: 'retry' }, minh)).toBe('claimed_by_other');
    expect(outcome(IN.claimed, { type: 'retry' })).toBe('nothing_to_retry');
    expect(outcome(IN.answering, { type: 'retry' })).toBe('answer_in_progress');
  });

  it('delivery reports come from the system only, and a late failure does not undo an answer', () => {
    const report = (event: EscalationEvent) => ESCALATION_STATES.map((s) => outcome(IN[s], event, SYSTEM_ACTOR));
    expect(report({ type: 'delivered' })).toEqual(['nothing_to_retry', 'nothing_to_retry', 'answered', 'unchanged', 'already_closed']);
    expect(report({ type: 'delivery_failed', error: 'e' })).toEqual(['nothing_to_retry', 'nothing_to_retry', 'claimed', 'already_answered', 'already_closed']);
    expect(report({ type: 'delivery_retrying', error: 'e' })).toEqual(['not_allowed', 'not_allowed', 'answering', 'already_answered', 'already_closed']);
    expect(outcome(IN.answering, { type: 'delivered' }, lan)).toBe('not_allowed');
    expect(outcome(IN.open, { type: 'claim' }, SYSTEM_ACTOR)).toBe('not_allowed');
    // A failure ends the delivery; the holder keeps the question.
    const failed = transition(IN.answering, { type: 'delivery_failed', error: 'blocked' }, SYSTEM_ACTOR, AT);
    expect('next' in failed && failed.next).toMatchObject({ status: 'claimed', assignee: 'lan@so.vn', deliveryStatus: 'failed', deliveryError: 'blocked', answerText: 'x' });
  });
});
