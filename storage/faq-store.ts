import type { Citation } from '../domain/citation.ts';

/**
 * `draft` (written by a spokesperson) → `approved` (by an administrator: the bot answers
 * with it) → `retired`. An approved FAQ whose legal basis changed (a cited document was
 * superseded, amended, expired or removed) becomes `needs_review` and is approved again
 * after it has been checked.
 */
export const FAQ_STATUSES = ['draft', 'approved', 'needs_review', 'retired'] as const;
export type FaqStatus = (typeof FAQ_STATUSES)[number];

/** An answer the agency approved for reuse. */
export interface Faq {
  /** Short stable id; the knowledge unit of an approved FAQ is `faq::<id>`. */
  id: string;
  status: FaqStatus;
  /** Ways citizens ask it (at least one); all of them are searchable. */
  questions: string[];
  /** The approved answer text. */
  answer: string;
  /** The legal basis the officer attached. */
  citations: Citation[];
  createdBy: string;
  approvedBy?: string;
  approvedAt?: string;
  retiredBy?: string;
  retiredAt?: string;
  /** Why it needs review (e.g. which document was superseded). */
  reviewReason?: string;
  /** The escalation whose reply it came from, if any. */
  sourceEscalationId?: string;
  createdAt: string;
  updatedAt: string;
  updatedBy: string;
  /** Increases on every change: clients send it back to detect concurrent edits. */
  version: number;
}

export interface NewFaq {
  questions: string[];
  answer: string;
  citations: Citation[];
  createdBy: string;
  /** Creating twice from the same escalation returns the first FAQ. */
  sourceEscalationId?: string;
}

export interface FaqPatch {
  questions?: string[];
  answer?: string;
  citations?: Citation[];
}

export interface FaqFilter {
  status?: FaqStatus | FaqStatus[];
  /** Default 100, at most 1000. */
  limit?: number;
  offset?: number;
}

/** The result of a change that may be refused. */
export type FaqChange =
  | { ok: true; faq: Faq }
  | { ok: false; reason: 'not_found' | 'wrong_status' | 'version_conflict'; faq?: Faq };

/** Approved answers and their drafts. Every state change is a conditional, atomic update. */
export interface FaqStore {
  create(input: NewFaq, now: Date): Promise<Faq>;
  get(id: string): Promise<Faq | undefined>;
  /** The FAQ saved from this escalation's reply, if any. */
  findByEscalation(escalationId: string): Promise<Faq | undefined>;
  /** Newest change first. */
  list(filter?: FaqFilter): Promise<Faq[]>;
  count(filter?: FaqFilter): Promise<number>;
  /**
   * Edits questions, answer or citations of a FAQ whose status is one of `allowed`; when
   * `expectedVersion` is given and differs, refuses with `version_conflict`.
   */
  update(
    id: string,
    patch: FaqPatch,
    opts: { by: string; allowed: readonly FaqStatus[]; expectedVersion?: number },
    now: Date,
  ): Promise<FaqChange>;
  /** draft / needs_review → approved. */
  approve(id: string, by: string, now: Date): Promise<FaqChange>;
  /** Any status but retired → retired. */
  retire(id: string, by: string, now: Date): Promise<FaqChange>;
  /** approved → needs_review with the reason; refused for any other status. */
  markNeedsReview(id: string, reason: string, now: Date): Promise<FaqChange>;
}
